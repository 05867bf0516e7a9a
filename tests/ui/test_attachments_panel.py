"""The Attachments tab on a real store: add by button and by drop, open read-only, delete
with a reason, and the offer to delete ID documents once identity is verified."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
)

from app.attachments import attachment_content, list_attachments
from app.cases import identity_received, log_request, request_identity, timeline
from app.domain import Channel, EventKind, RequestType
from app.readmodels import RequesterDetails
from app.settings import load_settings, save_settings
from app.store import Store, open_store
from tests.conftest import TODAY, write_lock_held
from tests.ui.conftest import drop_files, visible_error_box
from ui.attachments_panel import ID_DELETION_REASON, AttachmentsPanel
from ui.signals import StoreSignals

SHOTS = Path(os.environ.get("DSAR_SCREENSHOTS", "/nonexistent-screenshots-folder"))


@pytest.fixture
def signals() -> StoreSignals:
    return StoreSignals()


@pytest.fixture
def case_id(store: Store) -> int:
    case = log_request(
        store,
        RequesterDetails("Ann <b>Smith</b>", "ann@example.com"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 11, 2),
        identity_required=True,
        today=TODAY,
    )
    return case.id


def child(widget, kind, name):  # type: ignore[no-untyped-def]
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def _panel(qtbot, store: Store, case_id: int, signals: StoreSignals) -> AttachmentsPanel:  # type: ignore[no-untyped-def]
    panel = AttachmentsPanel(store, lambda: case_id, signals)
    qtbot.addWidget(panel)
    panel.open_files_externally = False
    panel.resize(720, 360)
    panel.show()
    return panel


def _file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


def _choose_kind(panel: AttachmentsPanel, kind: str) -> None:
    combo = child(panel, QComboBox, "attachmentKindCombo")
    combo.setCurrentIndex(combo.findData(kind))


def test_add_by_button_open_read_only_and_delete_with_reason(
    qtbot, store: Store, case_id: int, signals: StoreSignals, tmp_path: Path, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    panel = _panel(qtbot, store, case_id, signals)
    for name in (
        "attachmentsPanel",
        "addAttachmentButton",
        "deleteAttachmentButton",
        "openAttachmentButton",
        "attachmentKindCombo",
        "attachmentsView",
    ):
        assert panel.findChild(object, name) is not None or panel.objectName() == name
    letter = _file(tmp_path, "request letter.pdf", b"%PDF-1.4 pretend")
    panel._ask_files = lambda: [str(letter)]  # type: ignore[method-assign]
    changed: list[int] = []
    signals.case_changed.connect(changed.append)
    child(panel, QPushButton, "addAttachmentButton").click()

    [info] = list_attachments(store, case_id)
    assert (info.filename, info.kind, info.size) == ("request letter.pdf", "correspondence", 16)
    assert changed == [case_id]
    assert panel.model.rowCount() == 1
    qtmodeltester.check(panel.model)

    panel.select_row(0)
    assert child(panel, QPushButton, "openAttachmentButton").isEnabled()
    child(panel, QPushButton, "openAttachmentButton").click()
    opened = panel.last_opened
    assert opened is not None and opened.read_bytes() == b"%PDF-1.4 pretend"
    assert stat.S_IMODE(opened.stat().st_mode) == 0o400
    assert stat.S_IMODE(opened.parent.stat().st_mode) == 0o700

    panel._ask_reason = lambda title, prompt, default: "Sent to the wrong case"  # type: ignore[method-assign]
    child(panel, QPushButton, "deleteAttachmentButton").click()
    [info] = list_attachments(store, case_id)
    assert info.deleted
    last = timeline(store, case_id)[-1]
    assert last.kind == EventKind.ATTACHMENT_DELETED
    assert "Reason: Sent to the wrong case" in last.summary
    assert panel.model.rowCount() == 1  # still listed, on the record
    panel.select_row(0)
    assert not child(panel, QPushButton, "deleteAttachmentButton").isEnabled()
    qtmodeltester.check(panel.model)


def _drop(panel: AttachmentsPanel, paths: list[Path]) -> bool:
    return drop_files(panel, [QUrl.fromLocalFile(str(p)) for p in paths])


def test_drop_files_onto_the_panel(
    qtbot, store: Store, case_id: int, signals: StoreSignals, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    panel = _panel(qtbot, store, case_id, signals)
    _choose_kind(panel, "id_document")
    passport = _file(tmp_path, "passport.jpg", b"\xff\xd8\xff jpeg")
    bill = _file(tmp_path, "utility bill.png", b"\x89PNG bill")
    assert _drop(panel, [passport, bill])
    rows = list_attachments(store, case_id)
    assert [(a.filename, a.kind) for a in rows] == [
        ("passport.jpg", "id_document"),
        ("utility bill.png", "id_document"),
    ]
    assert attachment_content(store, rows[1].id) == b"\x89PNG bill"


def test_oversized_file_refused_with_the_limit(
    qtbot, store: Store, case_id: int, signals: StoreSignals, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    save_settings(store, replace(load_settings(store), attachment_limit_mb=1))
    panel = _panel(qtbot, store, case_id, signals)
    big = _file(tmp_path, "bundle.zip", b"\0" * (1024 * 1024 + 1))
    panel._ask_files = lambda: [str(big)]  # type: ignore[method-assign]
    child(panel, QPushButton, "addAttachmentButton").click()
    box = panel.findChild(QMessageBox, "domainErrorBox")
    assert box is not None
    assert box.text() == (
        "The file bundle.zip is 1.0 MB, over the limit of 1 MB for attachments. "
        "The limit can be changed in the settings."
    )
    assert list_attachments(store, case_id) == []
    box.close()


def test_offers_to_delete_id_documents_once_identity_is_verified(
    qtbot, store: Store, case_id: int, signals: StoreSignals, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    panel = _panel(qtbot, store, case_id, signals)
    _choose_kind(panel, "id_document")
    panel.add_path(_file(tmp_path, "passport.jpg", b"\xff\xd8\xff jpeg"))
    _choose_kind(panel, "correspondence")
    panel.add_path(_file(tmp_path, "letter.txt", b"please send my data"))
    offer = child(panel, QPushButton, "deleteIdDocumentsButton")
    assert not offer.isVisible()  # identity not verified yet

    request_identity(store, case_id, on=date(2026, 11, 3), today=TODAY)
    identity_received(store, case_id, on=date(2026, 11, 10), today=TODAY)
    signals.case_changed.emit(case_id)
    assert offer.isVisible()
    label = child(panel, QLabel, "idDocumentsLabel")
    assert label.text().startswith("Identity is verified. The ID document kept with this case")
    if SHOTS.is_dir():
        panel.grab().save(str(SHOTS / "attachments-panel-id-offer.png"))

    asked: list[str] = []

    def answer(title: str, prompt: str, default: str) -> str:
        asked.append(default)
        return default

    panel._ask_reason = answer  # type: ignore[method-assign]
    offer.click()
    assert asked == [ID_DELETION_REASON]
    rows = list_attachments(store, case_id)
    assert [(a.filename, a.deleted) for a in rows] == [
        ("passport.jpg", True),
        ("letter.txt", False),
    ]
    last = timeline(store, case_id)[-1]
    assert last.kind == EventKind.ATTACHMENT_DELETED
    assert last.details["reason"] == ID_DELETION_REASON
    assert not offer.isVisible()
    if SHOTS.is_dir():
        panel.layout().activate()
        panel.grab().save(str(SHOTS / "attachments-panel-after.png"))


def test_cancelled_delete_changes_nothing(
    qtbot, store: Store, case_id: int, signals: StoreSignals, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    panel = _panel(qtbot, store, case_id, signals)
    panel.add_path(_file(tmp_path, "a.txt", b"a"))
    panel.select_row(0)
    panel._ask_reason = lambda title, prompt, default: None  # type: ignore[method-assign]
    before = timeline(store, case_id)
    child(panel, QPushButton, "deleteAttachmentButton").click()
    assert not list_attachments(store, case_id)[0].deleted
    assert timeline(store, case_id) == before


def test_id_document_deleted_before_verification_does_not_claim_identity_verified(
    qtbot, store: Store, case_id: int, signals: StoreSignals, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    panel = _panel(qtbot, store, case_id, signals)
    _choose_kind(panel, "id_document")
    panel.add_path(_file(tmp_path, "wrong-passport.jpg", b"\xff\xd8\xff jpeg"))
    panel.select_row(0)
    asked: list[str] = []

    def answer(title: str, prompt: str, default: str) -> str | None:
        asked.append(default)
        return None

    panel._ask_reason = answer  # type: ignore[method-assign]
    child(panel, QPushButton, "deleteAttachmentButton").click()
    assert asked == [""]  # identity is not verified: no ready-made reason saying it is


def test_reason_dialog_is_named_and_wraps_a_long_file_name(
    qtbot, store: Store, case_id: int, signals: StoreSignals
) -> None:  # type: ignore[no-untyped-def]
    panel = _panel(qtbot, store, case_id, signals)
    name = "Passport scan " + "of a very long file name " * 8 + ".pdf"
    dialog = panel.reason_dialog("Delete attachment", f"Delete {name}?\n\nReason:", "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.objectName() == "deleteReasonDialog" and dialog.accessibleName()
    edit = dialog.findChild(QLineEdit, "deleteReasonEdit")
    assert edit is not None and edit.accessibleName()
    assert dialog.width() < 800  # the prompt wraps; it used to be as wide as the name
    dialog.reject()


def test_tab_leaves_the_attachments_table(
    qtbot, store: Store, case_id: int, signals: StoreSignals, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Keyboard users are not trapped: Tab used to cycle through the table's cells."""
    panel = _panel(qtbot, store, case_id, signals)
    panel.add_path(_file(tmp_path, "a.txt", b"a"))
    panel.add_path(_file(tmp_path, "b.txt", b"b"))
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.view.setFocus()
    panel.select_row(0)
    qtbot.keyClick(panel.view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not panel.view


def test_open_with_no_program_for_the_file_says_so(
    qtbot, store: Store, case_id: int, signals: StoreSignals, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    panel = _panel(qtbot, store, case_id, signals)
    panel.add_path(_file(tmp_path, "scan.xyz", b"data"))
    panel.select_row(0)
    panel.open_files_externally = True
    monkeypatch.setattr(
        "ui.attachments_panel.QDesktopServices.openUrl", lambda url: False
    )  # no program for this kind of file
    child(panel, QPushButton, "openAttachmentButton").click()
    box = visible_error_box()
    assert "No program on this computer is set up to open scan.xyz" in box.text()
    assert str(panel.last_opened) in box.text()
    box.close()


def test_a_locked_store_is_said_plainly_and_nothing_is_kept(
    qtbot, store_path: Path, store: Store, case_id: int, signals: StoreSignals, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    impatient = open_store(store_path, busy_timeout_ms=100)
    panel = _panel(qtbot, impatient, case_id, signals)
    try:
        with write_lock_held(store_path):  # another program holds the write lock
            assert not panel.add_path(_file(tmp_path, "a.txt", b"a"))
            box = visible_error_box()
            assert "locked by another program" in box.text()
            box.close()
    finally:
        impatient.close()
    assert list_attachments(store, case_id) == []
