"""A store with real cases, a real letter and a real attachment; the way in from outside, as
someone with the store but not the app would edit it, is tests.raw.outside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from app import cases, searches
from app.attachments import add_attachment
from app.domain import Channel, Outcome, RequestType
from app.letters import generate_letter
from app.readmodels import RequesterDetails
from app.settings import OrgSettings, save_settings
from app.store import Store
from tests.conftest import TODAY

RECEIVED = date(2026, 10, 5)
ANN = RequesterDetails(
    name="Ann Example", email="ann@example.org", postal_address="1 High St\nLeeds\nLS1 4AP"
)
BOB = RequesterDetails(
    name="Bob Sample", email="bob@example.net", postal_address="2 Low Rd\nYork\nYO1 7HH"
)
ORG = OrgSettings(
    org_name="Northwind IT Services Ltd",
    org_address="Unit 4, Kingsway Business Park\nLeeds\nLS1 4AP",
    org_email="privacy@northwind.example",
    org_phone="0113 496 0000",
    dpo_name="Priya Shah",
)
ID_SCAN = b"%PDF-1.4 passport scan of Ann Example " + bytes(range(256)) * 8


@dataclass(frozen=True)
class Desk:
    store: Store
    ann: int
    bob: int
    letter_id: int
    attachment_id: int


@pytest.fixture
def desk(store: Store) -> Desk:
    return make_desk(store)


def make_desk(store: Store) -> Desk:
    """Two cases: Ann's open, with a note, a letter and an ID scan; Bob's closed."""
    save_settings(store, ORG)
    ann = cases.log_request(
        store,
        ANN,
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=RECEIVED,
        description="Everything you hold about me.",
        today=TODAY,
    ).id
    cases.add_note(store, ann, "Phoned Ann to confirm her address.")
    letter = generate_letter(store, ann, "acknowledgement", today=TODAY)
    scan = add_attachment(store, ann, filename="passport.pdf", content=ID_SCAN, kind="id_document")
    bob = cases.log_request(
        store,
        BOB,
        request_type=RequestType.ERASURE,
        channel=Channel.POST,
        on=RECEIVED,
        today=TODAY,
    ).id
    for task in searches.plan(store, bob):
        searches.leave_out(store, task.id, reason="Bob was never a customer there.")
    cases.close(store, bob, outcome=Outcome.FULFILLED, on=date(2026, 10, 20), today=TODAY)
    return Desk(store, ann, bob, letter.id, scan.id)
