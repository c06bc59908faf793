"""The `proposal-docs` entry point: answers an up-to-date `build` before anything heavy is imported.

Clerks run `make build` after every edit, and editors run it on every save. When nothing changed,
the answer is a directory listing compared with the last build's (stamp.py); importing click, rich and pydantic
would cost several times that. So only the plain forms of `build` are recognised here — the global
options --root, -q, -v and --debug, and build's own --site/--no-site, --today and --jobs — and
everything else, or any doubt at all (no stamp, a changed file, a malformed option), goes to the
full command line in cli.py, which gives the same answer the slow way or explains the problem.
"""

from __future__ import annotations

import os
import sys

VALUE_OPTIONS = ("--root", "--today", "--jobs", "-j")


def _split(arg: str) -> tuple[str, str | None]:
    """`--root=x` → ("--root", "x"), `-j2` → ("-j", "2"), anything else → (arg, None)."""
    if arg.startswith("--") and "=" in arg:
        name, _, value = arg.partition("=")
        return name, value
    if arg.startswith("-j") and len(arg) > 2:
        return "-j", arg[2:]
    return arg, None


def parse_plain_build(argv: list[str]) -> tuple | None:
    """(root or None, quiet, site, today as a date or None) of a plain `build`, else None."""
    root, quiet, site, today, command = None, False, True, None, False
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
                root = value
            elif name in ("-q", "--quiet"):
                quiet = True
            elif name not in ("-v", "--verbose", "--debug"):
                return None
        elif name in ("--site", "--no-site"):
            site = name == "--site"
        elif name in ("--jobs", "-j"):
            if not (value or "").isdigit() or int(value) < 1:
                return None
        elif name == "--today":
            import datetime  # only here: each import is paid by every no-op build

            try:
                today = datetime.date.fromisoformat(value or "")
            except ValueError:
                return None
        else:
            return None
    return (root, quiet, site, today) if command else None


def answered_up_to_date(argv: list[str]) -> bool:
    """Print the closing line and return True when a plain `build` has nothing to do."""
    request = parse_plain_build(argv)
    if request is None:
        return False
    given_root, quiet, site, given_today = request
    from .layout import PROJECT_FILE, SetupError, find_root_folder
    from .stamp import UP_TO_DATE, snapshot_inputs, up_to_date

    try:
        root = os.path.realpath(given_root) if given_root else find_root_folder(os.getcwd())
    except (SetupError, OSError):
        return False
    if not os.path.isfile(os.path.join(root, PROJECT_FILE)):
        return False
    count = up_to_date(root, snapshot_inputs(root), site, given_today)
    if count is None:
        return False
    if not quiet:
        line = UP_TO_DATE.format(count=count) + "\n"
        try:
            line.encode(sys.stdout.encoding or "utf-8")
        except (UnicodeEncodeError, LookupError):
            return False  # a console that cannot show Chinese: click knows how to cope
        sys.stdout.write(line)
        sys.stdout.flush()
    return True


def main() -> None:
    if os.environ.get("PROPOSAL_DOCS_NO_SHORTCUT") != "1" and answered_up_to_date(sys.argv[1:]):
        sys.exit(0)
    from .cli import main as cli_main

    cli_main(prog_name="proposal-docs")
