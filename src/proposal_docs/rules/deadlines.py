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
from ..model.models import Case, Duration, Project, Role

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


def state_of(case: Case, deadlines: CaseDeadlines, on: dt.date) -> str:
    """open | due_soon | overdue | replied | late — the one word a status list shows."""
    if case.reply:
        return "late" if case.reply.date > deadlines.due else "replied"
    if on > deadlines.due:
        return "overdue"
    if (deadlines.due - on).days <= deadlines.warn_days:
        return "due_soon"
    return "open"


STATE_LABELS = {"open": "办理中", "due_soon": "即将到期", "overdue": "已超期",
                "replied": "已答复", "late": "逾期答复"}


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
    if case.reply is None:
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
    if d.first_contact_due and case.role is not Role.co and on > d.first_contact_due:
        contacted = any(c.date <= d.first_contact_due for c in case.communications)
        if not contacted:
            found.append(source.finding(("communications",),
                                        f"办前沟通期限 {chinese_date(d.first_contact_due)} 已过，没有与提案人沟通的记录",
                                        code="no-first-contact", level="warning"))
    return found

