"""Retention erasure also blanks what issue 8 keeps about a requester: the reason their
identity was doubted and the question they were asked (joining issue 9's erasure)."""

from __future__ import annotations

from datetime import date

from app import cases
from app.domain import Channel, Outcome, RequestType
from app.readmodels import RequesterDetails
from app.retention import erase_case
from app.store import Store
from tests.conftest import finish_search_record
from tests.raw import raw_rows

TODAY = date(2026, 11, 25)
REASON = "Rufus's old address in Wigan does not match"
QUESTION = "Which of Rufus's two accounts at Wigan do you mean?"


def test_erasure_blanks_the_identity_reason_and_the_clarification_question(store: Store) -> None:
    case_id = cases.log_request(
        store,
        RequesterDetails(name="Rufus Example", email="rufus@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 9, 1),
        today=TODAY,
    ).id
    cases.request_identity(store, case_id, on=date(2026, 9, 2), reason=REASON, today=TODAY)
    cases.identity_received(store, case_id, on=date(2026, 9, 3), today=TODAY)
    cases.pause_for_clarification(
        store, case_id, on=date(2026, 9, 4), question=QUESTION, today=TODAY
    )
    cases.clarification_received(store, case_id, on=date(2026, 9, 5), today=TODAY)
    finish_search_record(store, case_id, on=date(2026, 9, 20))
    cases.close(store, case_id, outcome=Outcome.FULFILLED, on=date(2026, 9, 20), today=TODAY)
    erase_case(store, case_id, today=date(2029, 1, 1))
    erased = cases.get_case(store, case_id)
    assert erased.identity_reason is None and erased.clarification_question is None
    rows = raw_rows(store, "SELECT details FROM case_events WHERE case_id = ?", case_id)
    text = " ".join(str(row[0]) for row in rows)
    assert "Wigan" not in text  # nor in the events' details
