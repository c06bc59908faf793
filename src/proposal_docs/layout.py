"""Where things are in a document repository, and the error for a repository that cannot be used.

Kept free of heavy imports: the command line reads it before deciding whether any YAML must be
parsed at all.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_FILE = "proposal-docs.yaml"
YEAR_FILE = "year.yaml"
BUILD_DIR = "build"


class SetupError(Exception):
    """The repository itself cannot be used (no or invalid project file): exit code 2."""

    def __init__(self, message: str, findings: list | None = None):
        super().__init__(message)
        self.findings = findings or []


def find_root(start: Path) -> Path:
    """The nearest folder up the tree that holds proposal-docs.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise SetupError(f"在 {start} 及其上级目录中找不到 {PROJECT_FILE}:请在文档仓库内运行,或用 --root 指定")


def year_folders(root: Path) -> list[Path]:
    """cases/<year>/ folders: four digits, sorted."""
    cases = root / "cases"
    if not cases.is_dir():
        return []
    return sorted(p for p in cases.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4)


def case_files(year_folder: Path) -> list[Path]:
    """Every case file of a year: any .yaml but year.yaml."""
    return sorted(p for p in year_folder.glob("*.yaml") if p.name != YEAR_FILE and p.is_file())
