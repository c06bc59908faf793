"""Deadline arithmetic: calendar months clamp to month end, workdays follow China's calendar."""

import datetime as dt
import re

import pytest

from proposal_docs.rules.deadlines import WorkdayCalendar, add, deadlines_of, state_of, today
from proposal_docs.model.models import Case, DeadlineRules, Duration, Project

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 11, 30), 3, D(2025, 2, 28)),  # the contract's own example
        (D(2023, 11, 30), 3, D(2024, 2, 29)),  # leap year
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 3, 20), 3, D(2024, 6, 20)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
    ],
)
def test_calendar_months_clamp_to_month_end(start, months, expected):
    assert add(Duration(months=months), start, WorkdayCalendar()) == expected


def test_calendar_days_and_fixed_date():
    calendar = WorkdayCalendar()
    assert add(Duration(days=30), D(2024, 2, 15), calendar) == D(2024, 3, 16)
    assert add(Duration(date=D(2024, 9, 30)), D(2024, 3, 1), calendar) == D(2024, 9, 30)


def test_workdays_skip_spring_festival_and_count_its_working_sunday():
    calendar = WorkdayCalendar()
    # 2024 春节: 2月10日–17日 off, Sunday 2月18日 worked (调休)
    assert add(Duration(workdays=1), D(2024, 2, 9), calendar) == D(2024, 2, 18)
    assert add(Duration(workdays=2), D(2024, 2, 9), calendar) == D(2024, 2, 19)
    # Sunday 2月4日 was a working day too
    assert add(Duration(workdays=1), D(2024, 2, 3), calendar) == D(2024, 2, 4)
    assert not calendar.unknown_years


def test_workdays_across_national_day():
    calendar = WorkdayCalendar()
    # 2024 国庆: Sunday 9月29日 worked, 10月1日–7日 off, Saturday 10月12日 worked
    assert add(Duration(workdays=1), D(2024, 9, 27), calendar) == D(2024, 9, 29)
    assert add(Duration(workdays=1), D(2024, 9, 30), calendar) == D(2024, 10, 8)
    assert add(Duration(workdays=4), D(2024, 10, 8), calendar) == D(2024, 10, 12)


def test_unknown_year_counts_monday_to_friday_and_says_so():
    calendar = WorkdayCalendar()
    # 2099-01-02 is a Friday; five workdays later is the next Friday
    assert add(Duration(workdays=5), D(2099, 1, 2), calendar) == D(2099, 1, 9)
    assert calendar.unknown_years == {2099}


def test_duration_needs_exactly_one_unit():
    with pytest.raises(ValueError):
        Duration(months=1, days=3)
    with pytest.raises(ValueError):
        Duration()


def _case(**changes) -> Case:
    data = dict(kind="proposal", session="s", number=1, title="t", proposers=["甲"], assigned=D(2024, 3, 20))
    data.update(changes)
    return Case.model_validate(data)


def test_due_dates_follow_role_override_and_extension():
    project = Project.model_validate({"organisation": {"name": "局", "short_name": "局"}})
    calendar = WorkdayCalendar()
    assert deadlines_of(_case(), project, calendar).due == D(2024, 6, 20)
    assert deadlines_of(_case(role="co", lead_unit="甲局"), project, calendar).due == D(2024, 4, 20)
    assert deadlines_of(_case(due="2024-05-01"), project, calendar).due == D(2024, 5, 1)
    extended = _case(extension={"due": "2024-09-01", "reason": "复杂"})
    assert deadlines_of(extended, project, calendar).due == D(2024, 9, 1)
    assert deadlines_of(extended, project, calendar).max_due == D(2024, 9, 20)


def test_state_of_a_case():
    project = Project.model_validate({"organisation": {"name": "局", "short_name": "局"},
                                      "deadlines": {"cppcc": {"reply": {"days": 30}}}})
    rules = project.rules_for(_case().body)
    assert rules == DeadlineRules(reply=Duration(days=30))
    d = deadlines_of(_case(), project, WorkdayCalendar())
    assert state_of(_case(), d, D(2024, 3, 21)) == "open"
    assert state_of(_case(), d, D(2024, 4, 10)) == "due_soon"
    assert state_of(_case(), d, D(2024, 4, 20)) == "overdue"
    replied = _case(reply={"date": "2024-04-25", "body": "x", "category": "A", "disclosure": "public"})
    assert state_of(replied, d, D(2024, 5, 1)) == "late"


def test_today_prefers_option_then_environment(monkeypatch):
    monkeypatch.setenv("PROPOSAL_DOCS_TODAY", "2024-07-01")
    assert today("Asia/Shanghai", D(2024, 1, 2)) == D(2024, 1, 2)
    assert today("Asia/Shanghai") == D(2024, 7, 1)
    monkeypatch.delenv("PROPOSAL_DOCS_TODAY")
    shanghai = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    assert today("Asia/Shanghai") == shanghai
    with pytest.raises(ValueError, match="时区"):
        today("Mars/Olympus")


def test_workdays_beyond_the_published_calendar_count_five_in_seven():
    """Counting far past the published years takes whole weeks at a time, and agrees with day by day."""
    calendar = WorkdayCalendar()
    start = D(2031, 3, 5)  # a Wednesday, no published holidays
    for count in (1, 5, 6, 17, 250):
        day, left = start, count
        while left:
            day += dt.timedelta(days=1)
            left -= day.weekday() < 5
        assert add(Duration(workdays=count), start, calendar) == day
    assert add(Duration(workdays=3_000_000), D(2024, 3, 20), calendar) == dt.date.max
    assert add(Duration(workdays=40), D(1, 1, 1), calendar) == D(1, 2, 26)


@pytest.mark.parametrize("duration", [Duration(days=999_999_999), Duration(months=100_000), Duration(days=3_000_000)])
def test_a_deadline_past_9999_is_the_last_date_not_a_crash(duration):
    assert add(duration, D(2024, 3, 20), WorkdayCalendar()) == dt.date.max
    assert add(Duration(months=3), D(9999, 12, 31), WorkdayCalendar()) == dt.date.max


def test_a_leap_day_assignment_with_communications_is_checked(example):
    """2024-02-29 with a contact: one year earlier has no 29 February (it crashed every command)."""
    from conftest import edit, run

    path = example / "cases/2024/p007.yaml"
    edit(path, "assigned: 2024-03-20", "assigned: 2024-02-29")
    edit(path, "{date: 2024-04-02, mode: visit", "{date: 2023-02-27, mode: visit")
    result = run(example, "check", "--today", "2024-12-31")
    said = result.output + result.stderr
    assert "内部错误" not in said and "Traceback" not in said
    assert re.search(r"cases/2024/p007.yaml:\d+:12 communications\[0\].date：沟通日期比交办日期早一年以上", said)
    edit(path, "{date: 2023-02-27, mode: visit", "{date: 2023-03-01, mode: visit")
    assert "早一年以上" not in run(example, "check", "--today", "2024-12-31").output
