"""Counting working days (Monday to Friday, not a bank holiday of the case's region).

Reminders speak in working days ("ID asked for 10 working days ago", "due within 5 working
days") because that is how a DPO plans the week; the law's own dates stay in app.deadlines.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from app.deadlines import DEFAULT_REGION, is_working_day


# Reminders ask these of every open case at each start; the cases share a few thousand days,
# and a case paused years ago would otherwise be counted out a day at a time (issue 14).
@lru_cache(maxsize=16_384)
def working_days_between(start: date, end: date, region: str = DEFAULT_REGION) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier).

    Asked on Monday, the following Monday is 5 working days later; a deadline today is 0
    working days away.
    """
    if end < start:
        return -working_days_between(end, start, region)
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if is_working_day(day, region):
            count += 1
        day += timedelta(days=1)
    return count


@lru_cache(maxsize=16_384)
def add_working_days(start: date, days: int, region: str = DEFAULT_REGION) -> date:
    """The `days`-th working day after `start` (`start` itself for 0)."""
    if days < 0:
        raise ValueError("Count working days forwards only.")
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day, region):
            days -= 1
    return day
