"""The email that carries a letter: subject with the case reference, a body from the DPO's
editable template, and the letter's PDF attached exactly as stored.

The same message is sent over SMTP or saved as a draft, so what the requester receives and
what the DPO saved are built by one function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from string import Template

from app.cases import get_case
from app.domain import DomainError
from app.letters.records import StoredLetter, get_letter, letter_pdf
from app.mail.settings import MailSettings
from app.settings import get_value, load_settings, set_value
from app.store import Store
from app.validation import email_problem, text_problem

BODY_TEMPLATE_KEY = "mail.body_template"
DEFAULT_BODY_TEMPLATE = """\
Dear $name,

Please find attached our letter about your request (our reference $reference): $letter_title.

If you have any questions, reply to this email quoting the reference.

Yours sincerely,

$dpo_name
$dpo_title
$org_name
"""
PLACEHOLDERS: dict[str, str] = {
    "name": "the requester's name",
    "reference": "the case reference, e.g. DSR-2026-0001",
    "letter_title": "what the letter is, e.g. acknowledgement",
    "org_name": "your organisation's name",
    "dpo_name": "the DPO's name",
    "dpo_title": "the DPO's title",
}
MAX_SUBJECT = 250


@dataclass(frozen=True, slots=True)
class LetterEmail:
    """What the send dialog opens with; every field can be edited before sending."""

    letter_id: int
    case_id: int
    reference: str
    to: str
    subject: str
    body: str
    attachment_name: str


def body_template(store: Store) -> str:
    value = get_value(store, BODY_TEMPLATE_KEY)
    return value if isinstance(value, str) and value.strip() else DEFAULT_BODY_TEMPLATE


def save_body_template(store: Store, text: str) -> None:
    problem = text_problem("email template", text)
    if problem:
        raise DomainError(problem)
    try:
        Template(text).substitute({key: "" for key in PLACEHOLDERS})
    except KeyError as exc:
        raise DomainError(
            f"The template uses an unknown placeholder ${exc.args[0]}; known ones are "
            + ", ".join(f"${key}" for key in PLACEHOLDERS)
            + "."
        ) from exc
    except ValueError as exc:
        raise DomainError("The template has a lone $ sign; write $$ for a dollar sign.") from exc
    set_value(store, BODY_TEMPLATE_KEY, text)


def fill_template(template: str, values: dict[str, str]) -> str:
    """Fill the placeholders; a line left empty only because its value is empty (no DPO
    name set yet) is dropped rather than leaving a gap in the signature."""
    lines = []
    for line in template.splitlines():
        filled = Template(line).safe_substitute(values)
        if line.strip() and not filled.strip():
            continue
        lines.append(filled)
    return "\n".join(lines) + ("\n" if template.endswith("\n") else "")


def stage_title(stage: str) -> str:
    return stage.replace("_", " ").replace("-", " ")


def attachment_name(reference: str, letter: StoredLetter) -> str:
    """E.g. DSR-2026-0001-acknowledgement-v1.pdf: the reference, what, which version."""
    stage = re.sub(r"[^A-Za-z0-9]+", "-", letter.stage).strip("-").lower() or "letter"
    return f"{reference}-{stage}-v{letter.version}.pdf"


def letter_email(store: Store, letter_id: int) -> LetterEmail:
    """The pre-filled email for a stored letter."""
    letter = get_letter(store, letter_id)
    case = get_case(store, letter.case_id)
    org = load_settings(store)
    values = {
        "name": case.requester.name,
        "reference": case.reference,
        "letter_title": stage_title(letter.stage),
        "org_name": org.org_name,
        "dpo_name": org.dpo_name,
        "dpo_title": org.dpo_title,
    }
    body = fill_template(body_template(store), values)
    title = stage_title(letter.stage)
    subject = f"Your data protection request {case.reference}: {title}"
    return LetterEmail(
        letter_id=letter.id,
        case_id=case.id,
        reference=case.reference,
        to=case.requester.email,
        subject=subject,
        body=body,
        attachment_name=attachment_name(case.reference, letter),
    )


def clean_subject(subject: str, reference: str) -> str:
    """One line, never empty, always carrying the case reference."""
    subject = " ".join(subject.split())
    if reference not in subject:
        subject = f"{reference}: {subject}" if subject else reference
    return subject[:MAX_SUBJECT]


def build_letter_message(
    store: Store,
    letter_id: int,
    settings: MailSettings,
    *,
    to: str,
    subject: str,
    body: str,
) -> EmailMessage:
    """The complete message: headers, text body, the stored PDF attached unchanged."""
    to = to.strip()
    problem = email_problem(to, required=True)
    if problem:
        raise DomainError(f"Recipient: {problem}")
    problem = text_problem("email body", body)
    if problem:
        raise DomainError(problem)
    letter = get_letter(store, letter_id)
    case = get_case(store, letter.case_id)
    pdf = letter_pdf(store, letter_id)
    message = new_message(settings, to=to, subject=clean_subject(subject, case.reference))
    message.set_content(body.replace("\r\n", "\n"))
    message.add_attachment(
        pdf,
        maintype="application",
        subtype="pdf",
        filename=attachment_name(case.reference, letter),
    )
    return message


def new_message(settings: MailSettings, *, to: str, subject: str) -> EmailMessage:
    """Headers every message of ours carries: From, To, Subject, Date, Message-ID."""
    message = EmailMessage()
    if settings.from_address:  # a draft may leave it to the mail program
        message["From"] = _address(settings.from_name, settings.from_address)
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    domain = settings.from_address.rpartition("@")[2] or "dsar-desk.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    return message


def _address(name: str, address: str) -> Address | str:
    user, _, domain = address.partition("@")
    try:
        return Address(display_name=name, username=user, domain=domain)
    except (ValueError, IndexError):
        return address
