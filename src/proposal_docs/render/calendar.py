"""build/deadlines.ics: every open deadline as an all-day event, for the clerks' phone calendars.

RFC 5545, written with the icalendar library (folding, escaping and UTF-8 are its business). A
calendar app subscribed to the file updates in place: each event's UID stands for one case and
one kind of deadline, so an extension moves the reply's event rather than adding a second one,
and a case that is replied (or returned) simply leaves the file. The bytes depend on the case
files alone — no "now" anywhere (DTSTAMP is the case's assignment date) — so two builds of the
same inputs write the same file and an unchanged calendar is not rewritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import quote

from icalendar import Alarm, Calendar, Event

from ..engine.plan import KIND_WORD
from ..model.models import Project
from ..rules.clock import chinese_date
from ..rules.reminders import OpenDeadline, handler_of
from .typography import fullwidth_punctuation

CALENDAR_FILE = "deadlines.ics"
ALARM_HOUR = 9  # the reminder shows at 9:00 on its day, not at midnight


def uid(deadline: OpenDeadline, project: Project) -> str:
    """One per case and kind of deadline; the bureau's name keeps two bureaus' feeds apart."""
    case, year = deadline.item.case, deadline.item.rel.split("/")[1]
    bureau = hashlib.sha256(project.organisation.name.encode("utf-8")).hexdigest()[:12]
    return f"{year}-{quote(case.session, safe='')}-{case.number}-{deadline.kind}-{bureau}@proposal-docs"


def summary(deadline: OpenDeadline, fullwidth: bool = True) -> str:
    """提案第119号答复期限：关于…: what is due first, so a phone's agenda line reads well."""
    case = deadline.item.case
    title = fullwidth_punctuation(case.title) if fullwidth else case.title
    return f"{KIND_WORD[case.body]}第{case.number}号{deadline.label}期限：{title}"


def _description(deadline: OpenDeadline, session: str) -> str:
    h = handler_of(deadline.item.case)
    phone = f"（{h.phone}）" if h.phone else ""
    lines = [f"{session}第{deadline.item.case.number}号", f"{deadline.label}期限：{chinese_date(deadline.due)}",
             f"承办：{h.unit} {h.name}{phone}", f"案件文件：{deadline.item.rel}"]
    if deadline.extended and deadline.item.case.extension:
        lines.insert(2, f"延期理由：{deadline.item.case.extension.reason}")
    return "\n".join(lines)


def calendar_bytes(deadlines: list[OpenDeadline], project: Project, sessions: dict[tuple[str, str], str]) -> bytes:
    """sessions: (year, session key) → the session's name, for the description."""
    fullwidth = project.typography.fullwidth_punctuation
    calendar = Calendar()
    calendar.add("prodid", "-//proposal-docs//提案建议办理期限//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{project.organisation.short_name}提案建议办理期限")
    calendar.add("x-wr-timezone", project.timezone)
    for d in sorted(deadlines, key=lambda d: (d.due, d.item.rel, d.kind)):
        case = d.item.case
        event = Event()
        event.add("uid", uid(d, project))
        event.add("dtstamp", dt.datetime.combine(case.assigned, dt.time(), dt.timezone.utc))
        event.add("sequence", 1 if d.extended else 0)  # an extension is a change of the same event
        event.add("dtstart", d.due)
        event.add("dtend", d.due + dt.timedelta(days=1))
        event.add("summary", summary(d, fullwidth))
        session = sessions.get((d.item.rel.split("/")[1], case.session), case.session)
        event.add("description", _description(d, session))
        event.add("transp", "TRANSPARENT")  # a deadline does not make the day busy
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary(d, fullwidth))
        alarm.add("trigger", dt.timedelta(days=-d.warn_days, hours=ALARM_HOUR))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


def deadline_calendar(repo) -> bytes:
    """The calendar of a whole repository (model.repository.Repository)."""
    from ..rules.reminders import open_deadlines

    sessions = {(str(number), key): session.name for number, year in repo.years.items()
                for key, session in year.file.sessions.items()}
    return calendar_bytes(list(open_deadlines(repo)), repo.project, sessions)
