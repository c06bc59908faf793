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

from ..rules.deadlines import STATE_LABELS, Rehandle, WorkdayCalendar, deadlines_of, open_rehandle, state_of
from ..files import atomic_write
from ..model.models import LABELS, Body, Case, Satisfaction
from ..engine.plan import BODY_TITLE, KIND_WORD, TEMPLATES, Output
from ..render.filters import date_cn, label, rate
from ..render.typography import fullwidth_punctuation
from ..model.repository import CaseFile, Repository
from ..rules.statistics import year_statistics
from .charts import bar_chart
from .previews import previews
from .related import similar_links

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

    @property
    def group(self) -> str:
        """The year index's filter the row belongs to (GROUPS)."""
        if self.state == "returned":
            return "returned"
        if self.case.followups or self.state.startswith("rehandle"):
            return "rehandle"
        return "replied" if self.case.reply else "open"


# the year index's filters: 办理中, 已答复, 退办, 二次办理 (handled again, or to be)
GROUPS = {"open": "办理中", "replied": "已答复", "returned": "退办", "rehandle": "二次办理"}


def _timeline(case: Case, due: dt.date, rehandle: Rehandle | None = None) -> list[dict]:
    events = [{"date": case.assigned, "text": "交办"}]
    for c in case.communications:
        who = f"与{c.with_}" if c.with_ else ""
        events.append({"date": c.date, "text": f"{who}沟通（{LABELS[c.mode.value]}）{c.note}"})
    for o in case.co_opinions:
        events.append({"date": o.date, "text": f"收到{o.unit}会办意见：{o.summary}"})
    if case.extension:
        events.append({"date": case.extension.due, "text": f"延期后的期限（{case.extension.reason}）"})
    if case.returned:
        back = case.returned
        to = f"，建议改由{back.to}承办" if back.to else ""
        reason = back.reason.strip().rstrip("。.；;，, ")
        events.append({"date": back.date, "text": f"申请退办（{back.doc_number or '未编文号'}）：{reason}{to}"})
    elif not case.reply:
        events.append({"date": due, "text": "办理期限"})
    for round, (reply, feedback) in enumerate(case.rounds, start=1):
        number = reply.doc_number or "未编文号"
        category = f"，{reply.category}类" if reply.category else ""
        what = "答复" if round == 1 else "再次答复" if round == 2 else f"第{round}次答复"
        events.append({"date": reply.date, "text": f"{what}（{number}{category}）"})
        if feedback:
            events.append({"date": feedback.date, "text": f"收回{'' if round == 1 else what + '的'}征询意见表："
                                                          f"办理态度{LABELS[feedback.attitude.value]}，"
                                                          f"办理结果{LABELS[feedback.result.value]}"})
    if rehandle is not None:
        events.append({"date": rehandle.due, "text": "二次办理期限（再次答复）"})
    # sorted() keeps the written order of a day's events: a reply before the feedback on it
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
    for documents in documents_of.values():  # each round's letter, then its form, as a clerk reads them
        documents.sort(key=lambda o: (o.round, TEMPLATES.index(o.template), o.path))
    shown = {o.path: hashes[o.path] for o in outputs if o.case_file and o.path in hashes}
    preview = previews(build_dir, shown, jobs)
    common = {"org": repo.project.organisation, "today": date_cn(today)}
    pages: dict[str, str] = {}
    years = []
    alike = similar_links(repo, href)
    for number, year in sorted(repo.years.items()):
        rows = []
        totals = {label: 0 for label in STATE_LABELS.values()}
        for item in sorted(year.cases, key=lambda i: (i.case.body, i.case.number)):
            case = item.case
            d = deadlines_of(case, repo.project, calendar)
            rehandle = open_rehandle(case, repo.project, calendar)
            state = state_of(case, d, today, rehandle)
            totals[STATE_LABELS[state]] += 1
            proposers = "、".join(case.proposer_names)
            due = "" if case.returned else date_cn(rehandle.due if rehandle else d.due)
            rows.append(CaseRow(case, slug(item), KIND_WORD[case.body], proposers, state, STATE_LABELS[state], due))
            # file names are shown as they are on disk: Markup passes the punctuation unconverted
            docs = [{"name": Markup.escape(o.path.split("/", 1)[1]), "href": href("../../..", o.path), "preview": preview.get(o.path, "")}
                    for o in documents_of.get(item.rel, [])]
            pages[f"{number}/cases/{slug(item)}.html"] = env.get_template("case.html").render(
                common, up="../../", title=case.title, year=number, case=case, kind_word=KIND_WORD[case.body],
                session=year.file.sessions[case.session], proposers=proposers, state=state,
                state_label=STATE_LABELS[state], due=date_cn(d.due), source=Markup.escape(item.rel),
                rehandle_due=date_cn(rehandle.due) if rehandle else None,
                timeline=[{"date": date_cn(e["date"]), "text": e["text"]} for e in _timeline(case, d.due, rehandle)],
                documents=docs, similar=alike.get(item.rel, []))
        pages[f"{number}/index.html"] = env.get_template("year.html").render(
            common, up="../", title=f"{number}年案件", year=number, rows=rows,
            totals=[(k, v) for k, v in totals.items() if v],
            groups=[(key, word, sum(1 for r in rows if r.group == key)) for key, word in GROUPS.items()])
        pages[f"{number}/statistics.html"] = env.get_template("statistics.html").render(
            common, up="../", title=f"{number}年统计", year=number, blocks=_statistics_blocks(repo, year))
        years.append({"year": number, "count": len(rows)})
    pages["index.html"] = env.get_template("home.html").render(common, up="", title="提案建议办理情况", years=years)
    return _write_pages(site, pages)


def _write_pages(site: Path, pages: dict[str, str]) -> list[str]:
    """Write the pages whose text changed into the folder (build/site or build/public) and remove
    every other file of it; returns the build-relative paths written."""
    changed = []
    for rel, html in pages.items():
        path = site / rel
        data = html.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            atomic_write(path, data)
            changed.append(f"{site.name}/{rel}")
    if site.is_dir():
        for path in sorted(site.rglob("*"), reverse=True):
            rel = path.relative_to(site).as_posix()
            if path.is_file() and rel not in pages:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed
