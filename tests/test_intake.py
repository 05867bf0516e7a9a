"""A request logged from an email keeps the original with it, in the same transaction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app import attachments, cases
from app.domain import Channel, DomainError, RequestType
from app.intake import log_request_with_original
from app.models import Case, CaseEvent
from app.readmodels import RequesterDetails
from app.settings import OrgSettings, save_settings
from app.store import Store

TODAY = date(2026, 11, 25)
ORIGINAL = b"From: Ann <ann@example.org>\r\nSubject: SAR\r\n\r\nPlease send my data.\r\n"


def log(store: Store, original: bytes) -> int:
    return log_request_with_original(
        store,
        RequesterDetails(name="Ann", email="ann@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 11, 20),
        original=original,
        original_filename="../../request.eml",
        today=TODAY,
    ).id


def test_case_and_original_are_kept_together(store: Store) -> None:
    case_id = log(store, ORIGINAL)
    [kept] = attachments.list_attachments(store, case_id)
    assert (kept.filename, kept.kind, kept.mime_type) == (
        "request.eml",
        "email_original",
        "message/rfc822",
    )
    assert attachments.attachment_content(store, kept.id) == ORIGINAL
    assert [e.kind for e in cases.timeline(store, case_id)] == ["logged", "attachment_added"]


def test_a_refused_original_leaves_no_case_behind(store: Store) -> None:
    save_settings(store, OrgSettings(attachment_limit_mb=1))
    with pytest.raises(DomainError, match="over the limit of 1 MB"):
        log(store, b"x" * (1024 * 1024 + 1))
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(CaseEvent)) == 0
    # The reference was not used up either: the next case is still number one.
    assert cases.get_case(store, log(store, ORIGINAL)).reference == "DSR-2026-0001"
