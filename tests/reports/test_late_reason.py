"""The reason given when a case closes after its statutory deadline is kept on the record."""

from __future__ import annotations

from datetime import date

import pytest

from app import cases
from app.domain import Channel, DomainError, Outcome, RequestType
from app.readmodels import RequesterDetails
from app.store import Store
from tests.conftest import finish_search_record

TODAY = date(2026, 11, 25)


def logged(store: Store, received: date) -> int:
    return cases.log_request(
        store,
        RequesterDetails(name="Ann Example", email="ann@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=received,
        today=TODAY,
    ).id


def test_a_late_close_keeps_its_reason(store: Store) -> None:
    case_id = logged(store, date(2026, 10, 6))  # statutory Fri 6 Nov
    finish_search_record(store, case_id, on=date(2026, 11, 10))
    cases.close(
        store,
        case_id,
        outcome=Outcome.FULFILLED,
        on=date(2026, 11, 10),
        late_reason="  Waited for the payroll provider  ",
        today=TODAY,
    )
    event = cases.timeline(store, case_id)[-1]
    assert event.details["late_days"] == 4
    assert event.details["late_reason"] == "Waited for the payroll provider"
    assert event.summary.endswith("Why late: Waited for the payroll provider.")


def test_an_in_time_close_keeps_no_late_reason(store: Store) -> None:
    case_id = logged(store, date(2026, 10, 6))
    finish_search_record(store, case_id, on=date(2026, 11, 6))
    cases.close(
        store,
        case_id,
        outcome=Outcome.FULFILLED,
        on=date(2026, 11, 6),
        late_reason="not late at all",
        today=TODAY,
    )
    event = cases.timeline(store, case_id)[-1]
    assert (event.details["late_days"], event.details["late_reason"]) == (0, "")


def test_a_late_reason_with_control_characters_is_refused(store: Store) -> None:
    case_id = logged(store, date(2026, 10, 6))
    with pytest.raises(DomainError, match="control characters"):
        cases.close(
            store, case_id, outcome=Outcome.FULFILLED, on=TODAY, late_reason="a\x00b", today=TODAY
        )
    assert cases.get_case(store, case_id).closed_on is None
