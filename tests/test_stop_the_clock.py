"""Issue 8 points 1 and 2 through the use cases: paused days counted before the working-day
move, the notice period stopped by an open pause, and any history of steps never giving a
working deadline later than the law's."""

from __future__ import annotations

import contextlib
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import cases
from app.deadlines import Clock, case_deadlines, is_working_day
from app.domain import Channel, DomainError, RequestType, Status
from app.readmodels import RequesterDetails
from app.settings import OrgSettings, save_settings
from app.store import Store, open_store

TODAY = date(2027, 6, 30)
ANN = RequesterDetails(name="Ann Lee", email="ann@example.org")


def _log(store: Store, on: date, request_type: RequestType = RequestType.ACCESS) -> int:
    return cases.log_request(
        store,
        ANN,
        request_type=request_type,
        channel=Channel.EMAIL,
        on=on,
        today=TODAY,
    ).id


def _pause(store: Store, case_id: int, asked: date, answered: date | None) -> None:
    cases.pause_for_clarification(store, case_id, on=asked, today=TODAY)
    if answered is not None:
        cases.clarification_received(store, case_id, on=answered, today=TODAY)


@pytest.mark.parametrize(
    ("received", "asked", "answered", "statutory"),
    [
        # 3 Oct + 1 = Sun 4 Oct -> Mon 5 Oct 2026 (not Tue 6 Oct).
        (date(2026, 9, 3), date(2026, 9, 10), date(2026, 9, 10), date(2026, 10, 5)),
        # 3 Oct + 5 = Thu 8 Oct 2026.
        (date(2026, 9, 3), date(2026, 9, 10), date(2026, 9, 14), date(2026, 10, 8)),
        # 26 Mar 2027 (Good Friday) + 4 = Tue 30 Mar 2027.
        (date(2027, 2, 26), date(2027, 3, 1), date(2027, 3, 4), date(2027, 3, 30)),
        # 10 Jan 2027 + 16 = Tue 26 Jan 2027.
        (date(2026, 12, 10), date(2026, 12, 20), date(2027, 1, 4), date(2027, 1, 26)),
    ],
)
def test_paused_days_are_added_before_the_one_working_day_move(
    store: Store, received: date, asked: date, answered: date, statutory: date
) -> None:
    case_id = _log(store, received)
    _pause(store, case_id, asked, answered)
    case = cases.get_case(store, case_id)
    assert case.statutory_due == statutory
    assert case.extension_notice_by == statutory
    assert case.effective_due <= case.statutory_due


def test_a_scottish_case_with_three_pauses_through_the_use_cases(store: Store) -> None:
    # The hand-worked case of issue 8: received Wed 2 Dec 2026 in Scotland, pauses of 3, 2
    # and 4 days: 2 Jan 2027 + 9 = Mon 11 Jan 2027. Moving after each pause gave Fri 15 Jan.
    save_settings(store, OrgSettings(region="scotland"))
    case_id = _log(store, date(2026, 12, 2))
    _pause(store, case_id, date(2026, 12, 4), date(2026, 12, 6))
    _pause(store, case_id, date(2026, 12, 8), date(2026, 12, 9))
    _pause(store, case_id, date(2026, 12, 14), date(2026, 12, 17))
    case = cases.get_case(store, case_id)
    assert case.pauses == (3, 2, 4)
    assert case.statutory_due == date(2027, 1, 11)
    assert case.extension_notice_by == date(2027, 1, 11)


def test_the_notice_date_moves_with_the_pause(store: Store) -> None:
    # Received 3 Sep 2026, paused 10-14 Sep: statutory and extension-notice date Thu 8 Oct,
    # so an extension on 8 Oct is accepted and its notice was in time.
    case_id = _log(store, date(2026, 9, 3))
    _pause(store, case_id, date(2026, 9, 10), date(2026, 9, 14))
    extended = cases.extend(store, case_id, reason="Complex", on=date(2026, 10, 8), today=TODAY)
    assert extended.extension_months == 2
    assert extended.statutory_due == date(2026, 12, 8)  # 3 Dec + 5 = Tue 8 Dec


def test_an_extension_during_an_open_pause_that_began_in_time_is_accepted(store: Store) -> None:
    # Received 2 Mar 2026 (the month for notice ends Thu 2 Apr), paused 30 Mar and still
    # open: the clock is stopped, so an extension on 6 Apr is in time.
    case_id = _log(store, date(2026, 3, 2))
    _pause(store, case_id, date(2026, 3, 30), None)
    extended = cases.extend(store, case_id, reason="Complex", on=date(2026, 4, 6), today=TODAY)
    assert extended.status is Status.AWAITING_CLARIFICATION
    assert extended.extension_months == 2


