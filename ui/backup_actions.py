"""Backups in the window: File → Back up now, Copy a backup to…, Restore from backup…, the
daily backup at start, and damage or a vanished store said in a dialog that offers a restore.

Every copy runs off the UI thread behind a progress dialog with Cancel (ui.ops). A failure is
said in a dialog naming its cause (disk full, folder not writable), never only in the status
bar. A restore first shows what the backup holds (cases, newest case, when it was taken) and
replaces nothing until the DPO agrees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QPushButton

from app.backups import (
    BackupFailed,
    BackupSummary,
    back_up_now,
    backup_folder,
    copy_backup_to,
    daily_backup,
    describe_backup,
    restore_backup,
)
from app.formatting import uk_date, uk_timestamp
from app.store import CorruptStore, Store, StoreError, StoreGone
from ui.forms import show_error
from ui.ops import Op, run_in_background, run_with_progress
from ui.signals import StoreSignals

DAILY_BACKUP_OP = "dailyBackupOp"


class BackupActions(QObject):
    """Owns the backup actions of one main window."""

    troubleFound = Signal(object)  # a StoreError, delivered on the UI thread
    restored = Signal()  # the store's content was replaced by a backup
    dailyTaken = Signal(object)  # the day's first backup (a Path) was taken and checked

    def __init__(self, window: QMainWindow, store: Store, signals: StoreSignals) -> None:
        super().__init__(window)
        self.setObjectName("backupActions")
        self.window = window
        self.store = store
        self.signals = signals
        self.last_op: Op | None = None
        self._ops: list[Op] = []
        self.trouble_box: QMessageBox | None = None

        self.action_back_up_now = QAction("Back &up now", window)
        self.action_back_up_now.setObjectName("actionBackUpNow")
        self.action_back_up_now.setToolTip("Make a checked backup of the store now")
        self.action_back_up_now.triggered.connect(lambda: self.back_up_now())
        self.action_copy_backup = QAction("&Copy a backup to…", window)
        self.action_copy_backup.setObjectName("actionCopyBackup")
        self.action_copy_backup.setToolTip(
            "Save a fresh, checked backup of the store to another place, e.g. a USB stick"
        )
        self.action_copy_backup.triggered.connect(lambda: self.copy_backup_to())
        self.action_restore = QAction("Restore from &backup…", window)
        self.action_restore.setObjectName("actionRestoreBackup")
        self.action_restore.triggered.connect(self.choose_backup)
        if store.read_only:
            self.action_restore.setEnabled(False)
            self.action_restore.setToolTip("The store is open read-only: " + store.read_only_reason)

        # The store reports trouble on whatever thread found it; dialogs belong on this one.
        self.troubleFound.connect(self.show_trouble, Qt.ConnectionType.QueuedConnection)
        store.trouble_listeners.append(self.troubleFound.emit)

    # -- taking backups --------------------------------------------------------------------

    def daily(self) -> Op:
        """The first start of the day copies the store to backups/, off the UI thread."""
        store = self.store

        def done(taken: Path | None) -> None:
            if taken is not None:
                self._status(f"Backed up the store to {taken.parent}", 10_000)
                self.dailyTaken.emit(taken)

        def failed(error: Exception) -> None:
            reason = error.reason if isinstance(error, StoreError) else str(error)
            self._status(f"Today's backup of the store failed: {reason}")
            if isinstance(error, CorruptStore):
                self.show_trouble(error)
            else:
                self._failure_box("Today's backup failed", error)

        op = run_in_background(self, lambda: daily_backup(store), success=done, failure=failed)
        op.setObjectName(DAILY_BACKUP_OP)
        return self._track(op)

    def back_up_now(self) -> Op:
        store = self.store
        op = run_with_progress(
            self.window,
            "Backing up the store…",
            lambda progress: back_up_now(store, progress=progress),
            success=lambda taken: self._status(f"Backed up the store to {taken}", 20_000),
            failure=lambda error: self._failure_box("Backup failed", error),
            cancelled=lambda: self._status("Backup cancelled; nothing was written.", 10_000),
            object_name="backupProgressDialog",
        )
        return self._track(op)

    def copy_backup_to(self, folder: Path | None = None) -> Op | None:
        if folder is None:
            chosen = self._ask_folder()
            if not chosen:
                return None
            folder = Path(chosen)
        store = self.store
        target = Path(folder)
        op = run_with_progress(
            self.window,
            f"Copying a backup to {target}…",
            lambda progress: copy_backup_to(store, target, progress=progress),
            success=lambda taken: self._status(f"Backup copied to {taken}", 20_000),
            failure=lambda error: self._failure_box("Backup not copied", error),
            cancelled=lambda: self._status("Copy cancelled; nothing was left behind.", 10_000),
            object_name="backupProgressDialog",
        )
        return self._track(op)

    # -- restoring -------------------------------------------------------------------------

    def choose_backup(self) -> None:
        chosen = self._ask_backup_file()
        if chosen:
            self.restore(Path(chosen))

    def restore(self, backup: Path, *, confirm: bool = True) -> Op:
        """Read what `backup` holds, ask, then put it back (all off the UI thread)."""
        backup = Path(backup)

        def described(summary: BackupSummary) -> None:
            if confirm and not self._ask_confirm(summary):
                return
            self._run_restore(backup)

        op = run_in_background(
            self,
            lambda: describe_backup(backup, self.store.cipher),
            success=described,
            failure=lambda error: self._failure_box("Restore from backup", error),
        )
        return self._track(op)

    def _run_restore(self, backup: Path) -> None:
        store = self.store

        def restored(safety: Path) -> None:
            self.restored.emit()
            self.signals.cases_changed.emit()
            self._status(
                f"Restored {backup.name}. What was there before is kept as {safety.name}.",
                20_000,
            )

        op = run_with_progress(
            self.window,
            f"Restoring {backup.name}…",
            lambda progress: restore_backup(store, backup, progress=progress),
            success=restored,
            failure=lambda error: self._failure_box("Restore from backup", error),
            cancelled=lambda: self._status("Restore cancelled; the store is unchanged.", 10_000),
            object_name="restoreProgressDialog",
        )
        self._track(op)

    # -- trouble found anywhere ------------------------------------------------------------

    def show_trouble(self, error: StoreError) -> QMessageBox | None:
        """A damaged store offers a restore; a vanished one says what to do. Once at a time."""
        if self.trouble_box is not None and self.trouble_box.isVisible():
            return self.trouble_box
        box = QMessageBox(self.window)
        box.setObjectName("storeTroubleBox")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(str(error))
        if isinstance(error, StoreGone):
            box.setWindowTitle("The store file is gone")
            box.setAccessibleName("The store file is gone")
            box.setStandardButtons(QMessageBox.StandardButton.Close)
        else:
            box.setWindowTitle("The store needs attention")
            box.setAccessibleName("The store is damaged")
            restore = QPushButton("&Restore from backup…", box)  # owned by the box
            restore.setObjectName("restoreFromTroubleButton")
            restore.setAccessibleName("Restore from backup")
            box.addButton(restore, QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Close)
            restore.clicked.connect(self.choose_backup)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.trouble_box = box
        return box

    # -- telling ---------------------------------------------------------------------------

    def _failure_box(self, title: str, error: Exception) -> QMessageBox:
        if isinstance(error, CorruptStore | StoreGone):
            shown = self.show_trouble(error)
            if shown is not None:
                return shown
        text = error.reason if isinstance(error, BackupFailed) else str(error)
        return show_error(self.window, title, text, object_name="backupFailedBox")

    def running(self) -> list[Op]:
        """Copies still under way (the window waits for them before the process ends)."""
        return [op for op in self._ops if op.running]

    def _track(self, op: Op) -> Op:
        self._ops = [*(o for o in self._ops if o.running), op]
        self.last_op = op
        return op

    def _status(self, text: str, timeout: int = 0) -> None:
        self.window.statusBar().showMessage(text, timeout)

    # -- questions to the user (replaced in tests) -----------------------------------------

    def _ask_backup_file(self) -> str:
        folder = backup_folder(self.store.path)
        chosen, _ = QFileDialog.getOpenFileName(
            self.window,
            "Restore from backup",
            str(folder if folder.is_dir() else self.store.path.parent),
            "DSAR Desk stores (*.sqlite);;All files (*)",
        )
        return chosen

    def _ask_folder(self) -> str:
        return QFileDialog.getExistingDirectory(self.window, "Copy a backup to")

    def _ask_confirm(self, summary: BackupSummary) -> bool:
        box = QMessageBox(self.window)
        box.setObjectName("restoreConfirmBox")
        box.setAccessibleName("Restore from backup")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Restore from backup")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(restore_question(summary))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes


def restore_question(summary: BackupSummary) -> str:
    """What the DPO reads before anything is replaced."""
    newest = (
        f"{summary.newest_reference}, received {uk_date(summary.newest_received)}"
        if summary.newest_reference and summary.newest_received
        else "none"
    )
    return (
        f"Replace everything in this store with the backup “{summary.path.name}”?\n\n"
        f"Taken: {uk_timestamp(summary.taken_at)}\n"
        f"Cases: {summary.cases:,} ({summary.open_cases:,} open)\n"
        f"Newest case: {newest}\n\n"
        "Cases, timelines, letters and attachments go back to how they were then. What the "
        "store holds now is kept as a backup first, so this can be undone. References issued "
        "since are not issued again."
    )


def install(window: Any) -> BackupActions:
    """Add the backup actions to the window's File menu, before Quit."""
    actions = BackupActions(window, window.store, window.signals)
    menu = window.menu_file
    quit_action = getattr(window, "action_quit", None)
    before = quit_action if quit_action in menu.actions() else None
    for action in (actions.action_back_up_now, actions.action_copy_backup, actions.action_restore):
        if before is not None:
            menu.insertAction(before, action)
        else:
            menu.addAction(action)
    if before is not None:
        menu.insertSeparator(before)
    return actions
