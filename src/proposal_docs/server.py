"""The build server: a warm process that runs `build` for the launcher, like Gradle's daemon.

Most of a small one-shot rebuild is spent importing pydantic, docxtpl and Jinja, and re-reading
what did not change. After a build on a clerk's machine the launcher starts this process in the
background (never under CI, nor with PROPOSAL_DOCS_SERVER=0). It keeps the libraries loaded and,
through warm.py, the parsed cases and prepared templates, and answers plain `build` requests for
one repository on 127.0.0.1. It stops after 20 idle minutes, when its own code changes, or when
its repository goes away.

Nothing here decides what a build does: each request runs the very click command a one-shot build
runs, under the same build lock, and sends its output back as it is written, so the answers are
the same. The client side is in launcher.py.

What goes over the connection, and the address file build/.server, are described in wire.py.
"""

from __future__ import annotations

import gc
import hashlib
import io
import marshal
import os
import secrets
import signal
import socket
import sys
import tempfile
import threading
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from . import __version__, warm, wire
from .files import atomic_write, lock_if_free
from .clock import TODAY_VARIABLE
from .launcher import parse_plain_build
from .layout import BUILD_DIR, PROJECT_FILE, SERVER_FILE
from .stamp import hand_over

IDLE_SECONDS = 20 * 60


