"""Deadline arithmetic for data subject requests (DESIGN.md section 3), as pure functions.

Everything here is a calendar date in the organisation's own calendar. The rules:
one calendar month to the corresponding date (month end when there is none), moved to the
next working day; our own 30-day promise; the clock restarted at the "relevant time";
clarification pauses that move every deadline by the paused days (both ends included);
extensions of up to two further months.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

REGIONS: dict[str, str] = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}
REGION_LABELS: dict[str, str] = {
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}
DEFAULT_REGION = "england-and-wales"
DEFAULT_PROMISE_DAYS = 30
MAX_EXTENSION_MONTHS = 2


class UnknownRegion(ValueError):
    """A bank-holiday region the app does not know."""


@lru_cache(maxsize=8)
def _bank_holidays(region: str) -> holidays.HolidayBase:
    try:
        subdivision = REGIONS[region]
    except KeyError:
        known = ", ".join(REGIONS)
        raise UnknownRegion(
            f"Unknown bank-holiday region {region!r}; choose one of {known}."
        ) from None
    return holidays.country_holidays("GB", subdiv=subdivision)


def bank_holiday_name(day: date, region: str = DEFAULT_REGION) -> str | None:
    """The bank holiday's name on `day` in `region`, or None."""
    return _bank_holidays(region).get(day)


def is_working_day(day: date, region: str = DEFAULT_REGION) -> bool:
    """Monday to Friday and not a bank holiday in `region`."""
    return day.weekday() < 5 and day not in _bank_holidays(region)


def next_working_day(day: date, region: str = DEFAULT_REGION) -> date:
    """`day` itself when it is a working day, else the first working day after it (rule 3)."""
    while not is_working_day(day, region):
        day += timedelta(days=1)
    return day


def add_months(start: date, months: int) -> date:
    """The corresponding date `months` later, or that month's last day (rules 1 and 2)."""
    return start + relativedelta(months=months)


def statutory_deadline(start: date, *, months: int = 1, region: str = DEFAULT_REGION) -> date:
    """The legal deadline: `months` calendar months from `start`, on a working day."""
    if months < 1:
        raise ValueError("A deadline is at least one month after the start.")
    return next_working_day(add_months(start, months), region)


def promised_deadline(start: date, *, days: int = DEFAULT_PROMISE_DAYS) -> date:
    """Our policy's promise: `days` calendar days after `start` (rule 4)."""
    if days < 1:
        raise ValueError("The promise is at least one day.")
    return start + timedelta(days=days)


def effective_deadline(
    start: date, *, promise_days: int = DEFAULT_PROMISE_DAYS, region: str = DEFAULT_REGION
) -> date:
    """The deadline that drives the app: the earlier of the statutory and promised dates."""
    return min(
        statutory_deadline(start, region=region),
        promised_deadline(start, days=promise_days),
    )


def opt_out_target(received: date, *, region: str = DEFAULT_REGION) -> date:
    """A marketing opt-out is actioned at once; its target is the next working day (rule 8)."""
    return next_working_day(received + timedelta(days=1), region)


def paused_days(paused_on: date, resumed_on: date) -> int:
    """Days that do not count for one clarification pause: both ends included (rule 6)."""
    if resumed_on < paused_on:
        raise ValueError("The clarification cannot arrive before it was asked for.")
    return (resumed_on - paused_on).days + 1


def shift_for_pauses(
    deadline: date, pauses: Iterable[int], *, region: str = DEFAULT_REGION
) -> date:
    """Move a statutory deadline later by each pause in turn, back onto a working day each time.

    Rule 6 says the deadline moves by the paused days "then rule 3 applies again"; each pause
    moves the deadline as it stood, so several pauses add up.
    """
    for days in pauses:
        deadline = next_working_day(deadline + timedelta(days=days), region)
    return deadline


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The dates a case is held to, given its clock."""

    statutory: date
    promised: date
    extension_notice_by: date
    maximum: date

    @property
    def effective(self) -> date:
        return min(self.statutory, self.promised)


@dataclass(frozen=True, slots=True)
class Clock:
    """What the deadlines of one case depend on."""

    start: date  # the relevant time: receipt, or the day identity information arrived
    pauses: tuple[int, ...] = ()  # days of each completed clarification pause
    extension_months: int = 0
    marketing_opt_out: bool = False
    promise_days: int = DEFAULT_PROMISE_DAYS
    region: str = DEFAULT_REGION


def case_deadlines(clock: Clock) -> Deadlines:
    """All deadlines of a case from its clock (rules 1 to 8 together)."""
    one_month = shift_for_pauses(
        statutory_deadline(clock.start, region=clock.region), clock.pauses, region=clock.region
    )
    maximum = shift_for_pauses(
        statutory_deadline(clock.start, months=1 + MAX_EXTENSION_MONTHS, region=clock.region),
        clock.pauses,
        region=clock.region,
    )
    if clock.extension_months:
        statutory = shift_for_pauses(
            statutory_deadline(clock.start, months=1 + clock.extension_months, region=clock.region),
            clock.pauses,
            region=clock.region,
        )
        # Once the requester has been told of an extension and why, the extended date is the
        # promise too: "a reasonable time frame and the reason for the delay".
        promised = statutory
    elif clock.marketing_opt_out:
        statutory = one_month
        promised = opt_out_target(clock.start, region=clock.region)
    else:
        statutory = one_month
        promised = promised_deadline(clock.start, days=clock.promise_days) + timedelta(
            days=sum(clock.pauses)
        )
    return Deadlines(
        statutory=statutory, promised=promised, extension_notice_by=one_month, maximum=maximum
    )
