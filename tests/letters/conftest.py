"""A store with the organisation's settings filled in, and helpers to log cases and read
letters back with pypdf."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date

import pypdf
import pytest

from app import cases
from app.domain import Channel, RequestType
from app.readmodels import CaseDetail, RequesterDetails
from app.settings import OrgSettings, save_settings
from app.store import Store
from tests.conftest import TODAY

RECEIVED = date(2026, 11, 2)
ORG = OrgSettings(
    org_name="Northwind IT Services Ltd",
    org_address="Unit 4, Kingsway Business Park\nLeeds\nLS1 4AP",
    org_email="privacy@northwind.example",
    org_phone="0113 496 0000",
    dpo_name="Priya Shah",
    dpo_title="Data Protection Officer",
    purposes="Providing and supporting the IT services in your contract.",
    categories="Contact details, support tickets, call recordings.",
    recipients="Our payroll provider and our hosting provider.",
    retention="Six years after the end of the contract.",
    source="You, and your employer when it set up your account.",
    automated_decisions="We make no decisions about you by automated means.",
    transfer_safeguards="Our hosting provider stores data in the EU under the UK adequacy "
    "regulations; we make no other transfers outside the UK.",
)

LogCase = Callable[..., CaseDetail]


@pytest.fixture
def org_store(store: Store) -> Store:
    save_settings(store, ORG)
    return store


@pytest.fixture
def log_case(org_store: Store) -> LogCase:
    def log(
        name: str = "Zoë Adeyemi",
        address: str = "12 High Street\nLeeds\nLS1 4AP",
        request_type: RequestType = RequestType.ACCESS,
    ) -> CaseDetail:
        return cases.log_request(
            org_store,
            RequesterDetails(name=name, email="zoe@example.org", postal_address=address),
            request_type=request_type,
            channel=Channel.EMAIL,
            on=RECEIVED,
            description="Please send me everything.",
            today=TODAY,
        )

    return log


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Whitespace normalised: wrapping splits lines where the PDF breaks them."""
    return " ".join(text.split())


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


PLACEHOLDER_LEFT = re.compile(r"\$\{?[A-Za-z_]")
