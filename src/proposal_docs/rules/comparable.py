"""What `similar` and the site's 往年相似提案 know of a case: a few fields, made from the validated
model by one function, so that they can also be kept between runs (engine/similarcache.py).

No model is imported at module level: `similar` builds its index from kept entries without
loading pydantic or YAML at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..model.models import Case
    from ..model.repository import CaseFile, Year

# The opening of a reply names its subject (一、关于……); what follows is mostly the bureau's measures,
# worded alike in every reply. Comparing the first characters keeps the answer fast on ten years of
# full-length replies (a 1,600-character reply is ten times the work and the memory) at no visible
# cost to which cases come first.
REPLY_CHARS = 400


class Comparable(NamedTuple):  # a tuple, not a dataclass: ten thousand are made from a digest in milliseconds
    rel: str  # the case file, repository-relative
    year: int  # of the folder it is filed in
    session: str  # the session's key (cppcc-13-4)
    session_name: str  # as the year file names it (市政协十三届四次会议)
    body: str  # cppcc or npc
    number: int
    title: str
    text: str  # the compared body: the opening of every reply, second ones too (see REPLY_CHARS)
    outcome: str  # see outcome()
    doc_number: str  # of the (first) reply, "" without one
    category: str  # 答复类别 of the (first) reply, "" without one


def outcome(case: Case) -> str:
    """What became of a case, in a word or two: 答复类别 (of the last reply), 会办意见, 退办, 未答复."""
    if case.returned:
        return "退办"
    if case.reply is None:
        return "未答复"
    if case.role == "co":
        return "会办意见"
    last = case.rounds[-1][0]
    again = "再次答复 " if case.followups else ""
    return f"{again}{last.category}类" if last.category else f"{again or '已答复'}".strip()


def comparable(item: CaseFile, year: Year) -> Comparable:
    """The case of a valid file, filed in the given year, as it is compared and shown."""
    case = item.case
    session = year.file.sessions.get(case.session)
    reply = case.reply
    return Comparable(item.rel, year.year, case.session, session.name if session else case.session, str(case.body),
                      case.number, case.title, "\n".join(r.body[:REPLY_CHARS] for r, _ in case.rounds), outcome(case),
                      str(reply.doc_number or "") if reply else "", str(reply.category or "") if reply else "")
