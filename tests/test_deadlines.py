"""DESIGN.md section 3, rule by rule, with dates worked out by hand from a calendar.

Weekdays for reference: 3 Oct 2026 is a Saturday; 28 Feb 2026 a Saturday; 29 Feb 2028 a
Tuesday; 25 Dec 2026 a Friday (Boxing Day observed Mon 28 Dec in every UK region).
"""

from __future__ import annotations

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
    opt_out_target,
    paused_days,
    promised_deadline,
    shift_for_pauses,
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
def test_promise_is_thirty_calendar_days() -> None:
    assert promised_deadline(date(2026, 9, 3)) == date(2026, 10, 3)
    assert promised_deadline(date(2026, 1, 5), days=28) == date(2026, 2, 2)


@pytest.mark.parametrize(
    ("received", "effective"),
    [
        # January has 31 days: 30 days is earlier (Wed 4 Feb) than the month (Thu 5 Feb).
        (date(2026, 1, 5), date(2026, 2, 4)),
        # February: the month (Tue 10 Mar) is earlier than 30 days (Thu 12 Mar).
        (date(2026, 2, 10), date(2026, 3, 10)),
        # 1 Feb 2026: month -> Sun 1 Mar -> Mon 2 Mar; 30 days -> Tue 3 Mar.
        (date(2026, 2, 1), date(2026, 3, 2)),
        # September has 30 days: statutory Mon 5 Oct, promise Sat 3 Oct -> 3 Oct.
        (date(2026, 9, 3), date(2026, 10, 3)),
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
    assert after.promised == date(2026, 4, 9)
    assert after.effective == date(2026, 4, 9)


# Rule 6: clarification pauses ------------------------------------------------------------
def test_paused_days_count_both_ends() -> None:
    assert paused_days(date(2026, 9, 10), date(2026, 9, 14)) == 5
    assert paused_days(date(2026, 9, 10), date(2026, 9, 10)) == 1
    with pytest.raises(ValueError):
        paused_days(date(2026, 9, 10), date(2026, 9, 9))


def test_pause_moves_every_deadline_then_rule_three_again() -> None:
    # Received Thu 3 Sep 2026: statutory Mon 5 Oct, promise Sat 3 Oct.
    # Paused 10-14 Sep (5 days): Mon 5 Oct + 5 = Sat 10 Oct -> Mon 12 Oct; promise Thu 8 Oct.
    deadlines = case_deadlines(Clock(start=date(2026, 9, 3), pauses=(5,)))
    assert deadlines.statutory == date(2026, 10, 12)
    assert deadlines.promised == date(2026, 10, 8)
    assert deadlines.effective == date(2026, 10, 8)
    assert deadlines.extension_notice_by == date(2026, 10, 12)


def test_several_pauses_add_up() -> None:
    # A second pause of 2 days: Mon 12 Oct + 2 = Wed 14 Oct; promise 8 Oct + 2 = Sat 10 Oct.
    deadlines = case_deadlines(Clock(start=date(2026, 9, 3), pauses=(5, 2)))
    assert deadlines.statutory == date(2026, 10, 14)
    assert deadlines.promised == date(2026, 10, 10)
    assert shift_for_pauses(date(2026, 10, 5), [5, 2]) == date(2026, 10, 14)


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
