"""A store with the organisation's letterhead and an access case, closed as fulfilled so its
outcome (cover) letter can be written."""

from __future__ import annotations

import pytest

from app import cases
from app.domain import Channel, Outcome, RequestType
from app.readmodels import CaseDetail, RequesterDetails
from app.searches import leave_out, plan
from app.settings import save_settings
from app.store import Store
from tests.conftest import TODAY
from tests.letters.conftest import ORG, RECEIVED


def log(store: Store, request_type: RequestType = RequestType.ACCESS) -> CaseDetail:
    return cases.log_request(
        store,
        RequesterDetails(name="Zoë Adeyemi", email="zoe@example.org", postal_address="1 A St"),
        request_type=request_type,
        channel=Channel.EMAIL,
        on=RECEIVED,
        description="Please send me everything you hold about me.",
        today=TODAY,
    )


def close_fulfilled(store: Store, case_id: int) -> CaseDetail:
    """Close as fulfilled: every task of the search plan is left out first (a case cannot
    close as fulfilled with its search unfinished)."""
    for task in plan(store, case_id):
        leave_out(store, task.id, reason="Searched by hand for this test")
    return cases.close(store, case_id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)


@pytest.fixture
def case(store: Store) -> CaseDetail:
    save_settings(store, ORG)
    return close_fulfilled(store, log(store).id)
