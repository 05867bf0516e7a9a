"""Every generated letter kept with its case: the exact PDF bytes, their SHA-256, the stage
and the template version. Generating again adds a version; nothing is ever overwritten.
Printing and emailing are recorded against the letter and on the case's timeline."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cases import record_event
from app.domain import EventKind, NotFound
from app.integrity.content import checked
from app.models import Letter
from app.store import Store


@dataclass(frozen=True, slots=True)
class StoredLetter:
    id: int
    case_id: int
    stage: str
    version: int
    template_version: str
    sha256: str
    size: int
    created_at: datetime
    sent_by_post_at: datetime | None
    emailed_at: datetime | None
    emailed_to: str | None

    @property
    def sent(self) -> bool:
        return self.sent_by_post_at is not None or self.emailed_at is not None


def _info(letter: Letter) -> StoredLetter:
    return StoredLetter(
        id=letter.id,
        case_id=letter.case_id,
        stage=letter.stage,
        version=letter.version,
        template_version=letter.template_version,
        sha256=letter.sha256,
        size=len(letter.pdf),
        created_at=letter.created_at,
        sent_by_post_at=letter.sent_by_post_at,
        emailed_at=letter.emailed_at,
        emailed_to=letter.emailed_to,
    )


def _letter(session: Session, letter_id: int) -> Letter:
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise NotFound(f"There is no letter with id {letter_id}.")
    return letter


def save_letter(
    store: Store,
    case_id: int,
    *,
    stage: str,
    pdf: bytes,
    template_version: str,
    stage_label: str | None = None,
) -> StoredLetter:
    """Keep a newly rendered letter as the next version of its stage, on the timeline."""
    digest = hashlib.sha256(pdf).hexdigest()
    with store.write() as session:
        latest = session.scalar(
            select(func.max(Letter.version)).where(Letter.case_id == case_id, Letter.stage == stage)
        )
        letter = Letter(
            case_id=case_id,
            stage=stage,
            version=(latest or 0) + 1,
            template_version=template_version,
            pdf=pdf,
            sha256=digest,
            created_at=datetime.now(UTC),
        )
        session.add(letter)
        session.flush()
        label = stage_label or stage.replace("_", " ")
        record_event(
            session,
            case_id,
            EventKind.LETTER_GENERATED,
            f"Letter generated: {label} (version {letter.version}).",
            {
                "letter_id": letter.id,
                "stage": stage,
                "version": letter.version,
                "sha256": digest,
                "template_version": template_version,
            },
        )
        return _info(letter)


def get_letter(store: Store, letter_id: int) -> StoredLetter:
    with store.read() as session:
        letter = _letter(session, letter_id)
        return _info(letter)


def letter_pdf(store: Store, letter_id: int) -> bytes:
    with store.read() as session:
        letter = _letter(session, letter_id)
        what = f"letter ({letter.stage.replace('_', ' ')}, version {letter.version})"
        return checked(bytes(letter.pdf), letter.sha256, what)


def list_letters(store: Store, case_id: int) -> list[StoredLetter]:
    """The case's letters, newest first, without their PDF bytes."""
    with store.read() as session:
        letters = session.scalars(
            select(Letter).where(Letter.case_id == case_id).order_by(Letter.id.desc())
        ).all()
        return [_info(letter) for letter in letters]


def record_sent_by_post(store: Store, letter_id: int) -> StoredLetter:
    with store.write() as session:
        letter = _letter(session, letter_id)
        letter.sent_by_post_at = datetime.now(UTC)
        record_event(
            session,
            letter.case_id,
            EventKind.LETTER_SENT_POST,
            f"Letter sent by post: {letter.stage.replace('_', ' ')} (version {letter.version}).",
            {"letter_id": letter.id, "stage": letter.stage, "version": letter.version},
        )
        return _info(letter)


def record_emailed(store: Store, letter_id: int, *, to: str, message_id: str) -> StoredLetter:
    with store.write() as session:
        letter = _letter(session, letter_id)
        letter.emailed_at = datetime.now(UTC)
        letter.emailed_to = to
        record_event(
            session,
            letter.case_id,
            EventKind.LETTER_EMAILED,
            f"Letter emailed to {to}: {letter.stage.replace('_', ' ')} (version {letter.version}).",
            {"letter_id": letter.id, "to": to, "message_id": message_id},
        )
        return _info(letter)


def record_email_failed(store: Store, letter_id: int, *, to: str, error: str) -> StoredLetter:
    """A failed send is on the record too; the letter stays unsent."""
    with store.write() as session:
        letter = _letter(session, letter_id)
        record_event(
            session,
            letter.case_id,
            EventKind.LETTER_EMAIL_FAILED,
            f"Email of letter to {to} failed: {error}",
            {"letter_id": letter.id, "to": to, "error": error},
        )
        return _info(letter)
