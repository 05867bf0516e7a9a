"""DESIGN.md section 3, rule by rule, with dates worked out by hand from a calendar.

Weekdays for reference: 3 Oct 2026 is a Saturday; 28 Feb 2026 a Saturday; 29 Feb 2028 a
Tuesday; 25 Dec 2026 a Friday (Boxing Day observed Mon 28 Dec in every UK region).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.deadlines import (
    REGIONS,
    Clock,
    UnknownRegion,
    add_months,
    case_deadlines,
    effective_deadline,
    is_working_day,
    next_working_day,
    notice_in_time,
    opt_out_target,
    paused_days,
    previous_working_day,
    promised_deadline,
    statutory_deadline,
)

EW, SCT, NI = "england-and-wales", "scotland", "northern-ireland"


# Rule 1: one calendar month, to the corresponding date ---------------------------------
def test_ico_example_corresponding_date_on_a_working_day() -> None:
    # Received Wed 3 Sep 2025: 3 Oct 2025 is a Friday, so that is the deadline.
    assert statutory_deadline(date(2025, 9, 3)) == date(2025, 10, 3)


def test_ico_example_moved_to_monday_when_the_date_is_a_weekend() -> None:
    # Received Thu 3 Sep 2026: 3 Oct 2026 is a Saturday -> Monday 5 Oct 2026.
    assert add_months(date(2026, 9, 3), 1) == date(2026, 10, 3)
    assert statutory_deadline(date(2026, 9, 3)) == date(2026, 10, 5)


def test_counting_starts_on_a_non_working_day_of_receipt() -> None:
    # Received on Saturday 22 Aug 2026 -> Tuesday 22 Sep 2026.
    assert statutory_deadline(date(2026, 8, 22)) == date(2026, 9, 22)


# Rule 2: no corresponding date -> last day of the month ---------------------------------
@pytest.mark.parametrize(
    ("received", "raw", "due"),
    [
        (date(2026, 3, 31), date(2026, 4, 30), date(2026, 4, 30)),  # Thu
        (date(2026, 8, 31), date(2026, 9, 30), date(2026, 9, 30)),  # Wed
        (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 2)),  # Sat 28 Feb -> Mon 2 Mar
        (date(2026, 1, 29), date(2026, 2, 28), date(2026, 3, 2)),
        (date(2028, 1, 31), date(2028, 2, 29), date(2028, 2, 29)),  # leap year, Tue
        (date(2024, 1, 30), date(2024, 2, 29), date(2024, 2, 29)),  # leap year, Thu
        (date(2028, 2, 29), date(2028, 3, 29), date(2028, 3, 29)),  # from 29 Feb, Wed
        (date(2026, 12, 31), date(2027, 1, 31), date(2027, 2, 1)),  # Sun 31 Jan -> Mon 1 Feb
    ],
)
def test_month_ends_and_leap_years(received: date, raw: date, due: date) -> None:
    assert add_months(received, 1) == raw
    assert statutory_deadline(received) == due


# Rule 3: weekends and each region's bank holidays ---------------------------------------
@pytest.mark.parametrize(
    ("received", "region", "due"),
    [
        # Mon 25 May 2026 is the Spring bank holiday everywhere.
        (date(2026, 4, 25), EW, date(2026, 5, 26)),
        (date(2026, 4, 25), SCT, date(2026, 5, 26)),
        # Mon 31 Aug 2026: Late Summer holiday in England, Wales and NI, not in Scotland.
        (date(2026, 7, 31), EW, date(2026, 9, 1)),
        (date(2026, 7, 31), NI, date(2026, 9, 1)),
        (date(2026, 7, 31), SCT, date(2026, 8, 31)),
        # Mon 30 Nov 2026: St Andrew's Day, Scotland only.
        (date(2026, 10, 30), SCT, date(2026, 12, 1)),
        (date(2026, 10, 30), EW, date(2026, 11, 30)),
        # Tue 17 Mar 2026: St Patrick's Day, Northern Ireland only.
        (date(2026, 2, 17), NI, date(2026, 3, 18)),
        (date(2026, 2, 17), EW, date(2026, 3, 17)),
        # Sun 12 Jul 2026 -> Mon 13 Jul is the Battle of the Boyne (observed) in NI.
        (date(2026, 6, 12), NI, date(2026, 7, 14)),
        (date(2026, 6, 12), EW, date(2026, 7, 13)),
        # Fri 25 Dec, weekend, Mon 28 Dec (Boxing Day observed) -> Tue 29 Dec 2026.
        (date(2026, 11, 25), EW, date(2026, 12, 29)),
        # Sat 2 Jan 2027: England and Wales work on Mon 4 Jan; Scotland's 2 January
        # holiday moves to Mon 4 Jan, so there the deadline is Tue 5 Jan.
        (date(2026, 12, 2), EW, date(2027, 1, 4)),
        (date(2026, 12, 2), SCT, date(2027, 1, 5)),
    ],
)
def test_bank_holidays_per_region(received: date, region: str, due: date) -> None:
    assert statutory_deadline(received, region=region) == due


def test_easter_differs_between_regions() -> None:
    # Received Tue 3 Mar 2026 -> Fri 3 Apr, Good Friday everywhere; Mon 6 Apr is Easter
    # Monday in England, Wales and NI but a working day in Scotland.
    assert statutory_deadline(date(2026, 3, 3), region=EW) == date(2026, 4, 7)
    assert statutory_deadline(date(2026, 3, 3), region=NI) == date(2026, 4, 7)
    assert statutory_deadline(date(2026, 3, 3), region=SCT) == date(2026, 4, 6)


def test_working_days() -> None:
    assert is_working_day(date(2026, 11, 25))  # a Wednesday
    assert not is_working_day(date(2026, 11, 28))  # a Saturday
    assert not is_working_day(date(2026, 12, 25))
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 24)
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 29)


def test_unknown_region_is_refused_clearly() -> None:
    with pytest.raises(UnknownRegion, match="Unknown bank-holiday region 'wales'"):
        statutory_deadline(date(2026, 1, 5), region="wales")


# Rule 4: the 30-day promise, and the earlier of the two ---------------------------------
def test_promise_is_thirty_calendar_days_kept_on_the_previous_working_day() -> None:
    # 3 Sep 2026 + 30 = Sat 3 Oct: a promise cannot be kept on a Saturday -> Fri 2 Oct.
    assert promised_deadline(date(2026, 9, 3)) == date(2026, 10, 2)
    assert promised_deadline(date(2026, 1, 5), days=28) == date(2026, 2, 2)  # a Monday
    # 26 Nov 2026 + 30 = Sat 26 Dec; Fri 25 Dec is Christmas -> Thu 24 Dec.
    assert promised_deadline(date(2026, 11, 26)) == date(2026, 12, 24)
    assert previous_working_day(date(2026, 12, 28)) == date(2026, 12, 24)


def test_a_very_short_promise_never_falls_before_the_request() -> None:
    # Received Sat 3 Oct 2026 with a 1-day promise: Sunday would move back to Fri 2 Oct,
    # before the request arrived, so it moves forward to Mon 5 Oct instead.
    assert promised_deadline(date(2026, 10, 3), days=1) == date(2026, 10, 5)


@pytest.mark.parametrize(
    ("received", "effective"),
    [
        # January has 31 days: 30 days is earlier (Wed 4 Feb) than the month (Thu 5 Feb).
        (date(2026, 1, 5), date(2026, 2, 4)),
        # February: the month (Tue 10 Mar) is earlier than 30 days (Thu 12 Mar).
        (date(2026, 2, 10), date(2026, 3, 10)),
        # 1 Feb 2026: month -> Sun 1 Mar -> Mon 2 Mar; 30 days -> Tue 3 Mar.
        (date(2026, 2, 1), date(2026, 3, 2)),
        # September has 30 days: statutory Mon 5 Oct, promise Sat 3 Oct -> Fri 2 Oct.
        (date(2026, 9, 3), date(2026, 10, 2)),
    ],
)
def test_effective_deadline_is_the_earlier(received: date, effective: date) -> None:
    assert effective_deadline(received) == effective
    assert effective == min(statutory_deadline(received), promised_deadline(received))


def test_promise_days_is_configurable() -> None:
    assert effective_deadline(date(2026, 1, 5), promise_days=28) == date(2026, 2, 2)


# Rule 5: the relevant time restarts the period -------------------------------------------
def test_identity_received_restarts_the_whole_period() -> None:
    before = case_deadlines(Clock(start=date(2026, 3, 2)))
    after = case_deadlines(Clock(start=date(2026, 3, 10)))
    assert before.statutory == date(2026, 4, 2)
    # From Tue 10 Mar: 10 Apr 2026 (Fri, a working day; Good Friday was 3 Apr).
    assert after.statutory == date(2026, 4, 10)
    assert after.promised == date(2026, 4, 9)  # a Thursday
    assert after.effective == date(2026, 4, 9)


# Rule 6: clarification pauses ------------------------------------------------------------
def test_paused_days_count_both_ends() -> None:
    assert paused_days(date(2026, 9, 10), date(2026, 9, 14)) == 5
    assert paused_days(date(2026, 9, 10), date(2026, 9, 10)) == 1
    with pytest.raises(ValueError):
        paused_days(date(2026, 9, 10), date(2026, 9, 9))


def test_one_paused_day_is_added_before_the_weekend_move_not_after() -> None:
    # DESIGN.md rule 6's example. Received Thu 3 Sep 2026, paused 10 Sep, answered 10 Sep:
    # 3 Oct + 1 = Sun 4 Oct -> Mon 5 Oct. Moving first (Mon 5 Oct) and adding after would
    # give Tue 6 Oct, counting the weekend twice.
    deadlines = case_deadlines(Clock(start=date(2026, 9, 3), pauses=(1,)))
    assert deadlines.statutory == date(2026, 10, 5)
    assert deadlines.extension_notice_by == date(2026, 10, 5)
    # The promise: 3 Sep + 30 + 1 = Sun 4 Oct -> back to Fri 2 Oct.
    assert deadlines.promised == date(2026, 10, 2)


def test_five_paused_days_move_the_statutory_and_notice_dates() -> None:
    # Received 3 Sep 2026, paused 10-14 Sep (5 days): 3 Oct + 5 = Thu 8 Oct.
    deadlines = case_deadlines(Clock(start=date(2026, 9, 3), pauses=(5,)))
    assert deadlines.statutory == date(2026, 10, 8)
    assert deadlines.extension_notice_by == date(2026, 10, 8)
    # Promise: 3 Sep + 30 + 5 = Thu 8 Oct, a working day.
    assert deadlines.promised == date(2026, 10, 8)
    assert deadlines.effective == date(2026, 10, 8)


def test_paused_days_across_easter_2027() -> None:
    # Received 26 Feb 2027, paused 1-4 Mar (4 days): 26 Mar 2027 + 4 = Tue 30 Mar 2027.
    # (26 Mar is Good Friday and 29 Mar Easter Monday: moving first would give Tue 30 Mar
    # + 4 = Sat 3 Apr -> Mon 5 Apr, six days late.)
    assert paused_days(date(2027, 3, 1), date(2027, 3, 4)) == 4
    deadlines = case_deadlines(Clock(start=date(2027, 2, 26), pauses=(4,)))
    assert deadlines.statutory == date(2027, 3, 30)


def test_paused_days_across_christmas_and_new_year() -> None:
    # Received 10 Dec 2026, paused 20 Dec - 4 Jan (16 days): 10 Jan 2027 + 16 = Tue 26 Jan.
    assert paused_days(date(2026, 12, 20), date(2027, 1, 4)) == 16
    deadlines = case_deadlines(Clock(start=date(2026, 12, 10), pauses=(16,)))
    assert deadlines.statutory == date(2027, 1, 26)


def test_several_pauses_add_up_before_one_move() -> None:
    # Pauses of 5 and 2 days: 3 Oct + 7 = Sat 10 Oct -> Mon 12 Oct; the promise
    # 3 Sep + 37 = Sat 10 Oct -> back to Fri 9 Oct.
    deadlines = case_deadlines(Clock(start=date(2026, 9, 3), pauses=(5, 2)))
    assert deadlines.statutory == date(2026, 10, 12)
    assert deadlines.promised == date(2026, 10, 9)
    assert statutory_deadline(date(2026, 9, 3), paused=7) == date(2026, 10, 12)


def test_a_scottish_case_with_three_pauses() -> None:
    # Received Wed 2 Dec 2026 in Scotland; pauses of 3, 2 and 4 days = 9 days.
    # 2 Jan 2027 + 9 = Mon 11 Jan 2027, a working day (Scotland's 2 January holiday moves
    # to Mon 4 Jan, long past by then). Moving after each pause would give: Sat 2 Jan -> Tue
    # 5 Jan (Scottish holiday on Mon 4), +3 = Fri 8 Jan, +2 = Sun 10 -> Mon 11, +4 = Fri 15.
    clock = Clock(start=date(2026, 12, 2), pauses=(3, 2, 4), region=SCT)
    assert case_deadlines(clock).statutory == date(2027, 1, 11)


# Rule 6 and 7 together: the one month for giving notice of an extension ------------------
def test_notice_during_an_open_pause_that_began_in_time_is_in_time() -> None:
    # Received 2 Mar 2026: the notice month ends Thu 2 Apr. Paused 30 Mar and still open:
    # the clock is stopped, so notice on 6 Apr is in time.
    clock = Clock(start=date(2026, 3, 2), paused_since=date(2026, 3, 30))
    assert case_deadlines(clock).extension_notice_by == date(2026, 4, 2)
    assert notice_in_time(clock, date(2026, 4, 6))
    # Without the open pause it is late.
    assert not notice_in_time(Clock(start=date(2026, 3, 2)), date(2026, 4, 6))


def test_a_pause_opened_after_the_notice_month_does_not_revive_it() -> None:
    clock = Clock(start=date(2026, 3, 2), paused_since=date(2026, 4, 3))
    assert not notice_in_time(clock, date(2026, 4, 6))


def test_completed_pauses_move_the_notice_date() -> None:
    # Received 3 Sep 2026, paused 7-8 Sep (2 days): 3 Oct + 2 = Mon 5 Oct.
    clock = Clock(start=date(2026, 9, 3), pauses=(2,))
    assert case_deadlines(clock).extension_notice_by == date(2026, 10, 5)
    assert notice_in_time(clock, date(2026, 10, 5))
    assert not notice_in_time(clock, date(2026, 10, 6))


# Rule 7: extensions ----------------------------------------------------------------------
def test_extension_by_one_and_two_months() -> None:
    one = case_deadlines(Clock(start=date(2026, 9, 3), extension_months=1))
    two = case_deadlines(Clock(start=date(2026, 9, 3), extension_months=2))
    assert one.statutory == date(2026, 11, 3)  # Tue
    assert two.statutory == date(2026, 12, 3)  # Thu
    assert two.maximum == date(2026, 12, 3)
    # Once extended, the requester was told the new date: the promise follows it.
    assert two.effective == date(2026, 12, 3)
    # The notice was due within the first month.
    assert two.extension_notice_by == date(2026, 10, 5)


def test_extension_adds_paused_days_and_month_end_rules() -> None:
    extended = case_deadlines(Clock(start=date(2026, 9, 3), extension_months=2, pauses=(5,)))
    assert extended.statutory == date(2026, 12, 8)  # Thu 3 Dec + 5 = Tue 8 Dec
    assert extended.maximum == date(2026, 12, 8)
    # 3 Jan 2027 (a Sunday) + 2 paused days = Tue 5 Jan, not Mon 4 Jan + 2 = Wed 6 Jan.
    assert case_deadlines(
        Clock(start=date(2026, 10, 3), extension_months=2, pauses=(2,))
    ).statutory == date(2027, 1, 5)
    # Received 30 Nov 2026 + 3 months -> 28 Feb 2027 (a Sunday) -> Mon 1 Mar 2027.
    assert case_deadlines(Clock(start=date(2026, 11, 30), extension_months=2)).statutory == (
        date(2027, 3, 1)
    )


# Rule 8: marketing opt-out ---------------------------------------------------------------
def test_marketing_opt_out_target_is_next_working_day() -> None:
    assert opt_out_target(date(2026, 11, 20)) == date(2026, 11, 23)  # Fri -> Mon
    assert opt_out_target(date(2026, 12, 24)) == date(2026, 12, 29)  # Christmas
    deadlines = case_deadlines(Clock(start=date(2026, 11, 20), marketing_opt_out=True))
    assert deadlines.effective == date(2026, 11, 23)
    assert deadlines.statutory == date(2026, 12, 21)  # the month still applies on paper


# Properties ------------------------------------------------------------------------------
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
regions = st.sampled_from(sorted(REGIONS))


@settings(max_examples=400, deadline=None)
@given(days, regions, st.integers(min_value=1, max_value=3))
def test_a_statutory_deadline_is_always_a_working_day(
    start: date, region: str, months: int
) -> None:
    due = statutory_deadline(start, months=months, region=region)
    assert is_working_day(due, region)
    assert due >= add_months(start, months)
    # Never more than a long holiday weekend after the calendar date.
    assert (due - add_months(start, months)).days <= 5


@settings(max_examples=400, deadline=None)
@given(days, days, regions)
def test_later_receipt_never_gives_an_earlier_deadline(a: date, b: date, region: str) -> None:
    first, second = sorted((a, b))
    assert statutory_deadline(first, region=region) <= statutory_deadline(second, region=region)
    assert effective_deadline(first, region=region) <= effective_deadline(second, region=region)


@settings(max_examples=300, deadline=None)
@given(days, regions, st.lists(st.integers(min_value=1, max_value=40), max_size=4))
def test_pauses_never_bring_a_deadline_forward(start: date, region: str, pauses: list[int]) -> None:
    plain = case_deadlines(Clock(start=start, region=region))
    paused = case_deadlines(Clock(start=start, region=region, pauses=tuple(pauses)))
    assert paused.statutory >= plain.statutory + timedelta(days=sum(pauses)) - timedelta(days=5)
    assert paused.statutory >= plain.statutory
    assert is_working_day(paused.statutory, region)
    assert paused.effective <= paused.statutory


@settings(max_examples=300, deadline=None)
@given(days)
def test_a_28_day_promise_is_always_within_the_month(start: date) -> None:
    assert effective_deadline(start, promise_days=28) == promised_deadline(start, days=28)


# An independent reading of the rules, to check the engine against ------------------------
def _corresponding(start: date, months: int) -> date:
    """Rules 1-2 by hand: same day number `months` later, or that month's last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def _oracle(clock: Clock) -> tuple[date, date]:
    """(statutory, promise) counted the slow way: step a day at a time."""
    months = 1 + clock.extension_months
    statutory = _corresponding(clock.start, months) + timedelta(days=sum(clock.pauses))
    while not is_working_day(statutory, clock.region):
        statutory += timedelta(days=1)
    if clock.extension_months:
        return statutory, statutory
    promise = clock.start + timedelta(days=clock.promise_days + sum(clock.pauses))
    while not is_working_day(promise, clock.region):
        promise -= timedelta(days=1)
    return statutory, promise


clocks = st.builds(
    Clock,
    start=days,
    pauses=st.lists(st.integers(min_value=1, max_value=60), max_size=4).map(tuple),
    extension_months=st.integers(min_value=0, max_value=2),
    promise_days=st.integers(min_value=14, max_value=31),
    region=regions,
)


@settings(max_examples=600, deadline=None)
@given(clocks)
def test_the_engine_agrees_with_a_day_by_day_count(clock: Clock) -> None:
    statutory, promise = _oracle(clock)
    deadlines = case_deadlines(clock)
    assert deadlines.statutory == statutory
    assert deadlines.promised == promise
    assert deadlines.effective == min(statutory, promise)


@settings(max_examples=600, deadline=None)
@given(clocks, st.booleans())
def test_the_effective_deadline_is_never_later_than_the_statutory_one(
    clock: Clock, opt_out: bool
) -> None:
    if opt_out:
        clock = Clock(start=clock.start, marketing_opt_out=True, region=clock.region)
    deadlines = case_deadlines(clock)
    assert deadlines.effective <= deadlines.statutory
    assert deadlines.effective <= _oracle(clock)[0]
    assert is_working_day(deadlines.statutory, clock.region)
    assert is_working_day(deadlines.effective, clock.region)
