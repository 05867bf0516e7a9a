"""Logging a request that arrived as an email: the case and the original message are kept
together in one transaction, so a refused attachment never leaves a case without its source."""

from __future__ import annotations

from datetime import date

from app import cases
from app.attachments import keep_attachment, prepare_attachment
from app.domain import Channel, RequestType
from app.readmodels import CaseDetail, RequesterDetails
from app.store import Store


def log_request_with_original(
    store: Store,
    requester: RequesterDetails,
    *,
    request_type: RequestType,
    channel: Channel,
    on: date,
    original: bytes,
    original_filename: str,
    original_mime_type: str | None = None,
    description: str = "",
    identity_required: bool = False,
    today: date | None = None,
) -> CaseDetail:
    """`cases.log_request` plus the original email as an "email_original" attachment."""
    new = prepare_attachment(
        filename=original_filename,
        content=original,
        kind="email_original",
        mime_type=original_mime_type or "message/rfc822",
    )
    return cases.log_request(
        store,
        requester,
        request_type=request_type,
        channel=channel,
        on=on,
        description=description,
        identity_required=identity_required,
        today=today,
        within=lambda session, case_id: keep_attachment(session, case_id, new),
    )
