"""How the launcher and the build server talk: frames and the server's address file.

Plain bytes, not JSON: the launcher pays for every import on each build (json alone costs more than
the rest of its reply handling). A frame is one kind byte, a 4-byte big-endian length and that
many bytes of UTF-8.

- request (launcher → server), kind b"?": NUL-separated token, the PROPOSAL_DOCS_TODAY the user
  has (or nothing), then the command line;
- replies (server → launcher): b"o" text for stdout, b"e" text for stderr, as the build writes
  them; then b"x" with the exit code, or b"s" (stale: build by yourself).

The address file build/.server holds `key=value` lines: package, pid, port, token.
"""

from __future__ import annotations

REQUEST, STDOUT, STDERR, EXIT, STALE = b"?", b"o", b"e", b"x", b"s"
MAX_FRAME = 1 << 24


def frame(kind: bytes, text: str = "") -> bytes:
    data = text.encode("utf-8", "replace")
    return kind + len(data).to_bytes(4, "big") + data


def read_frame(stream) -> tuple[bytes, str] | None:
    """The next (kind, text) from a binary file-like object; None at the end or on garbage."""
    head = stream.read(5)
    if len(head) < 5:
        return None
    size = int.from_bytes(head[1:], "big")
    if size > MAX_FRAME:
        return None
    data = stream.read(size)
    if len(data) < size:
        return None
    return head[:1], data.decode("utf-8", "replace")


def request(token: str, today: str | None, argv: list[str]) -> bytes:
    return frame(REQUEST, "\0".join([token, today or "", *argv]))


def parse_request(text: str) -> tuple[str, str | None, list[str]]:
    token, today, *argv = text.split("\0") if "\0" in text else (text, "")
    return token, today or None, argv


def write_address(fields: dict[str, object]) -> bytes:
    return "".join(f"{key}={value}\n" for key, value in fields.items()).encode("utf-8")


def read_address(data: bytes) -> dict[str, str]:
    return dict(line.split("=", 1) for line in data.decode("utf-8").splitlines() if "=" in line)
