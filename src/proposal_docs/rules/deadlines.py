"""Deadlines: durations, China's working-day calendar, due dates and the findings about them.

All date arithmetic of the tool lives here. Calendar months come from python-dateutil (which
clamps to month end: 2024-11-30 + 3 months = 2025-02-28); working days from chinese-calendar,
which knows statutory holidays and the 调休 weekends that are worked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar
from dateutil.relativedelta import relativedelta

from .clock import TODAY_VARIABLE, chinese_date, today  # noqa: F401 - today is part of this module's interface
from ..model.findings import Finding
from ..model.layout import PROJECT_FILE
from ..model.loading import Source
from ..model.models import Case, Duration, Feedback, Project, Role, Satisfaction

KNOWN = min(chinese_calendar.holidays), max(chinese_calendar.holidays)  # outside: Monday–Friday


@dataclass
class WorkdayCalendar:
    """China's working days; years not yet published fall back to Monday–Friday and are noted."""

    unknown_years: set[int] = field(default_factory=set)
    _sums: dict[tuple[dt.date, int], dt.date] = field(default_factory=dict)  # most cases share dates

    def is_workday(self, day: dt.date) -> bool:
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            self.unknown_years.add(day.year)
            return day.weekday() < 5

    def add_workdays(self, start: dt.date, count: int) -> dt.date:
        """The date on which the count-th working day after start falls."""
        key = (start, count)
        if key not in self._sums:
            day = start
            while count > 0:
                if count > 5 and not KNOWN[0].year <= day.year <= KNOWN[1].year:  # five in every seven days
                    self.unknown_years.add(day.year)
                    weeks = (count - 1) // 5 if day > KNOWN[1] else min((count - 1) // 5, (KNOWN[0] - day).days // 7)
                    day, count = day + dt.timedelta(weeks=weeks), count - 5 * weeks
                day += dt.timedelta(days=1)
                count -= self.is_workday(day)
            self._sums[key] = day
        return self._sums[key]


def add(duration: Duration, start: dt.date, calendar: WorkdayCalendar) -> dt.date:
    """start + duration; dt.date.max when that lies beyond 9999-12-31 (deadline_findings says so)."""
    if duration.date is not None:
        return duration.date
    try:
        if duration.months is not None:
            return start + relativedelta(months=duration.months)
        if duration.days is not None:
            return start + dt.timedelta(days=duration.days)
        return calendar.add_workdays(start, duration.workdays or 0)
    except (OverflowError, ValueError):
        return dt.date.max


@dataclass(frozen=True)
class CaseDeadlines:
    due: dt.date  # the date by which the reply (or a co case's opinion) must be sent
    max_due: dt.date  # no extension may go beyond it
    first_contact_due: dt.date | None
    warn_days: int


def deadlines_of(case: Case, project: Project, calendar: WorkdayCalendar) -> CaseDeadlines:
    rules = project.rules_for(case.body)
    base = rules.co_opinion if case.role is Role.co else rules.reply
    due = case.due or add(base, case.assigned, calendar)
    if case.extension:
        due = case.extension.due
    first = add(rules.first_contact, case.assigned, calendar) if rules.first_contact else None
    return CaseDeadlines(due, add(rules.max, case.assigned, calendar), first, rules.warn_days)


def return_due(case: Case, project: Project, calendar: WorkdayCalendar) -> dt.date:
    """The last day on which the case may be handed back (退办); after it 不作调整."""
    return add(project.rules_for(case.body).return_, case.assigned, calendar)


@dataclass(frozen=True)
class Rehandle:
    """An open 二次办理: the 不满意 feedback that asks for it and the date the further reply is due."""

    feedback: Feedback
    path: tuple[str | int, ...]  # where that feedback is written, e.g. ("followups", 0, "feedback")
    round: int  # the round that will answer it: 2 for the first followup
    due: dt.date


def open_rehandle(case: Case, project: Project, calendar: WorkdayCalendar) -> Rehandle | None:
    """The rehandle deadline a case has open now, if any: its latest feedback says 不满意 for
    办理结果 and no followup answers it yet. Other code (status, calendar, remind) asks here."""
    if case.returned or case.role is Role.co:
        return None
    rounds = case.rounds
    if not rounds or rounds[-1][1] is None or rounds[-1][1].result is not Satisfaction.dissatisfied:
        return None
    feedback = rounds[-1][1]
    path: tuple[str | int, ...] = ("feedback",) if len(rounds) == 1 else ("followups", len(rounds) - 2, "feedback")
    due = add(project.rules_for(case.body).rehandle, feedback.date, calendar)
    return Rehandle(feedback, path, len(rounds) + 1, due)


def state_of(case: Case, deadlines: CaseDeadlines, on: dt.date, rehandle: Rehandle | None = None) -> str:
    """open | due_soon | overdue | replied | late | returned | rehandle | rehandle_overdue — the one
    word a status list shows. rehandle: what open_rehandle() says of the case."""
    if case.returned:
        return "returned"
    if rehandle is not None:
        return "rehandle_overdue" if on > rehandle.due else "rehandle"
    if case.reply and case.reply.date <= on:  # a reply dated after the day asked about is not sent yet then
        return "late" if case.reply.date > deadlines.due else "replied"
    if on > deadlines.due:
        return "overdue"
    if (deadlines.due - on).days <= deadlines.warn_days:
        return "due_soon"
    return "open"


