"""Real mail to a real SMTP server on 127.0.0.1: what the server received is what we meant."""

from __future__ import annotations

import ssl
from dataclasses import replace
from pathlib import Path

import pytest
import truststore

from app.cases import timeline
from app.domain import DomainError, EventKind
from app.letters.records import get_letter
from app.mail.compose import LetterEmail, letter_email
from app.mail.send import MailError, SendResult, send_letter, send_test_email, tls_context
from app.mail.settings import remember_password
from app.store import Store
from tests.mail.conftest import (
    PASSWORD,
    USER,
    MemoryKeyring,
    Server,
    case_with_letter,
    configure,
    settings_for,
)


def _assert_received(server: Server, store: Store, setup, to: str) -> None:
    [(mail_from, rcpts, _raw)] = server.recorder.envelopes
    assert mail_from == "dpo@example.co.uk"
    assert rcpts == [to]
    [message] = server.recorder.messages()
    assert message["To"] == to
    assert message["From"].addresses[0].addr_spec == "dpo@example.co.uk"
    assert message["From"].addresses[0].display_name == "Example Ltd <DPO>"
    assert setup.case.reference in message["Subject"]
    assert message["Message-ID"]
    assert message["Date"]
    body = message.get_body(("plain",)).get_content()
    assert "Dear Zoë O'Brien," in body
    assert setup.case.reference in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{setup.case.reference}-acknowledgement-v1.pdf"
    assert attachment.get_content() == setup.pdf
    assert attachment.get_content().startswith(b"%PDF")


def test_send_plain_to_local_server_records_it(store: Store, plain_server: Server) -> None:
    setup = case_with_letter(store)
    configure(store, settings_for(plain_server))
    draft = letter_email(store, setup.letter.id)
    assert draft.to == "zoe.o'brien@example.org"

    result = send_letter(
        store, setup.letter.id, to=draft.to, subject=draft.subject, body=draft.body, password=None
    )

    assert result.sent, result.message
    _assert_received(plain_server, store, setup, draft.to)
    letter = get_letter(store, setup.letter.id)
    assert letter.emailed_to == draft.to and letter.sent
    [event] = [e for e in timeline(store, setup.case.id) if e.kind == EventKind.LETTER_EMAILED]
    assert event.details["message_id"] == result.message_id
    assert draft.to in event.summary


def test_send_with_auth_uses_keyring_password(
    store: Store, auth_server: Server, memory_keyring: MemoryKeyring
) -> None:
    setup = case_with_letter(store)
    settings = configure(store, settings_for(auth_server, username=USER))
    remember_password(settings, PASSWORD)
    assert memory_keyring.passwords == {("dsar-desk", f"{USER}@127.0.0.1"): PASSWORD}
    draft = letter_email(store, setup.letter.id)

    result = send_letter(
        store, setup.letter.id, to=draft.to, subject=draft.subject, body=draft.body, password=None
    )

    assert result.sent, result.message
    _assert_received(auth_server, store, setup, draft.to)


def test_send_over_starttls_with_test_ca(
    store: Store, starttls_server: Server, memory_keyring: MemoryKeyring
) -> None:
    setup = case_with_letter(store)
    configure(store, settings_for(starttls_server, security="starttls", username=USER))
    draft = letter_email(store, setup.letter.id)

    result = send_letter(
        store,
        setup.letter.id,
        to=draft.to,
        subject="Edited subject",
        body=draft.body,
        password=PASSWORD,
    )

    assert result.sent, result.message
    _assert_received(starttls_server, store, setup, draft.to)
    [message] = starttls_server.recorder.messages()
    assert message["Subject"] == f"{setup.case.reference}: Edited subject"


def _send_as_drafted(store: Store, letter_id: int) -> tuple[SendResult, LetterEmail]:
    draft = letter_email(store, letter_id)
    result = send_letter(
        store, letter_id, to=draft.to, subject=draft.subject, body=draft.body, password=PASSWORD
    )
    return result, draft


def test_send_over_implicit_tls(
    store: Store, ssl_server: Server, memory_keyring: MemoryKeyring
) -> None:
    setup = case_with_letter(store)
    configure(store, settings_for(ssl_server, security="ssl", username=USER))
    result, draft = _send_as_drafted(store, setup.letter.id)
    assert result.sent, result.message
    _assert_received(ssl_server, store, setup, draft.to)


