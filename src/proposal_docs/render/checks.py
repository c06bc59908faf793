"""Template checks for `check`: every name a template uses must exist where it is rendered.

A clerk editing a template in Word makes typos (`{{ caes.title }}`, `{{ case.titel }}`); Jinja
would only fail when the document is built. Here each template's patched source is parsed and
every top-level name, and every attribute of a known model, is compared with what its context
provides.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from jinja2 import nodes

from ..model.findings import Finding
from ..model.layout import reason, template_label, template_path
from ..model.models import Case, Feedback, Organisation, Reply, Session
from ..engine.plan import TEMPLATES
from ..rules.statistics import YearStatistics
from .contexts import CONTEXT_NAMES
from .docx import PreparedTemplate, TemplateProblem
from .filters import make_environment

MODELS = {"case": Case, "reply": Reply, "org": Organisation, "session": Session, "feedback": Feedback,
          "stats": YearStatistics}


def _attributes(kind) -> set[str]:
    names = {n for n in dir(kind) if not n.startswith("_")}
    if dataclasses.is_dataclass(kind):
        names |= {f.name for f in dataclasses.fields(kind)}
    return names | set(getattr(kind, "model_fields", {}))


def _unknown_attributes(source: str, env) -> set[str]:
    found = set()
    for node in env.parse(source).find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in MODELS and node.node.ctx == "load":
            if node.attr not in _attributes(MODELS[node.node.name]):
                found.add(f"{node.node.name}.{node.attr}")
    return found


def template_findings(root: Path) -> list[Finding]:
    findings = []
    for name in TEMPLATES:
        rel = template_label(root, name)
        try:
            content = template_path(root, name).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            findings.append(Finding(rel, 0, 0, "", "error", "missing-template", f"缺少模板文件 {rel}"))
            continue
        except OSError as exc:  # a folder instead, or no permission
            findings.append(Finding(rel, 0, 0, "", "error", "unreadable", f"无法读取模板文件（{reason(exc)}）"))
            continue
        findings += _check_template(name, rel, content)
    return findings


@functools.lru_cache(maxsize=64)
def _check_template(name: str, rel: str, content: bytes) -> tuple[Finding, ...]:
    """Findings of one template's content (cached: a long-running process checks each once)."""
    env = make_environment()
    allowed_globals = set(env.globals)
    findings = []
    try:
        template = PreparedTemplate(Path(rel), env, content=content)
    except TemplateProblem as exc:
        return (Finding(rel, 0, 0, "", "error", "bad-template", str(exc)),)
    known = CONTEXT_NAMES[name]
    for unknown in sorted(template.names() - known - allowed_globals):
        findings.append(Finding(rel, 0, 0, unknown, "error", "template-unknown-name",
                                f"模板中的“{unknown}”不存在（拼写错误？），可用：{'、'.join(sorted(known))}"))
    for source in template.sources:
        for unknown in sorted(_unknown_attributes(source, env)):
            findings.append(Finding(rel, 0, 0, unknown, "error", "template-unknown-field",
                                    f"模板中的“{unknown}”不存在（拼写错误？）"))
    return tuple(findings)

