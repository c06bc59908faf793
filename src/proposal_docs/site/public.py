"""build/public/: the replies a bureau may publish (建议提案办理结果公开), ready to upload as is.

A reply is published when its disclosure is `public` (its full text) or `summary` (its abstract);
`on_request` and `withheld` replies, co-handler opinions (the lead unit publishes the answer) and
returned cases never appear. A page shows only what the public may read — session, number,
title, proposers, category, reply date, document number and the text — and is built from those
fields alone, so the handler, the phone, the signer, co-unit opinions and the member's feedback
cannot reach it. Links are relative, so the folder works from file:// and under any sub-path of
a web server; pages are written only when their text changed, like build/site/.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..engine.plan import BODY_TITLE, KIND_WORD, safe_name
from ..model.models import LABELS, Body, Case, Disclosure, Project, Reply, Role
from ..model.repository import Repository
from ..render.contexts import document_title
from ..render.filters import date_cn, paragraphs_of, style_of
from . import _environment, _write_pages, href

PUBLIC_DIR = "public"
PUBLISHED = (Disclosure.public, Disclosure.summary)
_PARAGRAPH_CLASSES = {"GwH1": "h1", "GwH2": "h2", "GwH3": "h3", "GwH4": "h4"}


@dataclass(frozen=True)
class PublicReply:
    heading: str  # 答复 | 再次答复
    date: str
    doc_number: str
    category: str  # A类（已解决或采纳）, empty when the reply has none
    disclosure: str  # 全文公开 | 摘要公开
    summary: bool
    paragraphs: list[dict]


def _public_reply(reply: Reply, heading: str, project: Project) -> PublicReply:
    summary = reply.disclosure is Disclosure.summary
    text = (reply.abstract or "") if summary else reply.body
    category = ""
    if reply.category:
        wording = project.categories.get(reply.category)
        category = f"{reply.category}类（{wording}）" if wording else f"{reply.category}类"
    paragraphs = [{"style": _PARAGRAPH_CLASSES.get(style_of(p), "p"), "text": p} for p in paragraphs_of(text)]
    return PublicReply(heading + ("摘要" if summary else "全文"), date_cn(reply.date), reply.doc_number or "",
                       category, LABELS[reply.disclosure.value], summary, paragraphs)


def published_replies(case: Case, project: Project) -> list[PublicReply]:
    """The replies of a case that may be published, oldest first; none for co and returned cases."""
    if case.returned or case.role is Role.co:
        return []
    return [_public_reply(reply, "答复" if i == 0 else "再次答复", project)
            for i, (reply, _) in enumerate(case.rounds) if reply.disclosure in PUBLISHED]


def page_name(case: Case) -> str:
    """The page of a case in its year's folder: session and number (unique within a year), never
    the case file's name, which is the bureau's own business."""
    return safe_name(f"{case.session}-{case.number:03d}", 80) + ".html"


def build_public(repo: Repository, build_dir: Path) -> list[str]:
    """Write build/public/; returns the pages that changed (build-relative paths)."""
    env = _environment(repo.project.typography.fullwidth_punctuation)
    common = {"org": repo.project.organisation}
    pages: dict[str, str] = {}
    years = []
    for number, year in sorted(repo.years.items()):
        groups: dict[Body, list[dict]] = {}
        for item in sorted(year.cases, key=lambda i: (i.case.body, i.case.number, i.case.session)):
            case = item.case
            replies = published_replies(case, repo.project)
            if not replies:
                continue
            session = year.file.sessions[case.session].name
            name = page_name(case)
            pages[f"{number}/{name}"] = env.get_template("public/case.html").render(
                common, up="../", title=case.title, year=number, case=case, session=session,
                heading=document_title(case, session, "reply"), kind_word=KIND_WORD[case.body],
                proposers="、".join(case.proposer_names), body_title=BODY_TITLE[case.body], replies=replies)
            groups.setdefault(case.body, []).append(
                {"href": href(name), "title": case.title, "session": session, "number": case.number,
                 "kind_word": KIND_WORD[case.body], "category": replies[-1].category.split("（")[0],
                 "date": replies[0].date})
        if not groups:
            continue
        count = sum(len(entries) for entries in groups.values())
        pages[f"{number}/index.html"] = env.get_template("public/year.html").render(
            common, up="../", title=f"{number}年建议提案办理结果公开", year=number,
            groups=[{"title": f"{BODY_TITLE[body]}答复", "entries": groups[body]} for body in (Body.cppcc, Body.npc)
                    if body in groups])
        years.append({"year": number, "count": count, "href": href(str(number), "index.html")})
    pages["index.html"] = env.get_template("public/home.html").render(
        common, up="", title="建议提案办理结果公开", years=sorted(years, key=lambda y: -y["year"]))
    return _write_pages(build_dir / PUBLIC_DIR, pages)
