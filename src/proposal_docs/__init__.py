"""proposal-docs: answer CPPCC proposals and NPC suggestions from YAML case files."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("proposal-docs")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
