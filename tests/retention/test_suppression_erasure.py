"""Erasing a marketing opt-out keeps only what suppression needs (issue 9 point 5): the
email address that stops the person being contacted again, not their name."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from app import cases
from app.domain import Channel, Outcome, RequestType
from app.integrity.verify import verify_store
from app.readmodels import RequesterDetails
from app.retention import erase_case
from app.store import Store
from app.suppressions import is_suppressed, list_suppressions
from tests.retention.test_erasure import stored_traces

RECEIVED = date(2026, 3, 2)
CLOSED = date(2026, 3, 9)


def test_an_erased_opt_out_stays_suppressed_by_email_alone(store: Store) -> None:
    opt_out = cases.log_request(
        store,
        RequesterDetails(name="Philippa Unsubscribe", email="Philippa.U@example.org"),
        request_type=RequestType.MARKETING_OPT_OUT,
        channel=Channel.EMAIL,
        on=RECEIVED,
        today=CLOSED,
    ).id
    cases.close(store, opt_out, outcome=Outcome.FULFILLED, on=CLOSED, today=CLOSED)
    [before] = list_suppressions(store)
    assert before.name == "Philippa Unsubscribe"
    assert stored_traces(store, {"name": b"Philippa Unsubscribe"}) == ["name"]

    erase_case(store, opt_out, today=CLOSED + relativedelta(years=2) + timedelta(days=1))

    [after] = list_suppressions(store)
    assert after.name == "" and is_suppressed(store, "philippa.u@example.org")
    assert stored_traces(store, {"name": b"Philippa Unsubscribe", "surname": b"Unsubscribe"}) == []
    assert verify_store(store).sound
