"""Dates and small texts as a UK reader expects them ("Thu 2 Apr 2026")."""

from __future__ import annotations

from datetime import date, datetime


def uk_date(day: date) -> str:
    """Short form for lists and timelines: 'Thu 2 Apr 2026'."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def uk_long_date(day: date) -> str:
    """Long form for letters: '2 April 2026'."""
    return f"{day.day} {day:%B %Y}"


def uk_timestamp(moment: datetime) -> str:
    """A UTC timestamp shown in local time: 'Thu 2 Apr 2026 14:05'."""
    local = moment.astimezone()
    return f"{uk_date(local.date())} {local:%H:%M}"


def days_phrase(days: int) -> str:
    """'due today', '3 days left', '1 day overdue'."""
    if days == 0:
        return "due today"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} left"
    return f"{-days} day{'s' if days != -1 else ''} overdue"
