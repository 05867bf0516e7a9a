"""File ▸ Encrypt the store and the passphrase asked at start (issue 9 point 8), driven like a
user: a real window on a real store file, the dialog typed into and clicked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton

from app.backups import list_backups
from app.encrypt_store import encrypt_store
from app.integrity.keys import KeyStore
from app.store import open_store
from app.store_cipher import file_salt
from tests.retention.test_erasure import traces
from tests.store.helpers import add_case
from ui.main import launch
from ui.single_instance import lock_path

PASSPHRASE = "a long passphrase for the desk"


def _dialog() -> QDialog | None:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "passphraseDialog" and widget.isVisible():
            return widget  # type: ignore[return-value]
    return None


def _type_and_ok(dialog: QDialog, passphrase: str, repeat: str | None = None) -> None:
    dialog.findChild(QLineEdit, "passphraseEdit").setText(passphrase)
    dialog.findChild(QLineEdit, "passphraseRepeatEdit").setText(
        passphrase if repeat is None else repeat
    )
    dialog.findChild(QPushButton, "passphraseOkButton").click()


def _when_dialog(then: Callable[[QDialog], None]) -> None:
    def look() -> None:
        dialog = _dialog()
        if dialog is None:
            QTimer.singleShot(20, look)
        else:
            then(dialog)

    QTimer.singleShot(0, look)


def test_encrypting_from_the_file_menu_reopens_the_same_cases_encrypted(
    qtbot, store_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store = open_store(store_path)
    reference = add_case(store, "Zoë Adeyemi")
    store.close()
    started = launch(["--store", str(store_path)])
    assert not isinstance(started, int)
    window = started[0]
    qtbot.waitUntil(lambda: bool(list_backups(store_path)) and not window.backup_actions.running())
    assert window.action_encrypt_store.isEnabled()
    names = [action.objectName() for action in window.menu_file.actions()]
    assert names.index("actionEncryptStore") == names.index("actionRestoreBackup") + 1

    dialog = window.store_encryption.ask()
    _type_and_ok(dialog, "too short")  # refused in the dialog; nothing happens
    error = dialog.findChild(QLabel, "passphraseError")
    assert dialog.isVisible() and "at least 12" in error.text()
    _type_and_ok(dialog, PASSPHRASE, "a different passphrase!")
    assert dialog.isVisible() and "differ" in error.text()
    assert window.store.cipher is None  # nothing happened
    _type_and_ok(dialog, PASSPHRASE)

    encryption = window.store_encryption
    qtbot.waitUntil(lambda: encryption.reopened is not None, timeout=60_000)
    new = encryption.reopened
    qtbot.addWidget(new)
    assert new.isVisible() and new.store.cipher is not None
    assert new.model.rowCount() == 1 and new.model.index(0, 0).data() == reference
    assert not new.action_encrypt_store.isEnabled()
    assert all(file_salt(b) == new.store.cipher.salt for b in list_backups(store_path))
    # Read by another process: a plain handle here would drop this process's locks on it.
    files = [store_path, Path(f"{store_path}-wal")]
    assert traces(files, {"name": "Zoë Adeyemi".encode(), "header": b"SQLite format 3"}) == []
    # This process still holds the store: a second desk on it would open read-only.
    assert getattr(new, "store_claim", None) is not None
    assert not QLockFile(str(lock_path(store_path))).tryLock(0)


def test_a_store_whose_key_is_not_here_asks_for_its_passphrase(
    qtbot, store_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store = open_store(store_path)
    reference = add_case(store)
    store.close()
    encrypt_store(store_path, PASSPHRASE, KeyStore(tmp_path / "elsewhere", use_keyring=False))
    seen: list[str] = []

    def wrong_then_right(dialog: QDialog) -> None:
        _type_and_ok(dialog, "this is not the passphrase")
        seen.append(dialog.findChild(QLabel, "passphraseError").text())
        _type_and_ok(dialog, PASSPHRASE)

    _when_dialog(wrong_then_right)
    started = launch(["--store", str(store_path)])
    assert not isinstance(started, int)
    window = started[0]
    qtbot.addWidget(window)
    assert seen and "does not open this store" in seen[0]
    assert window.store.cipher is not None
    assert window.model.index(0, 0).data() == reference


def test_cancelling_the_passphrase_opens_nothing(
    qapp, store_path: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    store = open_store(store_path)
    add_case(store)
    store.close()
    encrypt_store(store_path, PASSPHRASE, KeyStore(tmp_path / "elsewhere", use_keyring=False))
    before = store_path.read_bytes()
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: said.append(text))
    _when_dialog(lambda dialog: dialog.findChild(QPushButton, "passphraseCancelButton").click())
    assert launch(["--store", str(store_path)]) == 1
    assert said and "encrypted" in said[0] and str(store_path) in said[0]
    assert store_path.read_bytes() == before


def test_a_store_held_by_another_program_is_not_encrypted_and_reopens_as_it_was(
    qtbot, store_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store = open_store(store_path)
    reference = add_case(store)
    store.close()
    holder = subprocess.Popen(  # another program reading the store, holding it open
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN'); c.execute('SELECT count(*) FROM cases').fetchone()\n"
            "print('holding', flush=True); time.sleep(120)\n",
            str(store_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        started = launch(["--store", str(store_path)])
        assert not isinstance(started, int)
        window = started[0]
        qtbot.waitUntil(lambda: not window.backup_actions.running())
        encryption = window.store_encryption
        _type_and_ok(encryption.ask(), PASSPHRASE)
        qtbot.waitUntil(lambda: encryption.reopened is not None, timeout=60_000)
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    new = encryption.reopened
    qtbot.addWidget(new)
    box = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "encryptFailedBox")
    assert "open in another program" in box.text() and "as it was" in box.text()
    assert new.store.cipher is None
    assert new.model.index(0, 0).data() == reference
    assert new.action_encrypt_store.isEnabled()
    box.close()
