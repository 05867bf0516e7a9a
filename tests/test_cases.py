"""Every lifecycle transition, every illegal one (nothing changes), and the timeline."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import cases, searches
from app.domain import (
    Channel,
    ConcurrentChange,
    DomainError,
    EventKind,
    NotFound,
    Outcome,
    RequestType,
    Status,
    Urgency,
)
from app.grounds import GroundBasis
from app.models import CaseEvent
from app.readmodels import RequesterDetails
from app.store import Store, open_store
from tests.conftest import finish_search_record
from tests.raw import REFUSED, raw_execute, raw_rows

TODAY = date(2026, 11, 25)
ANN = RequesterDetails(
    name="Jürgen Müller", email="jurgen@example.org", postal_address="1 High St\nLeeds\nLS1 4AP"
)


def log(store: Store, on: date = date(2026, 9, 3), **kwargs: object) -> int:
    fields = {
        "request_type": RequestType.ACCESS,
        "channel": Channel.EMAIL,
        "on": on,
        "today": TODAY,
        **kwargs,
    }
    return cases.log_request(store, ANN, **fields).id  # type: ignore[arg-type]


def snapshot(store: Store, case_id: int) -> tuple[object, list[object]]:
    return cases.get_case(store, case_id), cases.timeline(store, case_id)


def kinds(store: Store, case_id: int) -> list[str]:
    return [entry.kind for entry in cases.timeline(store, case_id)]


# Logging ---------------------------------------------------------------------------------
def test_log_request_allocates_a_reference_and_computes_deadlines(store: Store) -> None:
    case = cases.log_request(
        store,
        ANN,
        request_type=RequestType.ACCESS,
        channel=Channel.POST,
        on=date(2026, 9, 3),
        description="All my data",
        today=TODAY,
    )
    assert case.reference == "DSR-2026-0001"
    assert case.status is Status.OPEN
    assert case.statutory_due == date(2026, 10, 5)
    # 3 Sep + 30 = Sat 3 Oct: the promise is kept on the previous working day, Fri 2 Oct.
    assert case.promised_due == date(2026, 10, 2)
    assert case.effective_due == date(2026, 10, 2)
    assert case.requester == ANN
    assert case.urgency(TODAY) is Urgency.OVERDUE
    [event] = cases.timeline(store, case.id)
    assert event.kind == EventKind.LOGGED
    assert event.actor
    assert event.at.tzinfo is not None
    assert "Fri 2 Oct 2026" in event.summary
    assert event.details["effective_due"] == "2026-10-02"


def test_references_are_per_year_without_gaps(store: Store) -> None:
    refs = [
        cases.get_case(store, log(store, on=day)).reference
        for day in (date(2025, 12, 30), date(2026, 1, 2), date(2026, 1, 3), date(2025, 12, 31))
    ]
    assert refs == ["DSR-2025-0001", "DSR-2026-0001", "DSR-2026-0002", "DSR-2025-0002"]


@pytest.mark.parametrize(
    ("details", "on", "message"),
    [
        (RequesterDetails(name="Ann", email="not-an-email"), date(2026, 11, 1), "valid email"),
        (RequesterDetails(name="   "), date(2026, 11, 1), "requester's name"),
        (RequesterDetails(name="Ann"), date(2026, 11, 26), "future"),
    ],
)
def test_invalid_requests_are_refused_and_nothing_is_stored(
    store: Store, details: RequesterDetails, on: date, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        cases.log_request(
            store,
            details,
            request_type=RequestType.ERASURE,
            channel=Channel.EMAIL,
            on=on,
            today=TODAY,
        )
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(CaseEvent)) == 0


def test_names_are_stored_exactly(store: Store) -> None:
    odd = RequesterDetails(name="<b>Ann</b> & Co 😀 محمد", email="ann@example.org")
    case_id = cases.log_request(
        store,
        odd,
        request_type=RequestType.ERASURE,
        channel=Channel.WEB_FORM,
        on=TODAY,
        today=TODAY,
    ).id
    assert cases.get_case(store, case_id).requester.name == odd.name


# Identity (rule 5) -----------------------------------------------------------------------
def test_identity_request_and_receipt_restart_the_period(store: Store) -> None:
    case_id = log(store, on=date(2026, 3, 2))
    waiting = cases.request_identity(store, case_id, on=date(2026, 3, 3), today=TODAY)
    assert waiting.status is Status.AWAITING_IDENTITY
    assert waiting.urgency(TODAY) is Urgency.PAUSED
    back = cases.identity_received(store, case_id, on=date(2026, 3, 10), today=TODAY)
    assert back.status is Status.OPEN
    assert back.clock_start == date(2026, 3, 10)
    assert back.statutory_due == date(2026, 4, 10)
    assert back.effective_due == date(2026, 4, 9)
    events = cases.timeline(store, case_id)
    assert [e.kind for e in events] == [
        EventKind.LOGGED,
        EventKind.IDENTITY_REQUESTED,
        EventKind.IDENTITY_RECEIVED,
    ]
    assert events[2].details["clock_start_before"] == "2026-03-02"
    assert events[2].details["clock_start_after"] == "2026-03-10"
    assert events[2].details["effective_due_after"] == "2026-04-09"


# Clarification (rule 6) ------------------------------------------------------------------
def test_pause_and_resume_move_the_deadlines(store: Store) -> None:
    case_id = log(store)
    paused = cases.pause_for_clarification(store, case_id, on=date(2026, 9, 10), today=TODAY)
    assert paused.status is Status.AWAITING_CLARIFICATION
    assert paused.paused_on == date(2026, 9, 10)
    resumed = cases.clarification_received(store, case_id, on=date(2026, 9, 14), today=TODAY)
    assert resumed.status is Status.OPEN
    assert resumed.pauses == (5,)
    # 3 Oct + 5 = Thu 8 Oct: paused days go on before the working-day move (rule 6).
    assert resumed.statutory_due == date(2026, 10, 8)
    assert resumed.effective_due == date(2026, 10, 8)
    last = cases.timeline(store, case_id)[-1]
    assert last.kind == EventKind.CLARIFICATION_RECEIVED
    assert last.details["paused_days"] == 5
    assert last.details["statutory_due_before"] == "2026-10-05"
    assert last.details["statutory_due_after"] == "2026-10-08"


# Extension (rule 7) ----------------------------------------------------------------------
def test_extend_with_reason(store: Store) -> None:
    case_id = log(store)
    extended = cases.extend(
        store,
        case_id,
        reason="Ten years of call recordings.",
        months=2,
        on=date(2026, 10, 1),
        today=TODAY,
    )
    assert extended.extension_months == 2
    assert extended.statutory_due == date(2026, 12, 3)
    assert extended.effective_due == date(2026, 12, 3)
    assert extended.extension_reason == "Ten years of call recordings."
    event = cases.timeline(store, case_id)[-1]
    assert event.kind == EventKind.EXTENDED
    assert event.details["reason"] == "Ten years of call recordings."
    assert ": Ten years of call recordings. Now due Thu 3 Dec 2026." in event.summary
    assert event.details["effective_due_before"] == "2026-10-02"
    assert event.details["effective_due_after"] == "2026-12-03"


def test_extend_one_month_then_one_more_is_allowed(store: Store) -> None:
    case_id = log(store)
    cases.extend(store, case_id, reason="Complex", months=1, on=date(2026, 9, 20), today=TODAY)
    assert "Complex. Now due" in cases.timeline(store, case_id)[-1].summary
    twice = cases.extend(
        store, case_id, reason="Still complex", months=1, on=date(2026, 9, 21), today=TODAY
    )
    assert twice.extension_months == 2
    assert twice.statutory_due == date(2026, 12, 3)


def test_extend_on_the_last_day_of_the_month_is_allowed(store: Store) -> None:
    case_id = log(store)
    assert (
        cases.extend(
            store, case_id, reason="Complex", on=date(2026, 10, 5), today=TODAY
        ).extension_months
        == 2
    )


# Notes, close, reopen, requester -------------------------------------------------------
def test_note_close_and_reopen(store: Store) -> None:
    case_id = log(store)
    cases.add_note(store, case_id, "Called the requester.")
    finish_search_record(store, case_id, on=date(2026, 10, 1))
    searched = len(searches.plan(store, case_id))
    closed = cases.close(
        store,
        case_id,
        outcome=Outcome.PARTLY_FULFILLED,
        ground="Art. 17(3)(b) legal obligation",
        ground_basis=GroundBasis.EXEMPTION,
        on=date(2026, 10, 2),
        today=TODAY,
    )
    assert closed.status is Status.CLOSED
    assert closed.outcome is Outcome.PARTLY_FULFILLED
    assert closed.closed_on == date(2026, 10, 2)
    assert closed.urgency(TODAY) is Urgency.CLOSED
    close_event = cases.timeline(store, case_id)[-1]
    assert close_event.details["on_time"] is True
    reopened = cases.reopen(store, case_id, reason="Requester found more records.")
    assert reopened.status is Status.OPEN
    assert reopened.outcome is None
    assert kinds(store, case_id) == [
        EventKind.LOGGED,
        EventKind.NOTE,
        *[EventKind.SEARCH_RECORDED] * searched,
        EventKind.CLOSED,
        EventKind.REOPENED,
    ]
    assert cases.timeline(store, case_id)[-1].details["outcome_before"] == "partly_fulfilled"


def test_late_close_is_on_the_record(store: Store) -> None:
    case_id = log(store)
    finish_search_record(store, case_id, on=date(2026, 10, 20))
    cases.close(store, case_id, outcome=Outcome.FULFILLED, on=date(2026, 10, 20), today=TODAY)
    event = cases.timeline(store, case_id)[-1]
    assert event.details["on_time"] is False
    assert event.summary.endswith("Late: the statutory deadline was Mon 5 Oct 2026.")
    assert event.details["late_days"] == 15


def test_a_reply_after_the_promise_but_within_the_law_is_not_called_late(store: Store) -> None:
    # Received Thu 3 Sep 2026: promise Fri 2 Oct (Sat 3 Oct moved back), statutory Mon 5 Oct.
    case_id = log(store)
    finish_search_record(store, case_id, on=date(2026, 10, 5))
    cases.close(store, case_id, outcome=Outcome.FULFILLED, on=date(2026, 10, 5), today=TODAY)
    event = cases.timeline(store, case_id)[-1]
    assert "Late" not in event.summary
    assert event.summary.endswith(
        "After our promise date (Fri 2 Oct 2026), within the statutory deadline (Mon 5 Oct 2026)."
    )
    assert event.details["late_days"] == 0


def test_marketing_opt_out_is_suppressed_not_deleted(store: Store) -> None:
    case_id = log(store, on=date(2026, 11, 20), request_type=RequestType.MARKETING_OPT_OUT)
    assert cases.get_case(store, case_id).effective_due == date(2026, 11, 23)
    cases.close(store, case_id, outcome=Outcome.FULFILLED, on=date(2026, 11, 20), today=TODAY)
    assert cases.timeline(store, case_id)[-1].details["suppressed"] is True
    assert raw_rows(store, "SELECT email_key, name FROM suppressions") == [
        ("jurgen@example.org", "Jürgen Müller")
    ]
    assert cases.get_case(store, case_id).requester.email == "jurgen@example.org"


def test_update_requester_keeps_before_and_after(store: Store) -> None:
    case_id = log(store)
    fixed = cases.update_requester(
        store,
        case_id,
        RequesterDetails(
            name="Jürgen Müller", email="jurgen@example.com", postal_address=ANN.postal_address
        ),
    )
    assert fixed.requester.email == "jurgen@example.com"
    event = cases.timeline(store, case_id)[-1]
    assert event.kind == EventKind.REQUESTER_UPDATED
    assert event.details == {
        "fields": ["email"],
        "before": {"email": "jurgen@example.org"},
        "after": {"email": "jurgen@example.com"},
    }
    # Saving with no change writes nothing.
    cases.update_requester(store, case_id, fixed.requester)
    assert len(cases.timeline(store, case_id)) == 2


def test_open_cases_for_the_same_email(store: Store) -> None:
    first = log(store)
    second = log(store, on=date(2026, 10, 1))
    assert [ref for _, ref in cases.open_cases_for_email(store, "JURGEN@example.org")] == [
        "DSR-2026-0001",
        "DSR-2026-0002",
    ]
    cases.close(store, first, outcome=Outcome.WITHDRAWN, on=date(2026, 10, 2), today=TODAY)
    assert cases.open_cases_for_email(store, "jurgen@example.org") == [(second, "DSR-2026-0002")]


# Illegal transitions change nothing ------------------------------------------------------
def _closed(store: Store) -> int:
    case_id = log(store)
    finish_search_record(store, case_id, on=date(2026, 9, 20))
    cases.close(store, case_id, outcome=Outcome.FULFILLED, on=date(2026, 9, 20), today=TODAY)
    return case_id


def _paused(store: Store) -> int:
    case_id = log(store)
    cases.pause_for_clarification(store, case_id, on=date(2026, 9, 10), today=TODAY)
    return case_id


def _extended(store: Store) -> int:
    case_id = log(store)
    cases.extend(store, case_id, reason="Complex", on=date(2026, 9, 10), today=TODAY)
    return case_id


ILLEGAL = [
    (
        "close a closed case",
        _closed,
        lambda s, c: cases.close(
            s, c, outcome=Outcome.FULFILLED, on=date(2026, 9, 21), today=TODAY
        ),
        "already closed",
    ),
    ("reopen an open case", log, lambda s, c: cases.reopen(s, c), "not closed"),
    (
        "resume a clock that is not paused",
        log,
        lambda s, c: cases.clarification_received(s, c, on=date(2026, 9, 12), today=TODAY),
        "not paused",
    ),
    (
        "pause twice",
        _paused,
        lambda s, c: cases.pause_for_clarification(s, c, on=date(2026, 9, 11), today=TODAY),
        "open, running case",
    ),
    (
        "resume before the pause",
        _paused,
        lambda s, c: cases.clarification_received(s, c, on=date(2026, 9, 9), today=TODAY),
        "before it was asked",
    ),
    (
        "ID received when not asked",
        log,
        lambda s, c: cases.identity_received(s, c, on=date(2026, 9, 12), today=TODAY),
        "not waiting for proof",
    ),
    (
        "extend twice past the maximum",
        _extended,
        lambda s, c: cases.extend(s, c, reason="More", months=1, on=date(2026, 9, 12), today=TODAY),
        "at most two further months",
    ),
    (
        "extend after the month ended",
        log,
        lambda s, c: cases.extend(s, c, reason="Late", on=date(2026, 10, 6), today=TODAY),
        "too late",
    ),
    (
        "extend without a reason",
        log,
        lambda s, c: cases.extend(s, c, reason="  ", on=date(2026, 9, 10), today=TODAY),
        "reason",
    ),
    (
        "extend a closed case",
        _closed,
        lambda s, c: cases.extend(s, c, reason="x", on=date(2026, 9, 21), today=TODAY),
        "closed case",
    ),
    (
        "close refused without ground",
        log,
        lambda s, c: cases.close(s, c, outcome=Outcome.REFUSED, on=date(2026, 9, 21), today=TODAY),
        "ground",
    ),
    (
        "a future date",
        log,
        lambda s, c: cases.pause_for_clarification(s, c, on=TODAY + timedelta(days=1), today=TODAY),
        "future",
    ),
    (
        "pause after the period ended",
        log,
        lambda s, c: cases.pause_for_clarification(s, c, on=date(2026, 10, 6), today=TODAY),
        "period ended",
    ),
    ("empty note", log, lambda s, c: cases.add_note(s, c, " \n "), "empty"),
    (
        "a stale version",
        log,
        lambda s, c: cases.add_note(s, c, "x", expected_version=99),
        "changed elsewhere",
    ),
]


@pytest.mark.parametrize(
    ("setup", "action", "message"), [row[1:] for row in ILLEGAL], ids=[row[0] for row in ILLEGAL]
)
def test_illegal_transitions_change_nothing(store: Store, setup, action, message) -> None:
    case_id = setup(store)
    before = snapshot(store, case_id)
    with pytest.raises(DomainError, match=message):
        action(store, case_id)
    assert snapshot(store, case_id) == before


def test_stale_version_is_a_concurrent_change(store: Store) -> None:
    case_id = log(store)
    version = cases.get_case(store, case_id).version
    cases.add_note(store, case_id, "first", expected_version=version)
    with pytest.raises(ConcurrentChange):
        cases.add_note(store, case_id, "second", expected_version=version)


def test_unknown_case(store: Store) -> None:
    with pytest.raises(NotFound):
        cases.get_case(store, 404)


def test_the_event_log_is_append_only(store: Store) -> None:
    case_id = log(store)
    # (A team server refuses the DELETE before its guard: no role may delete events.)
    for statement in ("UPDATE case_events SET summary = 'x'", "DELETE FROM case_events"):
        with pytest.raises(REFUSED, match=r"append-only|permission denied for table case_events"):
            raw_execute(store, statement)
    assert len(cases.timeline(store, case_id)) == 1


# Persistence -----------------------------------------------------------------------------
def test_everything_persists_when_the_store_is_reopened(
    store: Store, store_location: str | Path
) -> None:
    case_id = log(store)
    cases.pause_for_clarification(store, case_id, on=date(2026, 9, 10), today=TODAY)
    cases.clarification_received(store, case_id, on=date(2026, 9, 14), today=TODAY)
    cases.extend(store, case_id, reason="Complex", on=date(2026, 9, 20), today=TODAY)
    finish_search_record(store, case_id, on=date(2026, 11, 1))
    cases.close(store, case_id, outcome=Outcome.FULFILLED, on=date(2026, 11, 1), today=TODAY)
    before = snapshot(store, case_id)
    store.close()
    again = open_store(store_location)
    try:
        assert snapshot(again, case_id) == before
        assert len(before[1]) == 5 + len(searches.plan(again, case_id))
    finally:
        again.close()
