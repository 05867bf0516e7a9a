"""Mail settings: what is refused, where the password lives, the template and the draft."""

from __future__ import annotations

from dataclasses import replace
from email import message_from_bytes, policy

import pytest

from app.domain import DomainError
from app.mail.compose import (
    DEFAULT_BODY_TEMPLATE,
    body_template,
    clean_subject,
    letter_email,
    save_body_template,
)
from app.mail.draft import draft_bytes
from app.mail.settings import (
    MailSettings,
    forget_password,
    keyring_problem,
    load_mail_settings,
    remember_password,
    save_mail_settings,
    stored_password,
)
from app.settings import get_value
from app.store import Store
from tests.mail.conftest import MemoryKeyring, case_with_letter

GOOD = MailSettings(
    host="smtp.example.co.uk",
    port=587,
    security="starttls",
    username="dpo",
    from_address="privacy@example.co.uk",
)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"host": ""}, "Enter the SMTP server's host name."),
        ({"host": "smtp example"}, "cannot contain spaces"),
        ({"port": 0}, "between 1 and 65535"),
        ({"security": "ssl3"}, "Unknown connection security"),
        ({"security": "none"}, "only allowed to a server on this computer"),
        ({"from_address": "privacy@"}, "From address: This is not a valid email address"),
        ({"from_name": "DPO\r\nBcc: x@example.org"}, "cannot contain line breaks"),
    ],
)
def test_refused_settings(store: Store, change: dict, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        save_mail_settings(store, replace(GOOD, **change))
    assert load_mail_settings(store) == MailSettings()


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1"])
def test_plain_smtp_allowed_on_this_computer_only(store: Store, host: str) -> None:
    saved = save_mail_settings(store, replace(GOOD, host=host, security="none", port=25))
    assert load_mail_settings(store) == saved


def test_password_lives_in_the_keyring_only(store: Store, memory_keyring: MemoryKeyring) -> None:
    saved = save_mail_settings(store, GOOD)
    assert keyring_problem() is None
    remember_password(saved, "s3cret")
    assert memory_keyring.passwords == {("dsar-desk", "dpo@smtp.example.co.uk"): "s3cret"}
    assert stored_password(saved) == "s3cret"
    for key in (
        "host",
        "port",
        "security",
        "username",
        "from_address",
        "from_name",
        "cafile",
        "timeout_seconds",
    ):
        assert get_value(store, f"mail.{key}") != "s3cret"
    assert get_value(store, "mail.password") is None
    forget_password(saved)
    assert stored_password(saved) is None
    forget_password(saved)  # forgetting twice is fine


def test_no_keyring_is_said_and_handled(store: Store, no_keyring: None) -> None:
    assert "No system keyring is available" in (keyring_problem() or "")
    assert stored_password(GOOD) is None
    with pytest.raises(DomainError, match="No system keyring is available"):
        remember_password(GOOD, "s3cret")


def test_body_template(store: Store) -> None:
    assert body_template(store) == DEFAULT_BODY_TEMPLATE
    with pytest.raises(DomainError, match=r"unknown placeholder \$nmae"):
        save_body_template(store, "Dear $nmae")
    with pytest.raises(DomainError, match="lone \\$ sign"):
        save_body_template(store, "Costs $ 5")
    save_body_template(store, "Dear $name,\n$reference\n$dpo_name\nBye")
    setup = case_with_letter(store)
    mail = letter_email(store, setup.letter.id)
    # The DPO's name is not set: its line is dropped rather than left blank.
    assert mail.body == f"Dear Zoë O'Brien,\n{setup.case.reference}\nBye"
    assert mail.attachment_name == f"{setup.case.reference}-acknowledgement-v1.pdf"


def test_subject_always_carries_the_reference() -> None:
    assert clean_subject("Your letter", "DSR-2026-0001") == "DSR-2026-0001: Your letter"
    assert clean_subject("Re DSR-2026-0001 x", "DSR-2026-0001") == "Re DSR-2026-0001 x"
    assert clean_subject("", "DSR-2026-0001") == "DSR-2026-0001"
    assert clean_subject("a\r\nBcc: b", "R") == "R: a Bcc: b"


def test_draft_is_rfc5322_with_x_unsent(store: Store) -> None:
    from app.mail.compose import build_letter_message

    setup = case_with_letter(store)
    message = build_letter_message(
        store, setup.letter.id, GOOD, to="zoe@example.org", subject="Letter", body="Hello\nThere"
    )
    raw = draft_bytes(message)
    head = raw.split(b"\r\n\r\n", 1)[0]
    for name in (
        b"X-Unsent: 1",
        b"MIME-Version: 1.0",
        b"Date: ",
        b"Message-ID: <",
        b"To: zoe@example.org",
        b"From: privacy@example.co.uk",
    ):
        assert name in head
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    parsed = message_from_bytes(raw, policy=policy.default)
    [pdf] = list(parsed.iter_attachments())
    assert pdf.get_content() == setup.pdf
