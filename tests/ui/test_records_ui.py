"""File ▸ Verify records and Settings ▸ Verification key, as the DPO uses them: the check runs
off the UI thread and lists every break by case and event; the key dialog says where the key
is, exports it owner-only, and an imported key makes the records verifiable again."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app import cases
from app.integrity.keys import KeyStore
from app.store import Store, open_store
from tests.conftest import TODAY
from tests.integrity.conftest import Desk, make_desk
from tests.raw import outside
from ui.main_window import MainWindow
from ui.records import VerificationKeyDialog, VerifyResultDialog
from ui.signals import StoreSignals

SHOTS = Path(os.environ.get("DSAR_DESK_SHOTS", "/tmp/dsar-desk-shots"))


@pytest.fixture
def desk(store: Store) -> Desk:
    return make_desk(store)


def _window(qtbot, store: Store) -> MainWindow:  # type: ignore[no-untyped-def]
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "t", "w")
    window = MainWindow(store, StoreSignals(), settings, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    return window


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / name))


def test_verify_records_lists_every_break_by_case_and_event(qtbot, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    store = desk.store
    ann = cases.get_case(store, desk.ann)
    bob = cases.get_case(store, desk.bob)
    note = next(e for e in cases.timeline(store, desk.ann) if e.kind == "note")
    forged = b"%PDF-1.4 forged"
    with outside(store) as raw:
        raw.execute("UPDATE case_events SET summary = 'Nothing.' WHERE id = ?", (note.id,))
        raw.execute("UPDATE cases SET closed_on = '2026-10-01' WHERE id = ?", (desk.bob,))
        raw.execute(
            "UPDATE letters SET pdf = ?, sha256 = ? WHERE id = ?",
            (forged, hashlib.sha256(forged).hexdigest(), desk.letter_id),
        )
    window = _window(qtbot, store)
    assert window.action_verify_records in window.menu_file.actions()
    window.action_verify_records.trigger()
    op = window.records.last_op
    qtbot.waitUntil(lambda: not op.running, timeout=10_000)
    dialog = window.records.last_dialog
    assert isinstance(dialog, VerifyResultDialog)
    qtbot.waitUntil(dialog.isVisible)
    model = dialog.model
    rows = [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert [ann.reference, f"#{note.id}"] == rows[0][:2]
    assert any(r[0] == bob.reference and "closing date" in r[2] for r in rows)
    assert any(r[0] == ann.reference and "letter" in r[2] and r[1] for r in rows)
    assert "breaks found" in dialog.summary_label.text()
    _shot(dialog, "verify-records-breaks.png")


def test_an_untouched_store_says_all_verified(qtbot, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, desk.store)
    window.action_verify_records.trigger()
    qtbot.waitUntil(lambda: not window.records.last_op.running, timeout=10_000)
    dialog = window.records.last_dialog
    assert dialog.summary_label.text().startswith("All records verified")
    assert not dialog.table.isVisible()
    assert not window.records.note.isVisible()
    _shot(dialog, "verify-records-ok.png")


def test_the_key_dialog_exports_and_imports_the_key(qtbot, desk: Desk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = VerificationKeyDialog(desk.store)
    qtbot.addWidget(home)
    assert "owner-only file" in home.place_label.text()  # no secure keyring here
    assert "records can be verified" in home.status_label.text()
    exported = home.export_to(tmp_path / "key" / "dsar.key")
    assert exported is not None and exported.stat().st_mode & 0o777 == 0o600
    _shot(home, "verification-key.png")
    path = desk.store.path
    desk.store.close()

    # The same store on a computer without the key: it works and says so.
    laptop = open_store(path, keys=KeyStore(tmp_path / "laptop"))
    window = _window(qtbot, laptop)
    assert window.records.note.isVisible()
    assert "cannot be verified here" in window.records.note.text()
    dialog = window.records.open_key_dialog()
    assert "Records cannot be verified here" in dialog.status_label.text()
    assert not dialog.export_button.isEnabled()
    _shot(dialog, "verification-key-missing.png")
    assert dialog.import_from(exported)
    assert "records can be verified" in dialog.status_label.text()
    dialog.done(0)
    qtbot.waitUntil(lambda: not window.records.note.isVisible())


def test_verify_can_be_cancelled(qtbot, desk: Desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.integrity.verify as verify_module
    import ui.records as records_module

    gate = threading.Event()
    real = verify_module.verify_store

    def held(store: Store, progress):  # type: ignore[no-untyped-def]
        gate.wait(10)
        return real(store, progress)

    monkeypatch.setattr(verify_module, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(records_module, "verify_store", held)
    window = _window(qtbot, desk.store)
    op = window.records.verify()
    op.cancel()
    gate.set()
    qtbot.waitUntil(lambda: not op.running, timeout=10_000)
    assert window.records.last_dialog is None
    assert window.statusBar().currentMessage() == "Verify records stopped; nothing was changed."


def test_the_days_first_backup_also_checks_the_records(qtbot, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    store = desk.store
    with outside(store) as raw:
        raw.execute("UPDATE cases SET outcome = 'withdrawn' WHERE id = ?", (desk.bob,))
    window = _window(qtbot, store)
    window.backup_actions.dailyTaken.emit(store.path)
    qtbot.waitUntil(lambda: window.records.last_dialog is not None, timeout=10_000)
    box = window.records.last_dialog
    assert box.objectName() == "recordsAttentionBox"
    assert "Today's check of the records: 3 breaks found" in box.text()
    box.close()
