"""A kept bundle (or portability export) leaves the desk like a letter: emailed through the
configured server, saved as a draft for the DPO's mail program, or saved as a file to send
another way. Each is recorded on the case's timeline.

Mail servers refuse large messages (commonly 10 to 25 MB, counted after base64 encoding,
which adds a third), so a bundle over the limit is not offered for email at all: the DPO is
told its size and the limit, and offered to save it instead. The limit is the mail setting
"mail.max_message_mb" (20 MB unless set).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from app.cases import get_case, record_event
from app.disclosure.bundle import get_output, output_content
from app.disclosure.records import BundleInfo
from app.domain import DomainError, EventKind, NotFound
from app.formatting import uk_timestamp
from app.mail.compose import body_template, clean_subject, fill_template, new_message
from app.mail.draft import draft_bytes
from app.mail.outgoing import Outgoing
from app.mail.send import SendResult, send_recorded
from app.mail.settings import MailSettings, complete_settings, load_mail_settings
from app.models import DisclosureBundle
from app.private_files import write_private_file
from app.settings import get_value, load_settings
from app.store import Store
from app.validation import email_problem, text_problem

LIMIT_KEY = "mail.max_message_mb"
DEFAULT_LIMIT_MB = 20
MIME_OVERHEAD = 4 / 3  # base64


def output_filename(reference: str, info: BundleInfo) -> str:
    what = "disclosure-bundle" if info.kind == "bundle" else "portability-export"
    return f"{reference}-{what}-v{info.version}{info.filename_suffix}"


def email_limit_mb(store: Store) -> int:
    value = get_value(store, LIMIT_KEY, DEFAULT_LIMIT_MB)
    return value if isinstance(value, int) and value > 0 else DEFAULT_LIMIT_MB


def too_large_to_email(store: Store, info: BundleInfo) -> str | None:
    """Why this output cannot go by email, or None when it fits."""
    limit = email_limit_mb(store)
    encoded = info.size * MIME_OVERHEAD + 64 * 1024
    if encoded <= limit * 1024 * 1024:
        return None
    return (
        f"This {_noun(info)} is {info.size / (1024 * 1024):.1f} MB (about "
        f"{encoded / (1024 * 1024):.0f} MB once attached to an email), over the {limit} MB "
        "the mail server takes. Save it instead and send it another way (your secure file "
        "transfer, or an encrypted USB stick), with the password by a separate channel."
    )


def save_output(store: Store, bundle_id: int, path: Path) -> Path:
    """Write the kept bytes to `path` (owner-only, all or nothing) and record it."""
    info = get_output(store, bundle_id)
    data = output_content(store, bundle_id)
    path = Path(path)
    if path.suffix.lower() != info.filename_suffix:
        path = path.with_name(path.name + info.filename_suffix)
    _write_private(path, data)
    with store.write() as session:
        record_event(
            session,
            info.case_id,
            EventKind.BUNDLE_SAVED,
            f"{_noun(info).capitalize()} version {info.version} saved to a file ({path.name}) "
            "to send another way.",
            {"bundle_id": info.id, "file": path.name, "sha256": info.sha256},
        )
    return path


def _write_private(path: Path, data: bytes) -> None:
    try:
        write_private_file(path, data)
    except OSError as exc:
        raise DomainError(f"Could not save to {path}: {exc.strerror or exc}") from exc


def output_outgoing(store: Store, bundle_id: int) -> Outgoing:
    """The bundle as the send dialog shows it: pre-filled email, send and draft."""
    info = get_output(store, bundle_id)
    case = get_case(store, info.case_id)
    org = load_settings(store)
    title = (
        "your personal data (disclosure bundle)"
        if info.kind == "bundle"
        else ("your data in a portable format")
    )
    body = fill_template(
        body_template(store),
        {
            "name": case.requester.name,
            "reference": case.reference,
            "letter_title": title,
            "org_name": org.org_name,
            "dpo_name": org.dpo_name,
            "dpo_title": org.dpo_title,
        },
    )
    if info.encrypted:
        body = (
            "The attached file is protected by a password, which we will give you separately "
            "(not by email).\n\n" + body
        )
    note = None
    if info.emailed_at is not None:
        note = f"Version {info.version} was already emailed to {info.emailed_to}."
    return Outgoing(
        case_id=case.id,
        reference=case.reference,
        noun=_noun(info),
        to=case.requester.email,
        subject=f"Your data protection request {case.reference}: {title}",
        body=body,
        attachment_name=output_filename(case.reference, info),
        size=info.size,
        sent_note=note,
        already_emailed=lambda: _already_emailed(store, bundle_id),
        send=lambda to, subject, body, password: send_output(
            store, bundle_id, to=to, subject=subject, body=body, password=password
        ),
        save_draft=lambda path, to, subject, body: save_output_draft(
            store, bundle_id, path, to=to, subject=subject, body=body
        ),
        too_large=too_large_to_email(store, info),
    )


def _already_emailed(store: Store, bundle_id: int) -> str | None:
    info = get_output(store, bundle_id)
    if info.emailed_at is None:
        return None
    return f"already emailed to {info.emailed_to} on {uk_timestamp(info.emailed_at)}"


def build_output_message(
    store: Store, bundle_id: int, settings: MailSettings, *, to: str, subject: str, body: str
) -> EmailMessage:
    to = to.strip()
    problem = email_problem(to, required=True) or text_problem("email body", body)
    if problem:
        raise DomainError(f"Recipient: {problem}" if email_problem(to, required=True) else problem)
    info = get_output(store, bundle_id)
    too_large = too_large_to_email(store, info)
    if too_large:
        raise DomainError(too_large)
    case = get_case(store, info.case_id)
    message = new_message(settings, to=to, subject=clean_subject(subject, case.reference))
    message.set_content(body.replace("\r\n", "\n"))
    maintype, subtype = ("application", "pdf") if info.kind == "bundle" else ("application", "zip")
    message.add_attachment(
        output_content(store, bundle_id),
        maintype=maintype,
        subtype=subtype,
        filename=output_filename(case.reference, info),
    )
    return message


def send_output(
    store: Store,
    bundle_id: int,
    *,
    to: str,
    subject: str,
    body: str,
    password: str | None,
    settings: MailSettings | None = None,
) -> SendResult:
    """Email a kept bundle; the send, or its failure, goes on the record."""
    settings = complete_settings(store, settings)
    message = build_output_message(store, bundle_id, settings, to=to, subject=subject, body=body)
    return send_recorded(
        settings,
        password,
        message,
        sent=lambda to, message_id: _record_send(store, bundle_id, to, message_id, None),
        failed=lambda to, error: _record_send(store, bundle_id, to, "", error),
    )


def _record_send(store: Store, bundle_id: int, to: str, message_id: str, error: str | None) -> None:
    with store.write() as session:
        row = session.get(DisclosureBundle, bundle_id)
        if row is None:
            raise NotFound(f"There is no bundle with id {bundle_id}.")
        noun = "Disclosure bundle" if row.kind == "bundle" else "Portability export"
        if error is None:
            row.emailed_at = datetime.now(UTC)
            row.emailed_to = to
            kind = EventKind.BUNDLE_EMAILED
            summary = f"{noun} version {row.version} emailed to {to}."
            details = {"bundle_id": row.id, "to": to, "message_id": message_id}
        else:
            kind = EventKind.BUNDLE_EMAIL_FAILED
            summary = f"Email of {noun.lower()} version {row.version} to {to} failed: {error}"
            details = {"bundle_id": row.id, "to": to, "error": error}
        record_event(session, row.case_id, kind, summary, details)


def save_output_draft(
    store: Store, bundle_id: int, path: Path, *, to: str, subject: str, body: str
) -> Path:
    """The bundle email as an unsent .eml draft for Outlook or Thunderbird."""
    settings = load_mail_settings(store)
    message = build_output_message(store, bundle_id, settings, to=to, subject=subject, body=body)
    path = Path(path)
    if path.suffix.lower() != ".eml":
        path = path.with_name(path.name + ".eml")
    _write_private(path, draft_bytes(message))
    info = get_output(store, bundle_id)
    with store.write() as session:
        record_event(
            session,
            info.case_id,
            EventKind.BUNDLE_SAVED,
            f"Email draft of the {_noun(info)} (version {info.version}) saved for "
            f"{message['To']} (not sent yet).",
            {"bundle_id": info.id, "draft": path.name, "to": str(message["To"])},
        )
    return path


def _noun(info: BundleInfo) -> str:
    return "bundle" if info.kind == "bundle" else "portability export"
