"""build/site/: a static HTML site of every case, readable on a phone and from file://.

One index per year (every case with its status), one page per case (timeline and a preview of
each of its documents) and a statistics page with the summary's figures and inline SVG charts.
Pages are rendered every build (cheap) and written only when their text changed; previews come
from pandoc and are cached by document hash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..rules.deadlines import STATE_LABELS, WorkdayCalendar, deadlines_of, state_of
from ..files import atomic_write
from ..model.models import LABELS, Body, Case, Satisfaction
from ..engine.plan import BODY_TITLE, KIND_WORD, TEMPLATES, Output
from ..render.filters import date_cn, label, rate
from ..render.typography import fullwidth_punctuation
from ..model.repository import CaseFile, Repository
from ..rules.statistics import year_statistics
from .charts import bar_chart
from .previews import previews

SITE_DIR = "site"


def _environment(fullwidth: bool = True) -> Environment:
    """fullwidth: the project's typography setting; the pages print case text as the documents do."""

    def printed(value):
        return fullwidth_punctuation(value) if fullwidth and type(value) is str else value

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                      undefined=StrictUndefined, finalize=printed)
    env.filters.update(label=label, rate=rate, date_cn=date_cn)
    return env


def href(*parts: str) -> str:
    """A relative link that works from file:// with Chinese names: every segment percent-encoded."""
    return "/".join(quote(p) if p not in ("..", ".") else p for part in parts for p in part.split("/"))


def slug(item: CaseFile) -> str:
    return Path(item.rel).stem


@dataclass(frozen=True)
class CaseRow:
    case: Case
    slug: str
    kind_word: str
    proposers: str
    state: str
    state_label: str
    due: str


def _timeline(case: Case, due: dt.date) -> list[dict]:
    events = [{"date": case.assigned, "text": "交办"}]
    for c in case.communications:
        who = f"与{c.with_}" if c.with_ else ""
        events.append({"date": c.date, "text": f"{who}沟通（{LABELS[c.mode.value]}）{c.note}"})
    for o in case.co_opinions:
        events.append({"date": o.date, "text": f"收到{o.unit}会办意见：{o.summary}"})
    if case.extension:
        events.append({"date": case.extension.due, "text": f"延期后的期限（{case.extension.reason}）"})
    if case.reply:
        number = case.reply.doc_number or "未编文号"
        category = f"，{case.reply.category}类" if case.reply.category else ""
        events.append({"date": case.reply.date, "text": f"答复（{number}{category}）"})
    else:
        events.append({"date": due, "text": "办理期限"})
    if case.feedback:
        events.append({"date": case.feedback.date, "text": f"收回征询意见表：办理态度{LABELS[case.feedback.attitude.value]}，"
                                                          f"办理结果{LABELS[case.feedback.result.value]}"})
    return sorted(events, key=lambda e: e["date"])


def _statistics_blocks(repo: Repository, year) -> list[dict]:
    blocks = []
    for body in (Body.cppcc, Body.npc):
        stats = year_statistics([i.case for i in year.cases], year.file, repo.project, body)
        if not stats.assigned:
            continue
        charts = [
            {"title": "办理方式", "svg": bar_chart([("主办", stats.lead), ("会办", stats.co), ("分办", stats.separate)])},
            {"title": "答复类别", "svg": bar_chart([(f"{c.code}类", c.count) for c in stats.categories], "#2f855a")},
            {"title": "办理结果满意度", "svg": bar_chart([(LABELS[s.value], stats.result[s.value]) for s in Satisfaction],
                                                    "#b7791f")},
        ]
        blocks.append({"title": f"{BODY_TITLE[body]}（{KIND_WORD[body]}）", "stats": stats, "charts": charts})
    return blocks


def build_site(repo: Repository, build_dir: Path, outputs: list[Output], hashes: dict[str, str], today: dt.date,
               jobs: int = 1) -> list[str]:
    """Write build/site/; returns the site files that changed (build-relative paths)."""
    env = _environment(repo.project.typography.fullwidth_punctuation)
    calendar = WorkdayCalendar()
    site = build_dir / SITE_DIR
    documents_of: dict[str, list[Output]] = {}
    for output in outputs:
        if output.case_file:
            documents_of.setdefault(output.case_file, []).append(output)
    for documents in documents_of.values():  # the letter first, then the form, as a clerk reads them
        documents.sort(key=lambda o: (TEMPLATES.index(o.template), o.path))
    shown = {o.path: hashes[o.path] for o in outputs if o.case_file and o.path in hashes}
    preview = previews(build_dir, shown, jobs)
    common = {"org": repo.project.organisation, "today": date_cn(today)}
    pages: dict[str, str] = {}
    years = []
    for number, year in sorted(repo.years.items()):
        rows = []
        totals = {label: 0 for label in STATE_LABELS.values()}
        for item in sorted(year.cases, key=lambda i: (i.case.body, i.case.number)):
            case = item.case
            d = deadlines_of(case, repo.project, calendar)
            state = state_of(case, d, today)
            totals[STATE_LABELS[state]] += 1
            proposers = "、".join(case.proposer_names)
            rows.append(CaseRow(case, slug(item), KIND_WORD[case.body], proposers, state, STATE_LABELS[state],
                                date_cn(d.due)))
            # file names are shown as they are on disk: Markup passes the punctuation unconverted
            docs = [{"name": Markup.escape(o.path.split("/", 1)[1]), "href": href("../../..", o.path), "preview": preview.get(o.path, "")}
                    for o in documents_of.get(item.rel, [])]
            pages[f"{number}/cases/{slug(item)}.html"] = env.get_template("case.html").render(
                common, up="../../", title=case.title, year=number, case=case, kind_word=KIND_WORD[case.body],
                session=year.file.sessions[case.session], proposers=proposers, state=state,
                state_label=STATE_LABELS[state], due=date_cn(d.due), source=Markup.escape(item.rel),
                timeline=[{"date": date_cn(e["date"]), "text": e["text"]} for e in _timeline(case, d.due)],
                documents=docs)
        pages[f"{number}/index.html"] = env.get_template("year.html").render(
            common, up="../", title=f"{number}年案件", year=number, rows=rows,
            totals=[(k, v) for k, v in totals.items() if v])
        pages[f"{number}/statistics.html"] = env.get_template("statistics.html").render(
            common, up="../", title=f"{number}年统计", year=number, blocks=_statistics_blocks(repo, year))
        years.append({"year": number, "count": len(rows)})
    pages["index.html"] = env.get_template("home.html").render(common, up="", title="提案建议办理情况", years=years)
    return _write_pages(site, pages)


def _write_pages(site: Path, pages: dict[str, str]) -> list[str]:
    changed = []
    for rel, html in pages.items():
        path = site / rel
        data = html.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            atomic_write(path, data)
            changed.append(f"{SITE_DIR}/{rel}")
    if site.is_dir():
        for path in sorted(site.rglob("*"), reverse=True):
            rel = path.relative_to(site).as_posix()
            if path.is_file() and rel not in pages:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed
