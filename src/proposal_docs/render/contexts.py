"""What each template sees: one context builder per document kind.

Contexts hold models and computed values; the templates and the shared Jinja filters decide the
wording. Every name a template may use is listed in ``CONTEXT_NAMES`` so ``check`` can catch a
misspelt field in a template a clerk edited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, fields, is_dataclass
from typing import Mapping

from pydantic import BaseModel

from ..model.models import LABELS, SUMMARY_SECTIONS, Body, Case, ContactMode, Role, Satisfaction
from ..engine.plan import BODY_TITLE, KIND_WORD, Output, counted_letters, letter_key
from ..model.repository import CaseFile, Repository
from ..rules.statistics import year_statistics
from .docx import PreparedTemplate
from .filters import body_paragraphs, doc_number
from .pages import letter_pages
from .typography import fullwidth_punctuation, title_lines

RETENTION_CODES = {"永久": "Y", "30年": "D30", "10年": "D10"}
# prepared templates by name: the archive index renders the letters to count their pages
Prepared = Mapping[str, PreparedTemplate]

BODY_WORDS = {
    Body.cppcc: {"full": "政协委员提案", "short": "政协", "member": "委员", "members": "委员",
                 "members_short": "市政协委员", "proposer_side": "提案单位和政协委员",
                 "form_title": "政协提案办复情况征询意见表", "return_to": "市政协提案委员会"},
    Body.npc: {"full": "人大代表建议", "short": "人大", "member": "代表", "members": "代表",
               "members_short": "市人大代表", "proposer_side": "人大代表",
               "form_title": "人大代表建议办理情况征询意见表", "return_to": "市人大常委会选工委"},
}


_CASE_NAMES = {"org", "case", "session", "reply", "kind_word", "npc", "doc_number", "body", "title", "title_lines",
               "fullwidth_punctuation"}
# the form's printed title; its document properties name the case (document_title)
FORM_TITLES = {Body.cppcc: "市政协提案办理情况征询意见表", Body.npc: "市人大代表建议办理情况征询意见表"}

# Every name each template may use; `check` reports any other name a template mentions.
CONTEXT_NAMES = {
    "reply": _CASE_NAMES | {"recipient", "cc", "round", "earlier"},
    "co_opinion": _CASE_NAMES,
    "return_request": _CASE_NAMES | {"returned", "return_to", "cc"},
    # the form is sent blank: what the member answers (`feedback`) is counted, never printed on it
    "feedback_form": _CASE_NAMES | {"contact_modes", "satisfaction_levels", "return_to"},
    "archive_index": {"fonds", "year", "retention", "unit_name", "rows", "org", "title", "title_lines",
                      "fullwidth_punctuation"},
    "summary": {"org", "year", "stats", "body_words", "kind_word", "sections", "summary_date", "title", "title_lines",
                "fullwidth_punctuation"},
}


@dataclass(frozen=True)
class Rendered:
    """A context plus what the document itself is called and dated (for its properties)."""

    context: dict
    title: str
    date: dt.date | None
    # bytes equal exactly when the document would be: lets a build skip rendering it again
    content_key: str | None = None


def document_title(case: Case, session_name: str, template: str, round: int = 1) -> str:
    """round: which reply of the case (engine.plan.Output.round); later ones are 再次答复."""
    kind = KIND_WORD[case.body]
    if template == "co_opinion":
        return f"关于{session_name}第{case.number}号{kind}的会办意见"
    if template == "return_request":
        return f"关于申请调整{session_name}第{case.number}号{kind}承办单位的函"
    if template == "feedback_form":
        return f"{session_name}第{case.number}号{kind}{'再次答复' if round > 1 else ''}办理情况征询意见表"
    return f"关于{session_name}第{case.number}号{kind}的{'再次答复' if round > 1 else '答复'}"


def typeset(repo: Repository, text: str) -> str:
    """Case text as printed: full-width punctuation beside Chinese unless the project turns it off.
    The Jinja environment does this for every printed {{ value }}; this is for the text contexts
    turn into rich text and titles themselves."""
    return fullwidth_punctuation(text) if repo.project.typography.fullwidth_punctuation else text


def _titled(repo: Repository, context: dict, title: str) -> str:
    """Adds the printed title and its lines, broken by meaning (GB/T 9704 §7.3.3); returns it."""
    title = typeset(repo, title)
    context.update(title=title, title_lines=title_lines(title),
                   fullwidth_punctuation=repo.project.typography.fullwidth_punctuation)
    return title


def _case_common(repo: Repository, item: CaseFile, year: int, round: int = 1) -> dict:
    """round: which reply the document is of (1 the reply, 2 the first followup's, …)."""
    case = item.case
    session = repo.years[year].file.sessions[case.session]
    pattern = repo.project.numbering.co_opinion if case.role is Role.co else repo.project.numbering.reply
    reply = case.rounds[round - 1][0] if case.reply else None
    return {
        "org": repo.project.organisation,
        "case": case,
        "session": session,
        "reply": reply,
        "kind_word": KIND_WORD[case.body],
        "npc": case.body is Body.npc,
        "doc_number": doc_number(reply.doc_number if reply else None, pattern, reply.date.year if reply else year),
        "body": body_paragraphs(typeset(repo, reply.body)) if reply else None,
    }


def reply_context(repo: Repository, item: CaseFile, output: Output) -> Rendered:
    """The reply, or a later round's 再次答复: its opening names the replies before it (earlier)."""
    case = item.case
    context = _case_common(repo, item, output.year, output.round)
    reply = context["reply"]
    cc = repo.project.cc_for(case.body) + list(case.co_units) + list(reply.cc)
    earlier = [r for r, _ in case.rounds[: output.round - 1]]
    context.update(recipient=output.recipient, cc=list(dict.fromkeys(cc)), round=output.round, earlier=earlier)
    title = _titled(repo, context, document_title(case, context["session"].name, "reply", output.round))
    return Rendered(context, title, reply.date)


def return_request_context(repo: Repository, item: CaseFile, output: Output) -> Rendered:
    """退办申请函 to the office that assigned the case; 抄送 the body's other default recipients."""
    case = item.case
    context = _case_common(repo, item, output.year)
    returned = case.returned
    office = repo.project.assigning_office_for(case.body)
    cc = [unit for unit in repo.project.cc_for(case.body) if unit != office]
    context.update(returned=returned, return_to=office, cc=cc, body=body_paragraphs(typeset(repo, returned.reason)),
                   doc_number=doc_number(returned.doc_number, repo.project.numbering.reply, returned.date.year))
    title = _titled(repo, context, document_title(case, context["session"].name, "return_request"))
    return Rendered(context, title, returned.date)


def co_opinion_context(repo: Repository, item: CaseFile, output: Output) -> Rendered:
    context = _case_common(repo, item, output.year)
    title = _titled(repo, context, document_title(item.case, context["session"].name, "co_opinion"))
    return Rendered(context, title, item.case.reply.date)


def feedback_context(repo: Repository, item: CaseFile, output: Output) -> Rendered:
    """The form as it goes out with the reply: the case's facts and the choices, every box empty.
    The member's answers come back on paper and are recorded in `feedback`; they are counted in the
    summary and never printed here as if the member had ticked them."""
    case = item.case
    context = _case_common(repo, item, output.year, output.round)
    context.update(
        contact_modes=[(m.value, LABELS[m.value]) for m in ContactMode],
        satisfaction_levels=[(s.value, LABELS[s.value]) for s in Satisfaction],
        return_to=BODY_WORDS[case.body]["return_to"],
    )
    _titled(repo, context, FORM_TITLES[case.body] + ("（再次答复）" if output.round > 1 else ""))
    title = document_title(case, context["session"].name, "feedback_form", output.round)
    return Rendered(context, typeset(repo, title), context["reply"].date)


def estimated_pages(repo: Repository, item: CaseFile, output: Output, templates: Prepared) -> int:
    """The pages a case's letter (答复函 or 再次答复, 会办意见, 退办申请函) prints on, without printing
    it: its document.xml rendered as build renders it (for reply_to: each, the first recipient's),
    set line by line as LibreOffice does (render/pages.py; tests/test_page_estimate.py compares)."""
    rendered = _CASE_BUILDERS[output.template](repo, item, output)
    return letter_pages(templates[output.template].render_flow(rendered.context))


class LetterPages:
    """页数 of a case's letters in the archive index: as the build recorded them when it rendered
    each letter (known, by engine.plan.letter_key), else counted here on the letter rendered from its
    template."""

    def __init__(self, templates: Prepared, known: Mapping[str, int] | None = None):
        """templates: looked up only for a letter whose pages are not known (may prepare them then)."""
        self.templates = templates
        self.known = known or {}
        self.counted: dict[str, int] = {}  # what was not known and counted here, by letter_key

    def __call__(self, repo: Repository, item: CaseFile, year: int) -> dict[int, int]:
        """Pages of each of the case's letters, by round (a return request is round 1)."""
        found = {}
        for output in counted_letters(item, year, repo.project.reply_to):
            key = letter_key(output)
            pages = self.known.get(key, self.counted.get(key))
            if pages is None:
                pages = self.counted[key] = estimated_pages(repo, item, output, self.templates)
            found[output.round] = pages
        return found


@dataclass(frozen=True)
class ArchiveRow:
    seq: int
    archive_code: str
    doc_number: str
    author: str
    title: str
    date: str
    secrecy: str
    pages: str
    note: str


FORM_PAGES = 1  # the 征询意见表 is laid out for one page (tests/test_print_forms.py prints it)


def archive_items(repo: Repository, item: CaseFile, year: int,
                  letters: LetterPages) -> list[tuple[dt.date, str, str, str, int | None]]:
    """(date, 文号, 责任者, 题名, 页数) of everything filed for one case, generated documents first.

    题名 names the content (DA/T 22-2015 §7.5): a generated document's title with the 案由 in
    brackets, `关于…第7号提案（推动家具产业集群绿色化改造）的答复`; a title the bureau supplies in [ ]."""
    case, org = item.case, repo.project.organisation.name
    session = repo.years[year].file.sessions[case.session].name
    kind = KIND_WORD[case.body]
    items = []
    pages = letters(repo, item, year)
    if case.returned:
        items.append((case.returned.date, case.returned.doc_number or "", org,
                      f"关于申请调整{session}第{case.number}号{kind}（{case.title}）承办单位的函", pages.get(1)))
    names = "、".join(case.proposer_names)
    for round, (reply, feedback) in enumerate(case.rounds, start=1):
        ending = "的会办意见" if case.role is Role.co else "的再次答复" if round > 1 else "的答复"
        items.append((reply.date, reply.doc_number or "", org,
                      f"关于{session}第{case.number}号{kind}（{case.title}）{ending}", pages.get(round)))
        if feedback:  # the form the member filled in and sent back
            about = "再次答复" if round > 1 else "办理情况"
            items.append((feedback.date, "", names,
                          f"[{names}对第{case.number}号{kind}（{case.title}）{about}的征询意见表]", FORM_PAGES))
    for extra in case.archive:
        title = extra.title if extra.doc_number else f"[{extra.title}]"
        items.append((extra.date, extra.doc_number or "", extra.author or "", title, extra.pages))
    return sorted(items, key=lambda i: i[0])


def _archive_cases(repo: Repository, output: Output, letters: LetterPages) -> list[tuple[list, str]]:
    """Per case of the year and body, in session and number order: what it files, and that as text."""
    year = repo.years[output.year]
    cases = []
    for item in sorted(year.cases, key=lambda i: (i.case.session, i.case.number)):
        if item.case.body is output.body:
            cases.append(_items_and_text(repo, item, output.year, letters))
    return cases


def _items_and_text(repo: Repository, item: CaseFile, year: int, letters: LetterPages) -> tuple[list, str]:
    items = archive_items(repo, item, year, letters)
    # repr, not pickle: the repr of dates, strings and numbers says exactly what they hold, while
    # a pickle also records which equal strings happen to be the same object
    return items, repr(items)


def archive_content_key(repo: Repository, output: Output, letters: LetterPages, cases: list | None = None) -> str:
    """A hash of everything the archive index shows: equal keys, equal rows and headings."""
    project = repo.project
    cases = _archive_cases(repo, output, letters) if cases is None else cases
    settings = (output.year, output.body.value, project.organisation.model_dump(), project.archive.model_dump(),
                project.retention, project.typography.model_dump())
    text = "\n".join([repr(settings), *(text for _, text in cases)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def archive_context(repo: Repository, output: Output, letters: LetterPages) -> Rendered:
    body, project = output.body, repo.project
    unit_code = project.archive.units.get(body, "")
    cases = _archive_cases(repo, output, letters)
    rows = []
    entries = [entry for items, _ in cases for entry in items]
    for seq, (date, number, author, title, pages) in enumerate(entries, start=1):
        code = (f"{project.organisation.fonds}-{project.archive.class_code}·{output.year}-"
                f"{RETENTION_CODES[project.retention]}-{unit_code}-{seq:04d}")
        rows.append(ArchiveRow(seq, code, number, author, title, date.strftime("%Y%m%d"), "", str(pages or ""), ""))
    context = {"fonds": project.organisation.fonds, "year": output.year, "retention": project.retention,
               "unit_name": BODY_TITLE[body], "rows": rows, "org": project.organisation}
    _titled(repo, context, "归档文件目录")
    return Rendered(context, f"{output.year}年归档文件目录（{BODY_TITLE[body]}）", dt.date(output.year, 12, 31),
                    archive_content_key(repo, output, letters, cases))


def summary_context(repo: Repository, output: Output) -> Rendered:
    year = repo.years[output.year]
    body = output.body
    stats = year_statistics([i.case for i in year.cases], year.file, repo.project, body)
    written = year.file.summary.sections
    texts = {name: typeset(repo, written[name]) if written.get(name, "").strip() else None
             for key in SUMMARY_SECTIONS for name in (key, key + "_extra")}
    words = dict(BODY_WORDS[body], cc=repo.project.cc_for(body))
    date = year.file.summary.date or dt.date(output.year, 12, 31)
    context = {"org": repo.project.organisation, "year": output.year, "stats": stats, "body_words": words,
               "kind_word": KIND_WORD[body], "sections": texts, "summary_date": date}
    title = _titled(repo, context, f"{repo.project.organisation.name}关于{output.year}年市{words['full']}办理工作情况的总结")
    # the statistics (dataclasses holding the cases), the texts, dates and settings: all the summary shows
    key = hashlib.sha256("\x1f".join(_spelt_out(sorted(context.items()), [])).encode("utf-8")).hexdigest()
    context["sections"] = {name: body_paragraphs(text) if text else None for name, text in texts.items()}
    return Rendered(context, title, date, key)


def _spelt_out(value, out: list[str]) -> list[str]:
    """Everything a value holds, as repr would say it, into out. A model is spelt as its JSON:
    pydantic's repr walks each field in Python and took two thirds of a summary's content key; its
    JSON, made in Rust, names every field just the same."""
    if isinstance(value, BaseModel):
        out += (type(value).__name__, value.model_dump_json())
    elif is_dataclass(value) and not isinstance(value, type):
        out.append(type(value).__name__)
        for item in fields(value):
            out.append(item.name)
            _spelt_out(getattr(value, item.name), out)
    elif isinstance(value, (list, tuple)):
        out.append(f"{type(value).__name__}[{len(value)}]")
        for item in value:
            _spelt_out(item, out)
    elif isinstance(value, dict):
        out.append(f"dict[{len(value)}]")
        for key, item in value.items():
            _spelt_out(key, out)
            _spelt_out(item, out)
    else:
        out.append(repr(value))
    return out


def content_key(repo: Repository, output: Output, letters: LetterPages | None) -> str | None:
    """What a year's document shows, as a hash, when it can be named without rendering it: a
    build compares it with the last one's and keeps the document when they are equal."""
    if output.template == "archive_index":
        assert letters is not None, "an archive index shows its letters' pages"
        return archive_content_key(repo, output, letters)
    if output.template == "summary":
        return summary_context(repo, output).content_key
    return None


_CASE_BUILDERS = {"reply": reply_context, "co_opinion": co_opinion_context, "feedback_form": feedback_context,
                  "return_request": return_request_context}


def context_for(repo: Repository, output: Output, cases: dict[str, CaseFile], templates: Prepared,
                pages: Mapping[str, int] | None = None) -> Rendered:
    """templates: prepared, at least those engine.plan.templates_of(output) names; pages: the
    letters' page counts the build already knows, by engine.plan.letter_key (the rest are counted)."""
    if output.template == "archive_index":
        return archive_context(repo, output, LetterPages(templates, pages))
    if output.template == "summary":
        return summary_context(repo, output)
    return _CASE_BUILDERS[output.template](repo, cases[output.case_file], output)