STATE_LABELS = {"open": "办理中", "due_soon": "即将到期", "overdue": "已超期",
                "replied": "已答复", "late": "逾期答复", "returned": "已退办",
                "rehandle": "二次办理中", "rehandle_overdue": "二次办理超期"}


def deadline_findings(case: Case, source: Source, project: Project, calendar: WorkdayCalendar,
                      on: dt.date) -> list[Finding]:
    """Everything a deadline says about one valid case on a given day."""
    d = deadlines_of(case, project, calendar)
    found: list[Finding] = []
    what, verb = ("会办意见", "提交会办意见") if case.role is Role.co else ("答复", "答复")
    due_at = ("extension", "due") if case.extension else ("due",) if case.due else ("assigned",)
    if dt.date.max in (d.due, d.max_due, d.first_contact_due):
        found.append(source.finding(("assigned",), f"按交办日期和 {PROJECT_FILE} 中 deadlines 的设置，期限超出了 "
                                    "9999年12月31日，请核对交办日期和期限", code="deadline-out-of-range"))

    if case.extension and case.extension.due > d.max_due:
        found.append(source.finding(("extension", "due"),
                                    f"延期至 {chinese_date(case.extension.due)} 超过了最长期限 {chinese_date(d.max_due)}",
                                    code="extension-beyond-max"))
    if case.returned:
        last = return_due(case, project, calendar)
        if case.returned.date > last:
            found.append(source.finding(("returned", "date"),
                                        f"退办日期 {chinese_date(case.returned.date)} 已过退办期限 {chinese_date(last)}"
                                        "（交办后逾期不作调整），应由本单位办理", code="late-return"))
    elif case.reply is None:
        days_left = (d.due - on).days
        if days_left < 0:
            line, column = source.position(due_at)
            found.append(Finding(source.path, line, column, "reply", "error", "overdue",
                                 f"已超过{what}期限 {chinese_date(d.due)} {-days_left} 天，仍未{verb}"))
        elif days_left <= d.warn_days:
            line, column = source.position(due_at)
            found.append(Finding(source.path, line, column, "reply", "warning", "due-soon",
                                 f"{what}期限 {chinese_date(d.due)}，还剩 {days_left} 天"))
    else:
        if case.reply.date > d.due:
            found.append(source.finding(("reply", "date"),
                                        f"{what}日期 {chinese_date(case.reply.date)} 晚于期限 {chinese_date(d.due)}",
                                        code="late-co-opinion" if case.role is Role.co else "late-reply"))
        if case.reply.date > on:
            found.append(source.finding(("reply", "date"),
                                        f"{what}日期 {chinese_date(case.reply.date)} 晚于今天 {chinese_date(on)}",
                                        code="reply-in-future", level="warning"))
    found += _rehandle_findings(case, source, project, calendar, on, d.warn_days)
    if d.first_contact_due and case.role is not Role.co and not case.returned and on > d.first_contact_due:
        contacted = any(c.date <= d.first_contact_due for c in case.communications)
        if not contacted:
            found.append(source.finding(("communications",),
                                        f"办前沟通期限 {chinese_date(d.first_contact_due)} 已过，没有与提案人沟通的记录",
                                        code="no-first-contact", level="warning"))
    return found



def _rehandle_findings(case: Case, source: Source, project: Project, calendar: WorkdayCalendar,
                       on: dt.date, warn_days: int) -> list[Finding]:
    """二次办理: the further reply a 不满意 feedback asks for, and each followup against its deadline."""
    found: list[Finding] = []
    rules = project.rules_for(case.body)
    rounds = case.rounds
    for i, followup in enumerate(case.followups):
        asked = rounds[i][1]  # the feedback this followup answers
        if asked is not None and asked.result is Satisfaction.dissatisfied:
            due = add(rules.rehandle, asked.date, calendar)
            if followup.reply.date > due:
                found.append(source.finding(("followups", i, "reply", "date"),
                                            f"再次答复日期 {chinese_date(followup.reply.date)} 晚于二次办理期限 {chinese_date(due)}",
                                            code="late-rehandle", level="warning"))
        if followup.reply.date > on:
            found.append(source.finding(("followups", i, "reply", "date"),
                                        f"再次答复日期 {chinese_date(followup.reply.date)} 晚于今天 {chinese_date(on)}",
                                        code="reply-in-future", level="warning"))
    pending = open_rehandle(case, project, calendar)
    if pending is not None:
        days_left = (pending.due - on).days
        line, column = source.position(pending.path + ("result",))
        asked = f"{chinese_date(pending.feedback.date)} 反馈办理结果不满意"
        if days_left < 0:
            found.append(Finding(source.path, line, column, "followups", "error", "rehandle-overdue",
                                 f"{asked}，二次办理期限 {chinese_date(pending.due)} 已过 {-days_left} 天，"
                                 "仍未再次答复（在 followups 中记录）"))
        elif days_left <= warn_days:
            found.append(Finding(source.path, line, column, "followups", "warning", "rehandle-due-soon",
                                 f"{asked}，须在 {chinese_date(pending.due)} 前再次答复，还剩 {days_left} 天"))
    return found
