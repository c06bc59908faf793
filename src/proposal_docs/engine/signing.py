"""The user's own key, and files signed with it: what makes a cache under build/ believable.

build/ may come from anyone (a pull request can commit it), so whatever is kept there for later
runs — parsed YAML, site previews, similarity digests — carries an HMAC made with a key that lives
outside the repository, in the user's cache folder. A file written anywhere else, or changed by
hand, fails its signature and is made anew: it could otherwise make a command print what no case
file says. Built-in modules only: `similar` reads its digests before loading any model.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


def user_cache_folder() -> Path:
    """Where per-user state lives: %LOCALAPPDATA% on Windows, $XDG_CACHE_HOME or ~/.cache elsewhere."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "proposal-docs"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "proposal-docs"


def cache_key() -> bytes | None:
    """This user's secret for signing caches, made on first use; None where it cannot be kept."""
    path = user_cache_folder() / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another build made it just now
        try:
            return path.read_bytes() or None
        except OSError:
            return None
    except OSError:
        return None
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "wb") as file:
        file.write(key)
    return key


def _signature(key: bytes, body: bytes, context: bytes) -> bytes:
    """Hex HMAC-SHA256 of the context (what the body must belong to), a newline and the body."""
    message = context + b"\n" + body if context else body
    return hmac.new(key, message, hashlib.sha256).hexdigest().encode("ascii")


def sign(key: bytes, body: bytes, context: bytes = b"") -> bytes:
    """The file's content: its signature on the first line, then the body."""
    return _signature(key, body, context) + b"\n" + body


def verified(key: bytes | None, data: bytes, context: bytes = b"") -> bytes | None:
    """The body of what sign() made with this key and context; None for anything else."""
    if key is None:
        return None
    signature, _, body = data.partition(b"\n")
    return body if hmac.compare_digest(signature, _signature(key, body, context)) else None
