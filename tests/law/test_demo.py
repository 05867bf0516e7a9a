"""Demo data looks like a real desk's: the organisation's settings, and grounds with legal
bases that fit each request type (issue 8 point 8)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.demo import fill_demo
from app.domain import Outcome, RequestType
from app.grounds import BASES_BY_TYPE
from app.models import Case
from app.settings import load_settings
from app.store import Store


def test_demo_carries_the_organisation_and_fitting_grounds(store: Store) -> None:
    fill_demo(store, today=date(2026, 11, 25))
    settings = load_settings(store)
    assert settings.org_name.startswith("Northwind IT Services Ltd")
    assert settings.dpo_name and settings.transfer_safeguards and settings.complaints_contact
    with store.read() as session:
        rows = session.execute(
            select(Case.request_type, Case.outcome, Case.ground, Case.ground_basis)
        ).all()
    grounded = [r for r in rows if r.outcome in (Outcome.PARTLY_FULFILLED, Outcome.REFUSED)]
    assert {RequestType(r.request_type) for r in grounded} >= {
        RequestType.ACCESS,
        RequestType.ERASURE,
        RequestType.RECTIFICATION,
    }
    for row in grounded:
        assert row.ground and row.ground_basis in BASES_BY_TYPE[RequestType(row.request_type)]
    opt_outs = [r for r in rows if r.request_type == RequestType.MARKETING_OPT_OUT.value]
    assert all(r.outcome in (None, Outcome.FULFILLED.value) for r in opt_outs)
