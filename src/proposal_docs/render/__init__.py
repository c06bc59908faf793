"""Rendering: context builders per document, one Jinja environment, the deterministic docx writer."""
