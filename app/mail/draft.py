"""The letter email saved as an unsent .eml draft, for DPOs who send from Outlook or
Thunderbird: `X-Unsent: 1` makes Outlook open it as a new message ready to send.

Written with email.generator under the SMTP policy (CRLF line ends, RFC 5322), so any mail
client reads it back the same.
"""

from __future__ import annotations

from email.generator import BytesGenerator
from email.message import EmailMessage
from email.policy import SMTP
from io import BytesIO
from pathlib import Path

from app.cases import record_event
from app.domain import DomainError, EventKind
from app.letters.records import get_letter
from app.mail.compose import build_letter_message
from app.mail.settings import MailSettings, load_mail_settings
from app.private_files import write_private_file
from app.store import Store


def draft_bytes(message: EmailMessage) -> bytes:
    """The message as an unsent draft, serialised to RFC 5322 bytes."""
    if "X-Unsent" not in message:
        message["X-Unsent"] = "1"
    if "MIME-Version" not in message:
        message["MIME-Version"] = "1.0"
    buffer = BytesIO()
    BytesGenerator(buffer, policy=SMTP).flatten(message)
    return buffer.getvalue()


def save_letter_draft(
    store: Store,
    letter_id: int,
    path: Path,
    *,
    to: str,
    subject: str,
    body: str,
    settings: MailSettings | None = None,
) -> Path:
    """Write the letter email to `path` as a draft and note it on the case's timeline.

    The letter stays unsent: the draft is not a send, and the record says so. Without a
    From address in the settings the draft has none, and the mail program fills it in.
    """
    settings = settings or load_mail_settings(store)
    message = build_letter_message(store, letter_id, settings, to=to, subject=subject, body=body)
    data = draft_bytes(message)
    path = Path(path)
    if path.suffix.lower() != ".eml":
        path = path.with_name(path.name + ".eml")
    try:
        write_private_file(path, data)  # owner-only, whole or not at all
    except OSError as exc:
        raise DomainError(f"Could not save the draft to {path}: {exc.strerror or exc}") from exc
    letter = get_letter(store, letter_id)
    with store.write() as session:
        record_event(
            session,
            letter.case_id,
            EventKind.LETTER_DRAFT_SAVED,
            f"Email draft of the letter saved for {message['To']} (not sent yet): "
            f"{letter.stage.replace('_', ' ')} (version {letter.version}).",
            {
                "letter_id": letter.id,
                "to": str(message["To"]),
                "draft": path.name,
                "message_id": str(message["Message-ID"]),
            },
        )
    return path
