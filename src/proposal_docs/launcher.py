"""The `proposal-docs` entry point: a `build` is answered as cheaply as it can be.

Clerks run `make build` after every edit, and editors run it on every save. Three ways, cheapest
first:

1. Nothing changed: the answer is a directory listing compared with the last build's (stamp.py),
   before click, rich or pydantic are imported — they would cost several times that.
2. A warm build server serves this repository (server.py): it runs the build, and its output is
   printed here.
3. Otherwise the full command line in cli.py runs in this process; after a successful build it
   starts the build server in the background for next time (not under CI, nor with
   PROPOSAL_DOCS_SERVER=0).

Only the plain forms of `build` take the first two ways — the global options --root, -q, -v and
--debug, and build's own --site/--no-site, --today, --jobs and --force. Everything else, and any
doubt at all (no stamp, a malformed option, no server), goes the third way, which gives the same
answer or explains the problem.
"""

from __future__ import annotations

import os
import sys

VALUE_OPTIONS = ("--root", "--today", "--jobs", "-j")
SERVER_VARIABLE = "PROPOSAL_DOCS_SERVER"  # "0": never start or use a build server


def _split(arg: str) -> tuple[str, str | None]:
    """`--root=x` → ("--root", "x"), `-j2` → ("-j", "2"), anything else → (arg, None)."""
    if arg.startswith("--") and "=" in arg:
        name, _, value = arg.partition("=")
        return name, value
    if arg.startswith("-j") and len(arg) > 2:
        return "-j", arg[2:]
    return arg, None


def parse_plain_build(argv: list[str]) -> dict | None:
    """What a plain `build` asks for (root, quiet, verbose, debug, site, today, jobs, force), else None."""
    request = dict(root=None, quiet=False, verbose=0, debug=False, site=True, today=None, jobs=None, force=False)
    command = False
    args = iter(argv)
    for arg in args:
        name, value = _split(arg)
        if name in VALUE_OPTIONS and value is None:
            value = next(args, None)
            if value is None:
                return None
        if not command:
            if name == "build":
                command = True
            elif name == "--root" and value:
                request["root"] = value
            elif name in ("-q", "--quiet"):
                request["quiet"] = True
            elif name in ("-v", "--verbose"):
                request["verbose"] += 1
            elif name == "--debug":
                request["debug"] = True
            else:
                return None
        elif name in ("--site", "--no-site"):
            request["site"] = name == "--site"
        elif name == "--force":
            request["force"] = True
        elif name in ("--jobs", "-j"):
            if not (value or "").isdigit() or int(value) < 1:
                return None
            request["jobs"] = int(value)
        elif name == "--today":
            import datetime  # only here: each import is paid by every no-op build

            try:
                request["today"] = datetime.date.fromisoformat(value or "")
            except ValueError:
                return None
        else:
            return None
    return request if command else None


def as_argv(request: dict, root: str) -> list[str]:
    """The same request as a command line that works from any folder."""
    argv = ["--root", root] + ["-q"] * request["quiet"] + ["-v"] * request["verbose"] + ["--debug"] * request["debug"]
    argv += ["build", "--site" if request["site"] else "--no-site"] + ["--force"] * request["force"]
    if request["today"]:
        argv += ["--today", request["today"].isoformat()]
    if request["jobs"]:
        argv += ["--jobs", str(request["jobs"])]
    return argv


def repository_of(request: dict) -> str | None:
    from .layout import PROJECT_FILE, SetupError, find_root_folder

    try:
        root = os.path.realpath(request["root"]) if request["root"] else find_root_folder(os.getcwd())
    except (SetupError, OSError):
        return None
    return root if os.path.isfile(os.path.join(root, PROJECT_FILE)) else None


def answered_up_to_date(root: str, request: dict, inputs) -> bool:
    """Print the closing line and return True when the build has nothing to do."""
    from .stamp import UP_TO_DATE, up_to_date

    if request["force"]:
        return False
    count = up_to_date(root, inputs, request["site"], request["today"])
    if count is None:
        return False
    if not request["quiet"]:
        line = UP_TO_DATE.format(count=count) + "\n"
        try:
            line.encode(sys.stdout.encoding or "utf-8")
        except (UnicodeEncodeError, LookupError):
            return False  # a console that cannot show Chinese: click knows how to cope
        sys.stdout.write(line)
        sys.stdout.flush()
    return True


