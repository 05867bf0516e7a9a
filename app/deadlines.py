"""Deadline arithmetic for data subject requests (DESIGN.md section 3), as pure functions.

Everything here is a calendar date in the organisation's own calendar. The rules:
one calendar month to the corresponding date (month end when there is none), moved to the
next working day; our own 30-day promise, kept on the previous working day; the clock
restarted at the "relevant time"; clarification pauses whose days (both ends included) are
added to every unadjusted date before it moves to a working day, once; extensions of up to
two further months.
"""

from __future__ import annotations

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


def previous_working_day(day: date, region: str = DEFAULT_REGION) -> date:
    """`day` itself when it is a working day, else the last working day before it (rule 4:
    a promise of 30 days cannot be kept on a Saturday, so it is kept on the Friday)."""
    while not is_working_day(day, region):
        day -= timedelta(days=1)
    return day


def add_months(start: date, months: int) -> date:
    """The corresponding date `months` later, or that month's last day (rules 1 and 2)."""
    return start + relativedelta(months=months)


def statutory_deadline(
    start: date, *, months: int = 1, paused: int = 0, region: str = DEFAULT_REGION
) -> date:
    """The legal deadline: `months` calendar months from `start`, plus `paused` days of
    stopped clock, and only then moved to a working day, once (rules 1, 2, 3 and 6)."""
    if months < 1:
        raise ValueError("A deadline is at least one month after the start.")
    if paused < 0:
        raise ValueError("Paused days cannot be negative.")
    return next_working_day(add_months(start, months) + timedelta(days=paused), region)


def promised_deadline(
    start: date,
    *,
    days: int = DEFAULT_PROMISE_DAYS,
    paused: int = 0,
    region: str = DEFAULT_REGION,
) -> date:
    """Our policy's promise: `days` calendar days after `start` plus `paused` days, kept on
    the previous working day when that date is not one (rule 4).

    A very short promise (a few days) received at a weekend could move back to before the
    request arrived; then it moves forward to the next working day instead.
    """
    if days < 1:
        raise ValueError("The promise is at least one day.")
    if paused < 0:
        raise ValueError("Paused days cannot be negative.")
    unadjusted = start + timedelta(days=days + paused)
    kept = previous_working_day(unadjusted, region)
    return kept if kept > start else next_working_day(unadjusted, region)


def effective_deadline(
    start: date,
    *,
    promise_days: int = DEFAULT_PROMISE_DAYS,
    paused: int = 0,
    region: str = DEFAULT_REGION,
) -> date:
    """The deadline that drives the app: the earlier of the statutory and promised dates."""
    return min(
        statutory_deadline(start, paused=paused, region=region),
        promised_deadline(start, days=promise_days, paused=paused, region=region),
    )


def opt_out_target(received: date, *, region: str = DEFAULT_REGION) -> date:
    """A marketing opt-out is actioned at once; its target is the next working day (rule 8)."""
    return next_working_day(received + timedelta(days=1), region)


def paused_days(paused_on: date, resumed_on: date) -> int:
    """Days that do not count for one clarification pause: both ends included (rule 6)."""
    if resumed_on < paused_on:
        raise ValueError("The clarification cannot arrive before it was asked for.")
    return (resumed_on - paused_on).days + 1


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
    paused_since: date | None = None  # an open clarification pause: the clock is stopped

    @property
    def paused(self) -> int:
        """Every completed pause's days, which every deadline is moved by (rule 6)."""
        return sum(self.pauses)


def case_deadlines(clock: Clock) -> Deadlines:
    """All deadlines of a case from its clock (rules 1 to 8 together).

    Each date is its unadjusted date (the corresponding date, the three-month date, the
    30-day date) plus all paused days, and only then moved to a working day, once. Moving
    first and adding after would count a weekend twice (DESIGN.md rule 6).
    """
    paused, region = clock.paused, clock.region
    one_month = statutory_deadline(clock.start, paused=paused, region=region)
    maximum = statutory_deadline(
        clock.start, months=1 + MAX_EXTENSION_MONTHS, paused=paused, region=region
    )
    if clock.extension_months:
        statutory = statutory_deadline(
            clock.start, months=1 + clock.extension_months, paused=paused, region=region
        )
        # Once the requester has been told of an extension and why, the extended date is the
        # promise too: "a reasonable time frame and the reason for the delay".
        promised = statutory
    elif clock.marketing_opt_out:
        statutory = one_month
        promised = opt_out_target(clock.start, region=region)
    else:
        statutory = one_month
        promised = promised_deadline(
            clock.start, days=clock.promise_days, paused=paused, region=region
        )
    return Deadlines(
        statutory=statutory, promised=promised, extension_notice_by=one_month, maximum=maximum
    )


def notice_in_time(clock: Clock, on: date) -> bool:
    """Whether notice of an extension given `on` is within the one month for giving it.

    Paused days do not count towards that month either (rule 6), so the notice date moves
    with completed pauses; and while a pause is open the clock is stopped, so a notice given
    during it is in time when the pause itself began in time (received 2 Mar 2026, paused
    30 Mar and still open: notice on 6 Apr is in time, the month would have ended 2 Apr).
    """
    notice_by = case_deadlines(clock).extension_notice_by
    if on <= notice_by:
        return True
    since = clock.paused_since
    return since is not None and since <= notice_by and on >= since