def test_a_ca_the_operating_system_trusts_needs_no_ca_file(
    store: Store,
    starttls_server: Server,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """TLS uses the system's trust store (truststore): a CA installed there is trusted with
    no CA file in the settings. OpenSSL's system store on Linux honours SSL_CERT_FILE, which
    stands in here for "the IT department installed the company CA"."""
    monkeypatch.setenv("SSL_CERT_FILE", starttls_server.cafile)
    monkeypatch.setenv("SSL_CERT_DIR", str(Path(starttls_server.cafile).parent / "none"))
    setup = case_with_letter(store)
    settings = settings_for(starttls_server, security="starttls", username=USER)
    configure(store, replace(settings, cafile=""))
    context = tls_context(replace(settings, cafile=""))
    assert isinstance(context, truststore.SSLContext)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname

    result, draft = _send_as_drafted(store, setup.letter.id)

    assert result.sent, result.message
    _assert_received(starttls_server, store, setup, draft.to)


def test_starttls_refuses_an_untrusted_certificate(
    store: Store, starttls_server: Server, memory_keyring: MemoryKeyring
) -> None:
    setup = case_with_letter(store)
    settings = settings_for(starttls_server, security="starttls", username=USER)
    configure(store, replace(settings, cafile=""))

    result, _draft = _send_as_drafted(store, setup.letter.id)

    assert not result.sent
    assert "certificate could not be verified" in result.message
    assert starttls_server.recorder.envelopes == []
    assert not get_letter(store, setup.letter.id).sent


def test_failed_login_is_recorded_and_letter_stays_unsent(
    store: Store, auth_server: Server, memory_keyring: MemoryKeyring
) -> None:
    setup = case_with_letter(store)
    configure(store, settings_for(auth_server, username=USER))
    draft = letter_email(store, setup.letter.id)

    result = send_letter(
        store,
        setup.letter.id,
        to=draft.to,
        subject=draft.subject,
        body=draft.body,
        password="wrong",
    )

    assert not result.sent
    assert result.message == "535 5.7.8 Authentication credentials invalid"
    assert auth_server.recorder.envelopes == []
    letter = get_letter(store, setup.letter.id)
    assert not letter.sent and letter.emailed_at is None
    failed = [e for e in timeline(store, setup.case.id) if e.kind == EventKind.LETTER_EMAIL_FAILED]
    assert [e.details["error"] for e in failed] == [result.message]
    assert "535 5.7.8 Authentication credentials invalid" in failed[0].summary


def test_refused_connection_is_recorded_and_nothing_lost(store: Store) -> None:
    setup = case_with_letter(store)
    settings = configure(store, settings_for(None))
    draft = letter_email(store, setup.letter.id)

    result = send_letter(
        store, setup.letter.id, to=draft.to, subject=draft.subject, body=draft.body, password=None
    )

    assert not result.sent
    assert result.message == (
        f"Could not connect to 127.0.0.1:{settings.port}: the connection was refused."
    )
    assert not get_letter(store, setup.letter.id).sent
    kinds = [e.kind for e in timeline(store, setup.case.id)]
    assert kinds[-1] == EventKind.LETTER_EMAIL_FAILED
    # Nothing lost: the letter's bytes are intact and it can be sent again later.
    assert get_letter(store, setup.letter.id).sha256 == setup.letter.sha256


def test_invalid_recipient_refused_before_anything_happens(
    store: Store, plain_server: Server
) -> None:
    setup = case_with_letter(store)
    configure(store, settings_for(plain_server))
    before = timeline(store, setup.case.id)
    with pytest.raises(DomainError, match="not a valid email address"):
        send_letter(store, setup.letter.id, to="someone@", subject="x", body="y", password=None)
    with pytest.raises(DomainError, match="not a valid email address"):
        send_letter(
            store,
            setup.letter.id,
            to="a@example.org\r\nBcc: evil@example.org",
            subject="x",
            body="y",
            password=None,
        )
    assert timeline(store, setup.case.id) == before
    assert plain_server.recorder.envelopes == []


def test_subject_header_injection_stays_one_line(store: Store, plain_server: Server) -> None:
    setup = case_with_letter(store)
    configure(store, settings_for(plain_server))
    result = send_letter(
        store,
        setup.letter.id,
        to="a@example.org",
        subject="Hello\r\nBcc: evil@example.org",
        body="Body",
        password=None,
    )
    assert result.sent
    [(_, rcpts, _)] = plain_server.recorder.envelopes
    assert rcpts == ["a@example.org"]
    [message] = plain_server.recorder.messages()
    assert message["Bcc"] is None
    assert message["Subject"] == f"{setup.case.reference}: Hello Bcc: evil@example.org"


def test_missing_password_without_keyring_asks_for_it(
    store: Store, auth_server: Server, no_keyring: None
) -> None:
    setup = case_with_letter(store)
    configure(store, settings_for(auth_server, username=USER))
    with pytest.raises(DomainError, match="No password for the mail server"):
        send_letter(
            store, setup.letter.id, to="a@example.org", subject="s", body="b", password=None
        )
    result = send_letter(
        store, setup.letter.id, to="a@example.org", subject="s", body="b", password=PASSWORD
    )
    assert result.sent


def test_test_email_reports_success_and_server_error(
    auth_server: Server, memory_keyring: MemoryKeyring
) -> None:
    settings = settings_for(auth_server, username=USER)
    assert send_test_email(settings, PASSWORD).startswith("Test email sent to dpo@example.co.uk")
    [message] = auth_server.recorder.messages()
    assert message["Subject"] == "DSAR Desk test email"
    with pytest.raises(MailError, match=r"^535 5\.7\.8 Authentication credentials invalid$"):
        send_test_email(settings, "nope")


def test_non_ascii_recipient_uses_smtputf8(store: Store, plain_server: Server) -> None:
    setup = case_with_letter(store)
    configure(store, settings_for(plain_server))
    result = send_letter(
        store, setup.letter.id, to="zoë@exämple.org", subject="Brief", body="Grüße", password=None
    )
    assert result.sent, result.message
    [(_, rcpts, _)] = plain_server.recorder.envelopes
    assert rcpts == ["zoë@exämple.org"]