def served_build(root: str, request: dict, inputs) -> int | None:
    """Let the warm build server of this repository run the build (server.py); its exit code, or
    None when there is no server, it is out of date, or it went away."""
    # the C module: the socket module's enums alone take longer to import than a served build's
    # reply takes to arrive; connect, send and receive are all this needs
    import _socket

    from . import __version__, wire
    from .layout import BUILD_DIR, SERVER_FILE

    try:
        with open(os.path.join(root, BUILD_DIR, SERVER_FILE), "rb") as file:
            address = wire.read_address(file.read())
        if address["package"] != __version__:
            return None
        port = int(address["port"])
    except (OSError, ValueError, KeyError):
        return None
    connection = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    try:
        connection.settimeout(2)
        connection.connect(("127.0.0.1", port))
    except OSError:
        connection.close()
        return None
    try:
        connection.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)  # small frames go out at once
        connection.sendall(wire.request(address["token"], _settings(), as_argv(request, root), inputs))
        connection.settimeout(None)  # a build takes as long as it takes
        read = wire.reader(connection)
        while (reply := wire.read_frame(read)) is not None:
            kind, payload = reply
            if kind == wire.EXIT:
                return int(payload)
            if kind == wire.STALE:
                return None
            stream = sys.stdout if kind == wire.STDOUT else sys.stderr
            stream.write(payload.decode("utf-8", "replace"))
            stream.flush()
    except (OSError, ValueError):
        pass
    finally:
        connection.close()
    sys.stderr.write("构建服务意外中断,改为直接构建。\n")
    return None


def _settings() -> dict[str, str]:
    """What of this process the server must know to answer as it would: the day asked for, and
    whether (and how wide) the output is a terminal, for the progress bar."""
    from .clock import TODAY_VARIABLE

    settings = {TODAY_VARIABLE: os.environ[TODAY_VARIABLE]} if TODAY_VARIABLE in os.environ else {}
    if sys.stdout.isatty():
        settings["TERMINAL"] = "1"
        try:
            settings["COLUMNS"] = str(os.get_terminal_size(sys.stdout.fileno()).columns)
        except (OSError, ValueError):
            pass
    return settings


def server_wanted() -> bool:
    return os.environ.get(SERVER_VARIABLE, "1") != "0" and not os.environ.get("CI")


def start_server(root: str) -> None:
    """Start the build server for the next build, detached; it quits by itself when idle."""
    import subprocess
    import tempfile

    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        detach = {"creationflags": subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP}
    else:
        detach = {"start_new_session": True}
    try:
        # Run from the temporary folder, not the repository: on Windows a process's folder cannot be
        # deleted or renamed. -I, so that no folder it runs in is searched for modules.
        subprocess.Popen([sys.executable, "-I", "-m", "proposal_docs.server", root], cwd=tempfile.gettempdir(),
                         stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True, **detach)
    except OSError:
        pass  # only the next build's speed is lost


def main() -> None:
    argv = sys.argv[1:]
    request = parse_plain_build(argv)
    root = repository_of(request) if request else None
    if root:
        from .stamp import snapshot_inputs

        inputs = snapshot_inputs(root)  # before anything is read: an edit from now on is seen next time
        if answered_up_to_date(root, request, inputs):
            sys.exit(0)
        if server_wanted():
            try:
                status = served_build(root, request, inputs)
            except KeyboardInterrupt:  # the server finishes the build; the next one finds it done
                sys.stderr.write("已中断。\n")
                sys.exit(130)
            if status is not None:
                sys.exit(status)
    from .cli import main as cli_main

    try:
        cli_main(argv, prog_name="proposal-docs")
    except SystemExit as exit_:
        if root and exit_.code in (0, None) and server_wanted():
            start_server(root)
        raise
