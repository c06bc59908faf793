"""How the launcher and the build server talk: frames and the server's address file.

Plain bytes, not JSON: the launcher pays for every import on each build (json alone costs more than
the rest of its reply handling). A frame is one kind byte, a 4-byte big-endian length and that
many bytes of UTF-8.

- request (launcher → server), kind b"?": NUL-separated token, the user's setting as `NAME=value`
  lines (PROPOSAL_DOCS_TODAY, COLUMNS, and TERMINAL=1 when the output is a terminal), then the
  command line; then kind b"S": the launcher's snapshot of the inputs
  (stamp.py), marshalled — taken before the build reads anything, so the server need not take one;
- replies (server → launcher): b"o" text for stdout, b"e" text for stderr, as the build writes
  them; then b"x" with the exit code, or b"s" (stale: build by yourself).

The address file build/.server holds `key=value` lines: package, pid, port, token.
"""

from __future__ import annotations

REQUEST, SNAPSHOT, STDOUT, STDERR, EXIT, STALE = b"?", b"S", b"o", b"e", b"x", b"s"
MAX_FRAME = 1 << 24


def frame(kind: bytes, payload: str | bytes = b"") -> bytes:
    data = payload.encode("utf-8", "replace") if isinstance(payload, str) else payload
    return kind + len(data).to_bytes(4, "big") + data


def read_frame(read) -> tuple[bytes, bytes] | None:
    """The next (kind, payload) through read(n) (n bytes, fewer only at the end); None at the end
    or on garbage."""
    head = read(5)
    if len(head) < 5:
        return None
    size = int.from_bytes(head[1:], "big")
    if size > MAX_FRAME:
        return None
    data = read(size)
    if len(data) < size:
        return None
    return head[:1], data


def reader(connection):
    """read(n) for read_frame over a bare socket's recv (the launcher has no socket.makefile)."""

    def read(size: int) -> bytes:
        chunks = []
        while size > 0:
            chunk = connection.recv(min(size, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    return read


def request(token: str, settings: dict[str, str], argv: list[str], snapshot) -> bytes:
    import marshal

    lines = "\n".join(f"{name}={value}" for name, value in settings.items())
    return frame(REQUEST, "\0".join([token, lines, *argv])) + frame(SNAPSHOT, marshal.dumps(snapshot))


def parse_request(payload: bytes) -> tuple[str, dict[str, str], list[str]]:
    text = payload.decode("utf-8", "replace")
    token, lines, *argv = text.split("\0") if "\0" in text else (text, "")
    return token, dict(line.split("=", 1) for line in lines.splitlines() if "=" in line), argv


def write_address(fields: dict[str, object]) -> bytes:
    return "".join(f"{key}={value}\n" for key, value in fields.items()).encode("utf-8")


def read_address(data: bytes) -> dict[str, str]:
    return dict(line.split("=", 1) for line in data.decode("utf-8").splitlines() if "=" in line)
