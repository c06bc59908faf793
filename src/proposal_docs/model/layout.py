"""Where things are in a document repository, and the error for a repository that cannot be used.

Kept free of imports beyond os (pathlib included): `build` reads it before deciding whether anything
must be loaded at all.
"""

from __future__ import annotations

import os

PROJECT_FILE = "proposal-docs.yaml"
YEAR_FILE = "year.yaml"
BUILD_DIR = "build"
TEMPLATES_DIR = "templates"
SCHEMA_DIR = "schema"
# the templates shipped with the tool; a repository's own templates/<name>.docx overrides one of them
PACKAGED_TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), TEMPLATES_DIR)


class SetupError(Exception):
    """The repository itself cannot be used (no or invalid project file): exit code 2."""

    def __init__(self, message: str, findings: list | None = None):
        super().__init__(message)
        self.findings = findings or []


def find_root(start: Path) -> Path:
    """The nearest folder up the tree that holds proposal-docs.yaml."""
    from pathlib import Path

    return Path(find_root_folder(os.fspath(start)))


def find_root_folder(start: str) -> str:
    folder = os.path.realpath(start)
    while not os.path.isfile(os.path.join(folder, PROJECT_FILE)):
        if os.path.dirname(folder) == folder:
            raise SetupError(f"在 {os.path.realpath(start)} 及其上级目录中找不到 {PROJECT_FILE}："
                             "请在文档仓库内运行，或用 --root 指定")
        folder = os.path.dirname(folder)
    return folder


def year_folders(root: Path) -> list[Path]:
    """cases/<year>/ folders: four digits, sorted."""
    cases = root / "cases"
    if not cases.is_dir():
        return []
    return sorted(p for p in cases.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4)


def case_file_names(year_folder: Path) -> list[str]:
    """Every case file of a year: any .yaml but year.yaml, sorted by name."""
    with os.scandir(year_folder) as entries:  # scandir, names: a thousand cases, listed on every build
        return sorted(e.name for e in entries if e.name.endswith(".yaml") and e.name != YEAR_FILE and e.is_file())


def template_path(root: Path, name: str) -> Path:
    """The template a build renders `name` from: the repository's own templates/<name>.docx when it
    has one (a clerk's edited copy, file by file), else the one shipped in the package."""
    own = root / TEMPLATES_DIR / f"{name}.docx"
    if own.exists():  # exists, not is_file: an unreadable or odd entry is reported, never skipped
        return own
    return type(root)(PACKAGED_TEMPLATES) / f"{name}.docx"


def template_label(root: Path, name: str) -> str:
    """How messages name a template: templates/<name>.docx for the repository's own, else the
    packaged file's full path."""
    if (root / TEMPLATES_DIR / f"{name}.docx").exists():
        return f"{TEMPLATES_DIR}/{name}.docx"
    return os.path.join(PACKAGED_TEMPLATES, f"{name}.docx")


def schema_modelines(kind: str, to_root: str) -> str:
    """The first lines of a YAML file of `kind` (case, year, project) that tell editors its schema:
    VS Code's YAML extension reads the first form, JetBrains IDEs the second. to_root: the way
    from the file's folder to the repository root, "" or "../../"."""
    where = f"{to_root}{SCHEMA_DIR}/{kind}.schema.json"
    return f"# yaml-language-server: $schema={where}\n# $schema: {where}\n"
