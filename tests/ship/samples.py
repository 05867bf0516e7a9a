"""The self-test's sample emails, made here so that they are ours to ship (the Outlook
samples in ../shared are GPL test data). `resources/selftest/` holds what this writes."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP

from tests.ship.msg_writer import outlook_message

SENT = datetime(2026, 11, 9, 9, 30, tzinfo=UTC)
SUBJECT = "Subject access request"


def sample_msg() -> bytes:
    return outlook_message(
        sender_name="Ελένη Παπαδοπούλου",
        sender_email="eleni@example.org",
        sent=SENT,
        subject=SUBJECT,
        body="Please send me a copy of the personal data you hold about me.\r\n\r\nΕλένη",
    )


def sample_eml() -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = "王小明 <xiaoming@example.org>"
    message["To"] = "privacy@example.org"
    message["Date"] = "Mon, 09 Nov 2026 09:30:00 +0000"
    message["Subject"] = SUBJECT
    message["Message-ID"] = "<self-test@example.org>"
    message.set_content("Please send me a copy of the personal data you hold about me.\n\n王小明\n")
    return message.as_bytes()
