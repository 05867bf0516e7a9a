"""A store with the organisation's letterhead and an access case, closed as fulfilled so its
outcome (cover) letter can be written."""

from __future__ import annotations

import pytest

from app import cases
from app.domain import Channel, Outcome, RequestType
from app.readmodels import CaseDetail, RequesterDetails
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


@pytest.fixture
def case(store: Store) -> CaseDetail:
    save_settings(store, ORG)
    logged = log(store)
    return cases.close(store, logged.id, outcome=Outcome.FULFILLED, on=TODAY, today=TODAY)
