"""A kept bundle leaves the desk like a letter: emailed through a real SMTP server (aiosmtpd
on 127.0.0.1), saved as an email draft, or refused for email when it is too large; each on
the case's timeline."""

from __future__ import annotations

import hashlib
import io
import os
from email import message_from_bytes, policy
from pathlib import Path

import pypdf
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app import cases
from app.disclosure import add_item, build_bundle, get_output, list_outputs, mark_reviewed
from app.disclosure.delivery import output_outgoing, save_output_draft, send_output
from app.domain import DomainError, EventKind
from app.readmodels import CaseDetail
from app.settings import set_value
from app.store import Store
from tests.conftest import TODAY
from tests.disclosure.samples import letter_pdf
from tests.mail import conftest as mail
from ui.disclosure_tab import DisclosureTab
from ui.send_mail_dialog import SendMailDialog
from ui.signals import StoreSignals

plain_server = mail.plain_server  # a real aiosmtpd server on 127.0.0.1
PASSWORD = "correct horse battery"


def built(store: Store, case_id: int, *, password: str | None = None) -> tuple[int, bytes]:
    add_item(store, case_id, filename="notes.pdf", content=letter_pdf(2), source="Mailbox")
    mark_reviewed(store, case_id)
    pdf = build_bundle(store, case_id, password=password)
    return list_outputs(store, case_id)[0].id, pdf


def test_a_bundle_is_emailed_as_built_and_on_the_record(
    store: Store, case: CaseDetail, plain_server: mail.Server
) -> None:
    bundle_id, pdf = built(store, case.id, password=PASSWORD)
    mail.configure(store, mail.settings_for(plain_server))
    outgoing = output_outgoing(store, bundle_id)
    assert outgoing.to == "zoe@example.org" and outgoing.too_large is None
    assert "password" in outgoing.body and "not by email" in outgoing.body
    assert PASSWORD not in outgoing.body

    result = send_output(
        store,
        bundle_id,
        to=outgoing.to,
        subject=outgoing.subject,
        body=outgoing.body,
        password=None,
    )
    assert result.sent
    [(sender, recipients, raw)] = plain_server.recorder.envelopes
    assert (sender, recipients) == ("dpo@example.co.uk", ["zoe@example.org"])
    assert PASSWORD.encode() not in raw  # the password never travels with the bundle
    message = message_from_bytes(raw, policy=policy.default)
    assert case.reference in str(message["Subject"])
    [attachment] = list(message.iter_attachments())  # type: ignore[attr-defined]
    assert attachment.get_filename() == f"{case.reference}-disclosure-bundle-v1.pdf"
    sent = attachment.get_content()
    assert sent == pdf  # byte for byte the kept bundle: the SHA-256 on the timeline holds
    assert hashlib.sha256(sent).hexdigest() == get_output(store, bundle_id).sha256
    reader = pypdf.PdfReader(io.BytesIO(sent))
    assert reader.is_encrypted and reader.decrypt(PASSWORD)

    info = get_output(store, bundle_id)
    assert info.emailed_to == "zoe@example.org" and info.emailed_at is not None
    event = cases.timeline(store, case.id)[-1]
    assert event.kind == EventKind.BUNDLE_EMAILED
    assert event.details["message_id"] == str(message["Message-ID"])
    assert "Version 1 was already emailed" in (output_outgoing(store, bundle_id).sent_note or "")


def test_a_refused_connection_is_recorded_as_a_failed_email(store: Store, case: CaseDetail) -> None:
    bundle_id, _ = built(store, case.id)
    mail.configure(store, mail.settings_for(None))  # nobody listens on that port
    result = send_output(
        store, bundle_id, to="zoe@example.org", subject="Your data", body="Here.", password=None
    )
    assert not result.sent and result.message
    assert get_output(store, bundle_id).emailed_at is None
    event = cases.timeline(store, case.id)[-1]
    assert event.kind == EventKind.BUNDLE_EMAIL_FAILED and "zoe@example.org" in event.summary


def test_a_draft_holds_the_bundle_and_a_bad_address_is_refused(
    store: Store, case: CaseDetail, tmp_path: Path, plain_server: mail.Server
) -> None:
    bundle_id, pdf = built(store, case.id)
    mail.configure(store, mail.settings_for(plain_server))
    path = save_output_draft(
        store, bundle_id, tmp_path / "bundle-draft", to="zoe@example.org", subject="S", body="B"
    )
    assert path.name == "bundle-draft.eml" and oct(path.stat().st_mode & 0o777) == "0o600"
    draft = message_from_bytes(path.read_bytes(), policy=policy.default)
    [attachment] = list(draft.iter_attachments())  # type: ignore[attr-defined]
    assert attachment.get_content() == pdf
    assert cases.timeline(store, case.id)[-1].kind == EventKind.BUNDLE_SAVED
    before = cases.timeline(store, case.id)
    with pytest.raises(DomainError, match="Recipient"):
        send_output(store, bundle_id, to="zoe@", subject="S", body="B", password=None)
    assert plain_server.recorder.envelopes == []
    assert cases.timeline(store, case.id) == before


def test_a_bundle_over_the_limit_is_never_sent(
    store: Store, case: CaseDetail, plain_server: mail.Server
) -> None:
    noise = Image.frombytes("RGB", (900, 900), os.urandom(900 * 900 * 3))  # does not compress
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    add_item(store, case.id, filename="photo.png", content=buffer.getvalue())
    bundle_id, pdf = built(store, case.id)
    assert len(pdf) > 2 * 1024 * 1024
    mail.configure(store, mail.settings_for(plain_server))
    assert output_outgoing(store, bundle_id).too_large is None  # 20 MB unless set
    set_value(store, "mail.max_message_mb", 1)
    why = output_outgoing(store, bundle_id).too_large
    assert why is not None and "over the 1 MB" in why and "Save it instead" in why
    before = cases.timeline(store, case.id)
    with pytest.raises(DomainError, match="over the 1 MB"):
        send_output(store, bundle_id, to="zoe@example.org", subject="S", body="B", password=None)
    assert plain_server.recorder.envelopes == []
    assert cases.timeline(store, case.id) == before


def test_the_email_button_sends_the_selected_bundle(
    qtbot, store: Store, case: CaseDetail, plain_server: mail.Server
) -> None:  # type: ignore[no-untyped-def]
    _, pdf = built(store, case.id)
    mail.configure(store, mail.settings_for(plain_server))
    tab = DisclosureTab(store, case.id, StoreSignals(), today=lambda: TODAY)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    tab.bundle.view.selectRow(0)
    assert tab.findChild(QPushButton, "emailBundleButton").isEnabled()
    qtbot.mouseClick(tab.findChild(QPushButton, "emailBundleButton"), Qt.MouseButton.LeftButton)
    dialog = tab.bundle.findChild(SendMailDialog, "sendMailDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.open_saved_drafts = False
    with qtbot.waitSignal(dialog.sendFinished, timeout=20_000) as blocker:
        qtbot.mouseClick(dialog.findChild(QPushButton, "sendMailButton"), Qt.MouseButton.LeftButton)
    assert blocker.args[0].sent
    [message] = plain_server.recorder.messages()
    [attachment] = list(message.iter_attachments())  # type: ignore[attr-defined]
    assert attachment.get_content() == pdf
    qtbot.waitUntil(lambda: tab.bundle.model.row(0).emailed_to == "zoe@example.org")
    dialog.close()
