"""Fingerprints: the content hash of everything one output is made from.

Same fingerprint, same bytes: a rebuild renders only the outputs whose fingerprint changed.
"""

from __future__ import annotations

from .. import __version__
from ..model.layout import SetupError, reason, template_path
from ..model.repository import Repository
from .manifest import MANIFEST_VERSION, sha256
from .plan import Output, inputs_of, templates_of

# Raised whenever the same inputs come to give other bytes (2: rendered parts deflated at level 1),
# so that the documents of an earlier build are all made again, never mixed with new ones
BYTES_FORMAT = 2
FINGERPRINT_HEADER = f"proposal-docs {__version__}\nmanifest {MANIFEST_VERSION}\nbytes {BYTES_FORMAT}"


class Hasher:
    """Content hashes of input files: those the repository already read, then templates, once each."""

    def __init__(self, repo: Repository):
        self.root = repo.root
        self.cache: dict[str, str] = dict(repo.digests)
        self.lines: dict[str, str] = {}

    def __call__(self, rel: str) -> str:
        if rel not in self.cache:
            self.cache[rel] = sha256((self.root / rel).read_bytes())
        return self.cache[rel]

    def template(self, name: str) -> str:
        """The hash of the template `name` renders from: the repository's own or the packaged one."""
        rel = f"templates/{name}.docx"
        if rel not in self.cache:
            try:
                self.cache[rel] = sha256(template_path(self.root, name).read_bytes())
            except OSError as exc:  # made unreadable since the check before rendering
                raise SetupError(f"无法读取模板文件 {rel}（{reason(exc)}）") from exc
        return self.cache[rel]

    def template_line(self, name: str) -> str:
        rel = f"templates/{name}.docx"
        if rel not in self.lines:
            self.lines[rel] = f"{rel}={self.template(name)}"
        return self.lines[rel]

    def line(self, rel: str) -> str:
        """"rel=hash", as fingerprints list their inputs (made once per file: there are thousands)."""
        if rel not in self.lines:
            self.lines[rel] = f"{rel}={self(rel)}"
        return self.lines[rel]


def fingerprint(output: Output, repo: Repository, hasher: Hasher, input_lines: list[str] | None = None) -> str:
    """input_lines: hasher.line of each of inputs_of(output), when the caller has them already."""
    lines = [FINGERPRINT_HEADER, repr(output)]
    lines += (hasher.template_line(name) for name in templates_of(output))
    lines += input_lines if input_lines is not None else map(hasher.line, inputs_of(output, repo))
    return sha256("\n".join(lines).encode("utf-8"))


def fingerprints(outputs: list[Output], repo: Repository, hasher: Hasher) -> dict[str, str]:
    """Every output's fingerprint; a year's archive index and summary share their input lines."""
    members: dict[tuple, list[str]] = {}
    prints = {}
    for output in outputs:
        if output.case_file is None:  # year aggregates: their inputs are all the year's cases of their body
            if (output.year, output.body) not in members:
                members[output.year, output.body] = [hasher.line(rel) for rel in inputs_of(output, repo)]
            prints[output.path] = fingerprint(output, repo, hasher, members[output.year, output.body])
        else:
            prints[output.path] = fingerprint(output, repo, hasher)
    return prints


def content_print(output: Output, content_key: str, hasher: Hasher) -> str:
    """What the document is made of when its context can name itself: the context, the template, us."""
    return sha256(f"{FINGERPRINT_HEADER}\n{hasher.template_line(output.template)}\n{content_key}".encode("utf-8"))
