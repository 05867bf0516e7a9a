"""File → Back up now, Copy a backup to…, Restore from backup… in the window: off the UI
thread, a dialog naming the cause of a failure, what a backup holds shown before anything is
replaced, Cancel that leaves the store as it was (issue 9 point 2); damage or a vanished
store found later offers a restore (point 3)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton

from app import cases
from app.attachments import add_attachment
from app.backups import BackupSummary, back_up_now, list_backups
from tests.conftest import TODAY, write_lock_held
from tests.store.helpers import references_in
from ui.main import build_main_window
from ui.main_window import MainWindow

SHOTS = Path(os.environ.get("DSAR_SCREENSHOTS", "/nonexistent-screenshots-folder"))


@pytest.fixture
def window(qtbot, demo_store_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    built = build_main_window(demo_store_path, today=lambda: TODAY)
    qtbot.addWidget(built)
    built.show()
    yield built
    for op in built.backup_actions.running():
        op.cancel()
        qtbot.waitUntil(lambda op=op: not op.running, timeout=20_000)


def _box(window: MainWindow, name: str) -> QMessageBox:
    box = window.findChild(QMessageBox, name)
    assert box is not None and box.isVisible(), name
    return box


def test_the_file_menu_offers_the_backup_actions(window: MainWindow) -> None:
    names = [a.objectName() for a in window.menu_file.actions()]
    backup, copy, restore, quit_ = (
        names.index(n)
        for n in ("actionBackUpNow", "actionCopyBackup", "actionRestoreBackup", "actionQuit")
    )
    assert backup < copy < restore < quit_
    assert window.findChild(QAction, "actionRestoreBackup") is window.action_restore


def test_back_up_now(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.findChild(QAction, "actionBackUpNow").trigger()
    qtbot.waitUntil(lambda: "Backed up the store" in window.statusBar().currentMessage())
    [taken] = list_backups(window.store.path)
    assert "-manual" in taken.name
    assert references_in(taken) == references_in(window.store.path)


def test_a_failed_backup_names_its_cause_in_a_dialog(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    folder = window.store.path.parent / "backups"
    folder.write_text("a file where the folder should be")
    window.backup_actions.back_up_now()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "backupFailedBox") is not None)
    box = _box(window, "backupFailedBox")
    assert "is not a folder" in box.text() and str(folder) in box.text()
    box.close()


def test_copy_a_backup_to_a_usb_stick(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    usb = tmp_path / "USB #1"
    usb.mkdir()
    window.backup_actions._ask_folder = lambda: str(usb)  # type: ignore[method-assign]
    window.findChild(QAction, "actionCopyBackup").trigger()
    qtbot.waitUntil(lambda: "Backup copied to" in window.statusBar().currentMessage())
    [copy] = usb.iterdir()
    assert references_in(copy) == references_in(window.store.path)


def test_restore_shows_what_the_backup_holds_and_declined_replaces_nothing(
    qtbot, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    taken = back_up_now(window.store)
    before = references_in(window.store.path)
    cases.add_note(window.store, 1, "Written after the backup.")
    asked: list[BackupSummary] = []

    def answer(summary: BackupSummary) -> bool:
        asked.append(summary)
        return False

    window.backup_actions._ask_confirm = answer  # type: ignore[method-assign]
    op = window.restore_backup(taken)
    qtbot.waitUntil(lambda: bool(asked))
    [summary] = asked
    assert summary.cases == len(before)
    assert summary.newest_reference == before[-1]
    from ui.backup_actions import restore_question

    text = restore_question(summary)
    assert f"Cases: {len(before)}" in text and before[-1] in text and "Taken:" in text
    assert not op.running
    assert "Written after the backup." in [e.summary for e in cases.timeline(window.store, 1)]


def test_a_restore_blocked_by_a_lock_runs_off_the_ui_thread_and_can_be_cancelled(
    qtbot, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    add_attachment(window.store, 1, filename="big.bin", content=os.urandom(3_000_000), kind="other")
    taken = back_up_now(window.store)
    cases.add_note(window.store, 1, "Kept, because the restore is cancelled.")
    window.backup_actions._ask_confirm = lambda summary: True  # type: ignore[method-assign]
    with write_lock_held(window.store.path):  # another program holds the store
        window.restore_backup(taken)
        qtbot.waitUntil(
            lambda: (
                (d := window.findChild(QProgressDialog, "restoreProgressDialog")) is not None
                and d.isVisible()
            ),
            timeout=10_000,
        )
        # The window still answers while the restore waits for the lock.
        window.search_edit.setText("zzz")
        assert window.search_edit.text() == "zzz"
        dialog = window.findChild(QProgressDialog, "restoreProgressDialog")
        dialog.findChild(QPushButton).click()  # Cancel
        qtbot.waitUntil(lambda: "Restore cancelled" in window.statusBar().currentMessage())
    notes = [e.summary for e in cases.timeline(window.store, 1)]
    assert "Kept, because the restore is cancelled." in notes


def test_damage_found_while_working_offers_a_restore(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from app.store import CorruptStore

    # What Store.read/write do when SQLite says "malformed", from a worker thread or not.
    window.store._noticed(CorruptStore(window.store.path, "The store is damaged."))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "storeTroubleBox") is not None)
    box = _box(window, "storeTroubleBox")
    offer = box.findChild(QPushButton, "restoreFromTroubleButton")
    assert offer is not None
    chosen: list[bool] = []
    window.backup_actions._ask_backup_file = lambda: chosen.append(True) or ""  # type: ignore[method-assign]
    offer.click()
    assert chosen == [True]


def test_a_store_deleted_under_the_window_says_so_and_keeps_nothing_half_saved(
    qtbot, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    from app.store import StoreGone

    os.unlink(window.store.path)
    with pytest.raises(StoreGone):
        cases.add_note(window.store, 1, "Lost?")
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "storeTroubleBox") is not None)
    box = _box(window, "storeTroubleBox")
    assert "no longer where it was opened" in box.text()
    assert window.store_banner.isVisible()
    assert "no longer where it was opened" in window.store_banner.text()
    assert not window.store.path.exists()
    box.close()


def test_screenshot_of_the_restore_question(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    if not SHOTS.is_dir():
        pytest.skip("set DSAR_SCREENSHOTS to a folder to save screenshots")
    from app.backups import describe_backup
    from ui.backup_actions import restore_question

    summary = describe_backup(back_up_now(window.store))
    box = QMessageBox(window)
    box.setText(restore_question(summary))
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.show()
    qtbot.waitExposed(box)
    box.grab().save(str(SHOTS / "restore_question.png"))
    box.close()
