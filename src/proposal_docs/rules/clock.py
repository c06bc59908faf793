"""Dates as the bureau sees them.

today(): --today, else $PROPOSAL_DOCS_TODAY, else the clock in the project's timezone.

CI machines run in UTC while the bureau works in Asia/Shanghai: between 0:00 and 8:00 Beijing time
the two disagree about the date, and deadlines are the bureau's.
"""

from __future__ import annotations

import datetime as dt
import os

TODAY_VARIABLE = "PROPOSAL_DOCS_TODAY"


def today(project_timezone: str, override: dt.date | None = None) -> dt.date:
    if override:
        return override
    env = os.environ.get(TODAY_VARIABLE, "").strip()
    if env:
        try:
            return dt.date.fromisoformat(env)
        except ValueError:
            raise ValueError(f"环境变量 {TODAY_VARIABLE} 应写作 YYYY-MM-DD，实际为“{env}”") from None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only when the clock is asked

    try:
        zone = ZoneInfo(project_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"未知的时区“{project_timezone}”（proposal-docs.yaml 的 timezone）") from None
    return dt.datetime.now(zone).date()


def chinese_date(day: dt.date) -> str:
    """2024年5月20日: Arabic numerals, no leading zeros (GB/T 9704 7.3.5.4)."""
    return f"{day.year}年{day.month}月{day.day}日"
