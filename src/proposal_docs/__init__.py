"""proposal-docs: answer CPPCC proposals and NPC suggestions from YAML case files."""

__version__ = "0.1.0"  # the one place the version is written (pyproject reads it)
