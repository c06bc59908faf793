"""Reading and validation: the repository's files as plain objects, every problem a located finding.

layout (where files are) → loading (YAML with line and column marks) → models (pydantic) →
repository (all files as one object). Nothing here knows about deadlines, documents or the CLI.
"""
