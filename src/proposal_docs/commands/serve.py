"""`proposal-docs serve`: the site on localhost, rebuilt whenever a case, template or setting changes.

Like `mkdocs serve`: one build at start, then watchfiles waits for changes under cases/,
templates/ and proposal-docs.yaml and runs the same incremental build again. The HTTP server runs
in a thread and serves build/site as it is on disk, so a page reload shows the new build.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from ..model.layout import BUILD_DIR, PROJECT_FILE


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass


def start_server(site: Path, host: str, port: int) -> ThreadingHTTPServer:
    site.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_QuietHandler, directory=str(site))
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