def server_lock(root: Path) -> Path:
    """Held for the server's life: at most one per repository. In the temporary folder, not in
    build/: Windows cannot delete a file that is held open, and `make clean` must still work."""
    name = hashlib.sha256(str(root).encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"proposal-docs-server-{name}.lock"


def code_fingerprint() -> tuple:
    """The package's modules and their modification times: a reinstall or an edit retires the
    server. (Asked on every request, so os.scandir rather than a recursive glob.)"""
    found, folders = [], [os.path.dirname(__file__)]
    while folders:
        folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir() and entry.name != "__pycache__":
                    folders.append(entry.path)
                elif entry.name.endswith(".py"):
                    found.append((entry.path, entry.stat().st_mtime_ns))
    return tuple(sorted(found))


class _Channel(io.TextIOBase):
    """stdout or stderr of one request, sent to the client as frames of one kind.

    A terminal when the client's output is one, so that the build draws its progress bar there;
    the bar redraws from a thread of its own, hence the lock shared by both channels.
    """

    def __init__(self, connection: socket.socket, kind: bytes, terminal: bool, lock: threading.Lock):
        self.connection, self.kind, self.terminal, self.lock = connection, kind, terminal, lock

    encoding = "utf-8"
    errors = "strict"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.terminal

    def write(self, text: str | bytes) -> int:
        if isinstance(text, (bytes, bytearray)):  # click writes bytes where it expects a console
            text = bytes(text).decode("utf-8", "replace")
        if text:
            with self.lock:
                self.connection.sendall(wire.frame(self.kind, text))
        return len(text)


PASSED_ON = (TODAY_VARIABLE, "COLUMNS")  # the client's settings a build may read from the environment


def run_request(argv: list[str], settings: dict[str, str]) -> int:
    """One `proposal-docs ARGV` exactly as a one-shot process would run it; its exit code."""
    from .cli import main

    saved = {name: os.environ.get(name) for name in PASSED_ON}
    for name in PASSED_ON:  # the client's, not the server's, decide the day and the width
        if name in settings:
            os.environ[name] = settings[name]
        else:
            os.environ.pop(name, None)
    try:
        main(argv, prog_name="proposal-docs", standalone_mode=True)
        return 0
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_stopping = threading.Event()


def _stop(*_) -> None:
    """SIGTERM: leave now. Within a request the build sees SystemExit, as a one-shot build would see
    its end; the loop then finds the flag and stops too."""
    _stopping.set()
    raise SystemExit(0)


def serve_builds(root: Path, idle_seconds: float = IDLE_SECONDS) -> None:
    build_dir = root / BUILD_DIR
    with lock_if_free(server_lock(root)) as alone:
        if not alone:
            return  # another server already serves this repository
        signal.signal(signal.SIGTERM, _stop)  # stopped politely: still tidy up
        warm.keep_between_builds()
        _warm_up(root)
        gc.collect()
        gc.freeze()  # what the warm-up loaded stays: no collection need look at it again
        code = code_fingerprint()
        token = secrets.token_hex(16)
        with socket.create_server(("127.0.0.1", 0)) as listener:
            info = {"package": __version__, "pid": os.getpid(), "port": listener.getsockname()[1], "token": token}
            atomic_write(build_dir / SERVER_FILE, wire.write_address(info), mode=0o600)  # the token is ours
            try:
                _answer(listener, root, token, code, idle_seconds)
            finally:
                _retire(build_dir, info)


def _warm_up(root: Path) -> None:
    """Import what a build imports, and read the repository once, before saying we are here."""
    from .building import prepare_templates
    from .plan import TEMPLATES
    from .repository import load_repository

    load_repository(root, cache_file=root / BUILD_DIR / ".cache" / "parsed.pickle")
    try:
        prepare_templates(root, TEMPLATES)
    except Exception:  # noqa: BLE001 - a broken template is reported by the build that needs it
        pass


def _answer(listener: socket.socket, root: Path, token: str, code: tuple, idle_seconds: float) -> None:
    last = time.monotonic()
    listener.settimeout(min(30.0, idle_seconds / 10))  # how often it looks around while nobody calls
    while time.monotonic() - last < idle_seconds and not _stopping.is_set() and _still_wanted(root, token, code):
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            continue
        with connection:
            try:
                if not _serve_one(connection, root, token, code):
                    return
            except Exception:  # noqa: BLE001 - a client that went away, or sent garbage: serve the next
                pass
        last = time.monotonic()


def _still_wanted(root: Path, token: str, code: tuple) -> bool:
    """The repository is still there, build/.server still names this server (`make clean` removes
    it), and its code was not replaced (an upgrade changes the version, so no build would come to
    it any more, and its lock would keep the new version's server from starting)."""
    try:
        return (root / PROJECT_FILE).is_file() and code_fingerprint() == code and \
            wire.read_address((root / BUILD_DIR / SERVER_FILE).read_bytes()).get("token") == token
    except OSError:
        return False


def _serve_one(connection: socket.socket, root: Path, token: str, code: tuple) -> bool:
    """Answer one request; False when this server must stop (its code changed)."""
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # small frames go out at once
    connection.settimeout(5)  # a client that connects and says nothing must not hold the server
    read = connection.makefile("rb").read
    received = wire.read_frame(read)
    if received is None or received[0] != wire.REQUEST:
        return True
    given, settings, argv = wire.parse_request(received[1])
    request = parse_plain_build(argv)
    if not secrets.compare_digest(given, token) or request is None:
        return True  # a stranger, or anything but a plain build: this server only builds
    snapshot = wire.read_frame(read)
    connection.settimeout(None)
    if code_fingerprint() != code:
        connection.sendall(wire.frame(wire.STALE))
        return False
    if not request["root"] or Path(request["root"]).resolve() != root:
        connection.sendall(wire.frame(wire.STALE))  # another repository: not ours to build
        return True
    if snapshot is not None and snapshot[0] == wire.SNAPSHOT:
        hand_over(request["root"], marshal.loads(snapshot[1]))
    terminal, lock = settings.get("TERMINAL") == "1", threading.Lock()
    try:
        with redirect_stdout(_Channel(connection, wire.STDOUT, terminal, lock)), \
                redirect_stderr(_Channel(connection, wire.STDERR, terminal, lock)):
            status = run_request(argv, settings)
    finally:
        hand_over(request["root"], None)  # used by this build, or by none
    if _stopping.is_set():  # stopped in the middle: the client builds by itself, and repairs the rest
        connection.sendall(wire.frame(wire.STALE))
        return False
    connection.sendall(wire.frame(wire.EXIT, str(status)))
    return True


def _retire(build_dir: Path, info: dict) -> None:
    """Remove our address (unless a newer server wrote its own) and keep the parsed files."""
    try:
        if wire.read_address((build_dir / SERVER_FILE).read_bytes()).get("pid") == str(info["pid"]):
            (build_dir / SERVER_FILE).unlink()
    except (OSError, ValueError):
        pass
    warm.save_parse_caches()


if __name__ == "__main__":  # python -m proposal_docs.server ROOT [IDLE_SECONDS], as the launcher starts it
    serve_builds(Path(sys.argv[1]).resolve(), float(sys.argv[2]) if len(sys.argv) > 2 else IDLE_SECONDS)
