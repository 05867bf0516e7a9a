"""Dates and small texts as a UK reader expects them ("Thu 2 Apr 2026"), whatever the
machine's locale.

`strftime`'s %a/%b/%B follow the process locale (under LANG=de_DE.UTF-8 a letter was dated
"5 März 2026"), so dates are written with Babel (BSD licence) in the `en_GB` locale: the
CLDR's British forms, which abbreviate September as "Sept".
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from babel import Locale
from babel.dates import format_date, format_datetime

UK = "en_GB"


@cache
def _uk() -> Locale:
    return Locale.parse(UK)


def uk_date(day: date) -> str:
    """Short form for lists and timelines: 'Thu 2 Apr 2026'."""
    return format_date(day, "EEE d MMM y", locale=_uk())


def uk_long_date(day: date) -> str:
    """Long form for letters: '2 April 2026'."""
    return format_date(day, "d MMMM y", locale=_uk())


def uk_month(year: int, month: int, *, short: bool = False) -> str:
    """A month of the year for reports and charts: 'March 2026', or 'Mar 2026' short.

    `calendar.month_name` follows the process locale too (Qt sets it from LANG at start), so
    a report under LANG=de_DE.UTF-8 was headed "März 2026"."""
    return format_date(date(year, month, 1), "MMM y" if short else "MMMM y", locale=_uk())


def uk_timestamp(moment: datetime) -> str:
    """A UTC timestamp shown in local time: 'Thu 2 Apr 2026 14:05'."""
    local = moment.astimezone()
    return format_datetime(local, "EEE d MMM y HH:mm", locale=_uk())


def days_phrase(days: int) -> str:
    """'due today', '3 days left', '1 day overdue'."""
    if days == 0:
        return "due today"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} left"
    return f"{-days} day{'s' if days != -1 else ''} overdue"
