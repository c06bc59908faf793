"""`proposal-docs serve`: the site on localhost, rebuilt whenever a case, template or setting changes.

Like `mkdocs serve`: one build at start, then watchfiles waits for changes under cases/,
templates/ and proposal-docs.yaml and runs the same incremental build again. The HTTP server runs
in a thread and serves build/site as it is on disk, and beside it the documents the pages link to:
a path that is not in build/site but names a file of build/ (build/2024/答复函/…, build/pdf/…, never
a hidden one such as .manifest.json or .cache/) is served from there, so the site's relative links
(../../../2024/答复函/….docx, right for file:// too) resolve under serve. Every HTML page it serves (not the files on
disk) carries a small script that asks `/.livereload` for the number of the last build once a
second and reloads the page when it changes, so the open browser shows each rebuild by itself.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import threading
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from ..model.layout import BUILD_DIR, PROJECT_FILE, refuse_links_in_build


RELOAD_PATH = "/.livereload"
# {build}: the build the page was served from, so that a rebuild before the first poll is seen too
RELOAD_SCRIPT = (
    "<script>(function(){var seen='{build}';setInterval(function(){"
    "fetch('" + RELOAD_PATH + "',{cache:'no-store'}).then(function(r){return r.text();}).then(function(n){"
    "if(n!==seen){location.reload();}}).catch(function(){});},1000);})();</script>"
)


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Builds:
    """How many builds `serve` has finished: what the pages ask to know when to reload."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def finished(self) -> None:
        with self._lock:
            self.count += 1


class _Handler(SimpleHTTPRequestHandler):
    builds: Builds

    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass

    def parse_request(self) -> bool:
        """Answer only requests addressed to this machine by a local name, while serving it alone.

        A web page elsewhere can have its own name point at 127.0.0.1 (DNS rebinding) and then read
        what this server shows, the letters with members' names and phones, as if it were local;
        its requests still carry that other name in Host. A browser always sends Host."""
        if not super().parse_request():
            return False
        asked = urllib.parse.urlsplit("//" + self.headers.get("Host", "")).hostname or ""
        if _loopback(str(self.server.server_address[0])) and asked and not _loopback(asked):
            self.send_error(403, "Host not served")
            return False
        return True

    def translate_path(self, path: str) -> str:
        """build/site first; else a visible file of build/ by the same path (the documents)."""
        in_site = super().translate_path(path)  # '..' and drive parts already dropped, inside the site
        if os.path.exists(in_site):
            return in_site
        rel = Path(in_site).relative_to(self.directory).parts
        if not rel or rel[0] == "site" or any(part.startswith(".") for part in rel):
            return in_site
        build = Path(self.directory).parent
        beside = build.joinpath(*rel)
        if beside.is_file() and build.resolve() in beside.resolve().parents:  # a link out of build/ is not served
            return str(beside)
        return in_site

    def in_build(self, path: str) -> bool:
        """path is in build/ and reached through no link: build/ may come from anyone's pull request,
        and a link committed there (build/site/h → /home), or build/ itself a link, would have every
        file it leads to served, to the pages a pull request put in build/site too."""
        build = Path(self.directory).parent
        base = os.path.join(os.path.realpath(build.parent), build.name)
        real = os.path.realpath(path)
        return real == base or real.startswith(base + os.sep)

    def send_head(self):
        if not self.in_build(self.translate_path(self.path)):
            self.send_error(404)
            return None
        return super().send_head()

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path.split("?", 1)[0] == RELOAD_PATH:
            self._reply(str(self.builds.count).encode("ascii"), "text/plain; charset=utf-8")
            return
        path = Path(self.translate_path(self.path))
        if not self.in_build(str(path)):
            self.send_error(404)
            return
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_bytes()
            at = page.rfind(b"</body>")
            at = len(page) if at < 0 else at
            script = RELOAD_SCRIPT.replace("{build}", str(self.builds.count)).encode("ascii")
            self._reply(page[:at] + script + page[at:], "text/html; charset=utf-8")
            return
        super().do_GET()

    def _reply(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def start_server(site: Path, host: str, port: int, builds: Builds) -> ThreadingHTTPServer:
    refuse_links_in_build(site.parent)  # before making build/site: through a link it would be made anywhere
    site.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(type("Handler", (_Handler,), {"builds": builds}), directory=str(site))
    server = ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _relevant(root: Path):
    build = (root / BUILD_DIR).resolve()

    def accept(change, path: str) -> bool:
        p = Path(path).resolve()
        if build in p.parents or p.name.startswith(".tmp-"):
            return False
        return p.name == PROJECT_FILE or p.suffix in (".yaml", ".yml", ".docx")

    return accept


def watch(root: Path, rebuild: Callable[[], None], stop: threading.Event | None = None) -> None:
    """Rebuild at start and whenever an input changes.

    File events can be missed (a change made while the first build ran, a network drive that sends
    none), so every wake-up, including a quiet timeout each second, also compares the inputs'
    sizes and times with the last build's and rebuilds when they moved.
    """
    from watchfiles import watch as watch_files

    from ..engine.stamp import snapshot_inputs

    seen = snapshot_inputs(root)
    rebuild()
    targets = [str(p) for p in (root / "cases", root / "templates", root / PROJECT_FILE) if p.exists()]
    for _ in watch_files(*targets, watch_filter=_relevant(root), stop_event=stop, debounce=300,
                         rust_timeout=1000, yield_on_timeout=True):
        now = snapshot_inputs(root)
        if now != seen:
            seen = now
            rebuild()