def test_an_extension_after_the_shifted_notice_date_is_refused(store: Store) -> None:
    # Received 3 Sep 2026, paused 7-8 Sep: the notice date is 3 Oct + 2 = Mon 5 Oct, so an
    # extension on 6 Oct is refused (counting the old way gave 7 Oct and accepted it).
    case_id = _log(store, date(2026, 9, 3))
    _pause(store, case_id, date(2026, 9, 7), date(2026, 9, 8))
    before = cases.get_case(store, case_id), cases.timeline(store, case_id)
    with pytest.raises(DomainError, match=r"ended on Mon 5 Oct 2026"):
        cases.extend(store, case_id, reason="Complex", on=date(2026, 10, 6), today=TODAY)
    assert (cases.get_case(store, case_id), cases.timeline(store, case_id)) == before


def test_an_extension_back_dated_before_the_last_step_is_refused(store: Store) -> None:
    case_id = _log(store, date(2026, 9, 3))
    _pause(store, case_id, date(2026, 9, 10), date(2026, 9, 14))
    with pytest.raises(DomainError, match=r"step on Mon 14 Sept 2026"):
        cases.extend(store, case_id, reason="Complex", on=date(2026, 9, 12), today=TODAY)


# Any history -----------------------------------------------------------------------------
# A history: days after receipt of an ID request and its arrival (or none), then a list of
# (gap, length) clarification pauses, then perhaps an extension some days later.
histories = st.fixed_dictionaries(
    {
        "received": st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 3, 31)),
        "identity": st.one_of(
            st.none(),
            st.tuples(st.integers(0, 5), st.integers(0, 20)),
        ),
        "pauses": st.lists(st.tuples(st.integers(0, 12), st.integers(0, 15)), max_size=3),
        "extend_after": st.one_of(st.none(), st.integers(0, 10)),
        "region": st.sampled_from(["england-and-wales", "scotland", "northern-ireland"]),
        "request_type": st.sampled_from(list(RequestType)),
    }
)


def _apply(store: Store, history: dict) -> int:
    """Replay the history through app.cases; steps the rules refuse are skipped, as a DPO
    would be told no. Returns the case id."""
    save_settings(store, OrgSettings(region=history["region"]))
    case_id = _log(store, history["received"], history["request_type"])
    day = history["received"]
    # A marketing opt-out refuses ID, pauses and extensions (Art. 21(3)): those steps are
    # refused and skipped, and its dates must hold all the same.
    opt_out = history["request_type"] is RequestType.MARKETING_OPT_OUT
    if history["identity"] is not None and not opt_out:
        ask, wait = history["identity"]
        day += timedelta(days=ask)
        cases.request_identity(store, case_id, on=day, today=TODAY)
        day += timedelta(days=wait)
        cases.identity_received(store, case_id, on=day, today=TODAY)
    for gap, length in history["pauses"]:
        asked = day + timedelta(days=gap)
        try:
            cases.pause_for_clarification(store, case_id, on=asked, today=TODAY)
        except DomainError:
            break  # past the period: no more pauses
        day = asked + timedelta(days=length)
        cases.clarification_received(store, case_id, on=day, today=TODAY)
    if history["extend_after"] is not None:
        with contextlib.suppress(DomainError):  # too late: refused, as the DPO would be told
            cases.extend(
                store,
                case_id,
                reason="Complex",
                on=day + timedelta(days=history["extend_after"]),
                today=TODAY,
            )
    return case_id


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(histories)
def test_for_any_history_the_working_deadline_is_never_later_than_the_statutory_one(
    history: dict,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "dsar.sqlite")
        try:
            case_id = _apply(store, history)
            case = cases.get_case(store, case_id)
            assert case.effective_due <= case.statutory_due
            assert is_working_day(case.statutory_due, history["region"])
            assert is_working_day(case.effective_due, history["region"])
            # What is stored is what the pure engine gives for the same clock.
            again = case_deadlines(
                Clock(
                    start=case.clock_start,
                    pauses=case.pauses,
                    extension_months=case.extension_months,
                    region=case.region,
                    promise_days=case.promise_days,
                    marketing_opt_out=case.request_type is RequestType.MARKETING_OPT_OUT,
                )
            )
            if case.request_type is RequestType.MARKETING_OPT_OUT:
                assert case.pauses == () and case.extension_months == 0  # all refused
            assert (case.statutory_due, case.effective_due) == (again.statutory, again.effective)
        finally:
            store.close()
