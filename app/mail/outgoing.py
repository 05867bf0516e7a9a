"""One document on its way out by email, as the send dialog sees it: what it is, to whom,
the pre-filled subject and text, and the two ways to send it (SMTP, or a draft for the DPO's
mail program). A letter is one; a disclosure bundle (app.disclosure.delivery) is another, so
both go through the same dialog and both sends land on the case's record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.formatting import uk_timestamp
from app.letters.records import get_letter
from app.mail.compose import letter_email
from app.mail.draft import save_letter_draft
from app.mail.send import SendResult, send_letter
from app.store import Store

Send = Callable[[str, str, str, str | None], SendResult]  # to, subject, body, password
SaveDraft = Callable[[Path, str, str, str], Path]  # path, to, subject, body


@dataclass(frozen=True, slots=True)
class Outgoing:
    case_id: int
    reference: str
    noun: str  # "letter", "bundle": how the dialog names what is attached
    to: str
    subject: str
    body: str
    attachment_name: str
    size: int
    sent_note: str | None  # "already emailed to ... on ..." when it was
    already_emailed: Callable[[], str | None]  # read afresh: "already emailed to … on …"
    send: Send
    save_draft: SaveDraft
    too_large: str | None = None  # why it cannot be emailed (then: save it instead)


def letter_outgoing(store: Store, letter_id: int) -> Outgoing:
    mail = letter_email(store, letter_id)
    letter = get_letter(store, letter_id)

    def already_emailed() -> str | None:
        sent = get_letter(store, letter_id)
        if sent.emailed_at is None:
            return None
        return f"already emailed to {sent.emailed_to} on {uk_timestamp(sent.emailed_at)}"

    before = already_emailed()
    note = f"This letter was {before}. Sending again sends another copy." if before else None
    return Outgoing(
        case_id=mail.case_id,
        reference=mail.reference,
        noun="letter",
        to=mail.to,
        subject=mail.subject,
        body=mail.body,
        attachment_name=mail.attachment_name,
        size=letter.size,
        sent_note=note,
        already_emailed=already_emailed,
        send=lambda to, subject, body, password: send_letter(
            store, letter_id, to=to, subject=subject, body=body, password=password
        ),
        save_draft=lambda path, to, subject, body: save_letter_draft(
            store, letter_id, path, to=to, subject=subject, body=body
        ),
    )
