"""The annual summary's figures, computed from the case files — never typed.

One ``YearStatistics`` per year and body (政协提案 / 人大建议). Rates are exact fractions; how they
print (100%, 87.5%) is the template filter's business. Returned cases (退办) are named and left out
of every count and rate; a case handled a second time counts with its latest reply's category and
its latest feedback.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from ..model.models import FACE_TO_FACE, Body, Case, Event, Project, Role, Satisfaction, YearFile


@dataclass(frozen=True)
class CategoryCount:
    code: str
    label: str
    count: int
    numbers: list[int]


@dataclass
class YearStatistics:
    year: int
    body: Body
    session_names: list[str]
    total: int  # cases the bureau handles: assigned, less those returned (退办)
    lead: int
    co: int
    separate: int
    by_kind: dict[str, int]
    lead_cases: list[Case]
    replied: int
    handled: int  # lead and separate cases: the ones we answer the proposer ourselves
    contacted: int  # handled cases with any contact on or before the reply
    face_to_face: int  # handled cases with a visit, invitation or meeting on or before the reply
    categories: list[CategoryCount]
    solved: list[int]  # numbers in the first category (A: 已解决或采纳)
    explained: list[int]  # numbers in the last category (C: 留作参考, explained face to face)
    forms: int  # feedback forms returned
    attitude: dict[str, int]
    result: dict[str, int]
    all_satisfied: bool
    co_opinions: int
    key_numbers: list[int]
    returned: list[Case] = field(default_factory=list)  # 退办: handed back, in no count or rate above
    rehandled: list[Case] = field(default_factory=list)  # 二次办理: replied to again after a 不满意
    rehandled_result: dict[str, int] = field(default_factory=dict)  # their final 办理结果, of those answered
    events: list[Event] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)

    @property
    def assigned(self) -> int:
        return self.total + len(self.returned)

    @property
    def reply_rate(self) -> Fraction | None:
        """replied / (assigned − returned)."""
        return Fraction(self.replied, self.total) if self.total else None

    @property
    def rehandled_pending(self) -> int:
        """Cases handled again whose latest reply has no feedback yet."""
        return sum(1 for c in self.rehandled if c.followups[-1].feedback is None)

    @property
    def face_rate(self) -> Fraction | None:
        return Fraction(self.face_to_face, self.handled) if self.handled else None

    @property
    def satisfaction_rate(self) -> Fraction | None:
        """(满意 + 基本满意) / forms returned, on 办理结果."""
        if not self.forms:
            return None
        good = self.result[Satisfaction.satisfied] + self.result[Satisfaction.basically_satisfied]
        return Fraction(good, self.forms)


def _contacted_before_reply(case: Case, modes=None) -> bool:
    until = case.reply.date if case.reply else dt.date.max
    return any(c.date <= until and (modes is None or c.mode in modes) for c in case.communications)


def year_statistics(cases: list[Case], year_file: YearFile, project: Project, body: Body) -> YearStatistics:
    cases = sorted((c for c in cases if c.body is body), key=lambda c: (c.session, c.number))
    returned = [c for c in cases if c.returned]
    cases = [c for c in cases if not c.returned]
    roles = Counter(c.role for c in cases)
    handled = [c for c in cases if c.role is not Role.co]
    answered = [c for c in handled if c.reply]
    codes = list(project.categories)
    categories = [
        CategoryCount(code, label, len(nums), nums)
        for code, label in project.categories.items()
        for nums in [[c.number for c in answered if c.final_reply.category == code]]
    ]
    forms = [c.final_feedback for c in handled if c.final_feedback]
    rehandled = [c for c in handled if c.followups]
    answered_again = [c.followups[-1].feedback for c in rehandled if c.followups[-1].feedback]
    attitude = Counter({s: 0 for s in Satisfaction}) + Counter(f.attitude for f in forms)
    result = Counter({s: 0 for s in Satisfaction}) + Counter(f.result for f in forms)
    sessions = {c.session for c in cases}
    return YearStatistics(
        year=year_file.year,
        body=body,
        session_names=[s.name for key, s in year_file.sessions.items() if key in sessions],
        total=len(cases),
        lead=roles[Role.lead],
        co=roles[Role.co],
        separate=roles[Role.separate],
        by_kind=dict(Counter(c.kind.value for c in cases)),
        lead_cases=[c for c in cases if c.role is Role.lead],
        replied=sum(1 for c in cases if c.reply),
        handled=len(handled),
        contacted=sum(_contacted_before_reply(c) for c in handled),
        face_to_face=sum(_contacted_before_reply(c, FACE_TO_FACE) for c in handled),
        categories=categories,
        solved=categories[0].numbers if categories else [],
        explained=categories[-1].numbers if len(codes) > 1 else [],
        forms=len(forms),
        attitude={s.value: attitude[s] for s in Satisfaction},
        result={s.value: result[s] for s in Satisfaction},
        all_satisfied=bool(forms) and all(f.attitude is f.result is Satisfaction.satisfied for f in forms),
        co_opinions=sum(len(c.co_opinions) for c in cases),
        key_numbers=[c.number for c in cases if c.key],
        returned=returned,
        rehandled=rehandled,
        rehandled_result={s.value: sum(1 for f in answered_again if f.result is s) for s in Satisfaction},
        events=[e for e in year_file.summary.events if e.body in (None, body)],
        policies=list(year_file.summary.policies),
    )
