"""The package's folders are its data flow: no module imports from a package further down it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "proposal_docs"
# files.py and sample.py use nothing of ours; __main__ only starts the CLI
ORDER = ["files", "sample", "model", "rules", "engine", "render", "site", "commands", "cli", "__main__"]


def _layer(name: str) -> int:
    return ORDER.index(name) if name in ORDER else 0  # the package itself (__version__)


def upward_imports() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        package = parts[:-1]
        own = _layer(parts[0]) if parts[0] != "__init__" else 0
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = base + (node.module.split(".") if node.module else [])
            elif (node.module or "").startswith("proposal_docs"):
                target = node.module.split(".")[1:]
            else:
                continue
            tops = [target[0]] if target else [alias.name for alias in node.names]
            for top in tops:
                if _layer(top) > own:
                    found.append(f"{path.relative_to(PACKAGE)} imports {'.'.join(target) or top}")
    return found


def test_no_module_imports_from_further_down_the_flow():
    assert upward_imports() == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    fake = tmp_path / "proposal_docs"
    (fake / "model").mkdir(parents=True)
    (fake / "model" / "x.py").write_text("from ..cli import main\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert upward_imports() == ["model/x.py imports cli"]


def test_nothing_refers_outside_the_project():
    root = PACKAGE.parent.parent
    texts = [p for p in [*PACKAGE.rglob("*.py"), root / "README.md", *root.glob("docs/*.md")]]
    assert [p.name for p in texts if "../shared" in p.read_text(encoding="utf-8")] == []
