"""Encryption at rest in the window (issue 9 point 8): File ▸ Encrypt the store…, and the
recovery passphrase asked for when an encrypted store's key is not on this computer.

Encrypting replaces the store file, so it is done with the store closed: the window closes
(saving its layout and closing the store), the store and its backups are encrypted off the
UI thread behind a progress dialog, and a new window opens on the same file, keeping this
process's claim on it. A failure leaves every file as it was and reopens the store as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.encrypt_store import encrypt_store, unlock_store
from app.store import Store, StoreError
from app.store_cipher import MIN_PASSPHRASE, PassphraseRefused, check_passphrase
from ui.backup_actions import BackupActions
from ui.forms import name_widget, plain_label, show_error
from ui.ops import Op, run_in_background

ERROR_STYLE = "color: #a00000;"
# The windows this module opened in place of a closed one: kept alive until the process ends.
_REOPENED: list[QMainWindow] = []


def reopened_windows() -> list[QMainWindow]:
    """Windows opened after an encryption, still alive (main() closes them at exit)."""
    import shiboken6

    return [w for w in _REOPENED if shiboken6.isValid(w)]


class PassphraseDialog(QDialog):
    """Asks for a store's recovery passphrase: once to open (`choose=False`), or twice to
    set it when encrypting. `accept` runs `submit(passphrase)`; a refusal stays in the dialog,
    said under the fields, and nothing typed is lost."""

    def __init__(
        self,
        parent: QWidget | None,
        path: Path,
        submit: Callable[[str], object],
        *,
        choose: bool,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self._submit = submit
        self._choose = choose
        title = "Encrypt the store" if choose else "Open an encrypted store"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        intro = (
            "Choose a recovery passphrase. The store and its backups will be encrypted (the "
            "window closes and reopens). This computer keeps the key (in its keyring where "
            "it has one), so you are not asked each day. On another "
            "computer, or if the keyring is lost, only this passphrase opens the store or a "
            "backup: write it down and keep it somewhere safe. Nobody can recover it for you."
            if choose
            else "This store is encrypted, and this computer does not hold its key. Type the "
            "store's recovery passphrase."
        )
        self.intro = plain_label(intro, "passphraseIntro")
        self.intro.setAccessibleName("What the passphrase is for")
        self.file_label = plain_label(str(path), "passphraseStoreFile")
        self.file_label.setAccessibleName("Store file")
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        name_widget(self.passphrase_edit, "passphraseEdit", "Recovery passphrase")
        self.repeat_edit = QLineEdit(self)  # asked only when choosing a passphrase
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        name_widget(self.repeat_edit, "passphraseRepeatEdit", "Recovery passphrase again")
        self.error_label = QLabel()
        self.error_label.setObjectName("passphraseError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        form = QFormLayout()
        form.addRow("Store:", self.file_label)
        form.addRow("&Passphrase:", self.passphrase_edit)
        if choose:
            self.passphrase_edit.setPlaceholderText(f"at least {MIN_PASSPHRASE} characters")
            form.addRow("&Again:", self.repeat_edit)
        else:
            self.repeat_edit.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Encrypt" if choose else "&Open")
        name_widget(ok, "passphraseOkButton", ok.text().replace("&", ""))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        name_widget(cancel, "passphraseCancelButton", "Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def accept(self) -> None:
        passphrase = self.passphrase_edit.text()
        try:
            if self._choose:
                check_passphrase(passphrase)
                if passphrase != self.repeat_edit.text():
                    raise PassphraseRefused("The two passphrases differ; type them again.")
            self._submit(passphrase)
        except (PassphraseRefused, StoreError) as refused:
            self.error_label.setText(str(refused))
            self.error_label.show()
            self.passphrase_edit.setFocus()
            return
        super().accept()


def ask_to_unlock(path: Path, parent: QWidget | None = None) -> bool:
    """The key of the encrypted store at `path` is not here: ask for its passphrase until it
    opens the store (True) or the DPO cancels (False)."""
    dialog = PassphraseDialog(
        parent, path, lambda passphrase: unlock_store(path, passphrase), choose=False
    )
    return dialog.exec() == QDialog.DialogCode.Accepted


class _Window(Protocol):
    store: Store
    menu_file: QMenu
    backup_actions: BackupActions

    def close(self) -> bool: ...


# SQLCipher encrypts a store file on this computer; a team server's store is no such file.
ON_SERVER = (
    "A team server's store is not a file on this computer: it is protected by the server "
    "(its disk encryption, TLS and the members' roles), which whoever looks after it sets up."
)


class StoreEncryption(QObject):
    """File ▸ Encrypt the store…, for one main window."""

    def __init__(self, window: _Window, reopen: Callable[[Path], QMainWindow]) -> None:
        super().__init__(window)  # type: ignore[arg-type]
        self.setObjectName("storeEncryption")
        self.window = window
        self._reopen = reopen
        self.op: Op | None = None
        self.reopened: QMainWindow | None = None
        store = window.store
        widget: QWidget = window  # type: ignore[assignment]
        self.action = QAction("&Encrypt the store…", widget)
        self.action.setObjectName("actionEncryptStore")
        if store.on_server:
            self.action.setEnabled(False)
            self.action.setToolTip(ON_SERVER)
            self.action.setStatusTip(ON_SERVER)
        elif store.cipher is not None:
            self.action.setEnabled(False)
            self.action.setToolTip("The store and its backups are encrypted already")
        elif store.read_only:
            self.action.setEnabled(False)
            self.action.setToolTip("The store is open read-only: " + store.read_only_reason)
        else:
            self.action.setToolTip("Encrypt the store and its backups under a passphrase")
        self.action.triggered.connect(lambda: self.ask())

    def ask(self) -> PassphraseDialog | None:
        if self.window.backup_actions.running():
            show_error(
                self.window,  # type: ignore[arg-type]
                "Encrypt the store",
                "A backup is being copied; try again when it has finished.",
            )
            return None
        dialog = PassphraseDialog(
            self.window,  # type: ignore[arg-type]
            self.window.store.path,
            self.encrypt,
            choose=True,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def encrypt(self, passphrase: str) -> Op:
        """Close the window, encrypt off the UI thread, open a new window on the store."""
        window = self.window
        path = window.store.path
        claim = getattr(window, "store_claim", None)
        app = QApplication.instance()
        quit_on_close = app.quitOnLastWindowClosed()  # type: ignore[union-attr]
        app.setQuitOnLastWindowClosed(False)  # type: ignore[union-attr]
        if claim is not None:
            window.removeEventFilter(claim)  # type: ignore[attr-defined]  # keep the claim
        tray = getattr(getattr(window, "insight", None), "tray", None)
        if tray is not None:  # a real close, not a hide to the tray
            tray.quitting = True
            tray.timer.stop()
            tray.icon.hide()
        window.close()
        progress = QMessageBox(QMessageBox.Icon.Information, "DSAR Desk", "")
        progress.setObjectName("encryptingBox")
        progress.setAccessibleName("Encrypting the store")
        progress.setText(f"Encrypting the store and its backups…\n{path}")
        progress.setStandardButtons(QMessageBox.StandardButton.NoButton)
        progress.show()

        def reopen(done: str) -> None:
            progress.hide()
            progress.deleteLater()
            try:
                new = self._reopen(path)
            except StoreError as error:
                if claim is not None:
                    claim.release()
                app.setQuitOnLastWindowClosed(quit_on_close)  # type: ignore[union-attr]
                QMessageBox.critical(None, "DSAR Desk cannot open the store", str(error))
                QApplication.quit()
                return
            if claim is not None:
                claim.setParent(new)
                claim.watch_window(new)
                new.store_claim = claim  # type: ignore[attr-defined]
            _REOPENED.append(new)
            new.show()
            window.deleteLater()  # type: ignore[attr-defined]  # its timers must not outlive it
            app.setQuitOnLastWindowClosed(quit_on_close)  # type: ignore[union-attr]
            new.statusBar().showMessage(done, 30_000)
            if done.startswith("Not encrypted"):
                show_error(new, "Encrypt the store", done, object_name="encryptFailedBox")
            self.reopened = new

        def failed(error: Exception) -> None:
            reason = error.reason if isinstance(error, StoreError) else str(error)
            reopen(f"Not encrypted: {reason} Every file is as it was.")

        self.op = run_in_background(
            self,
            lambda: _encrypt(path, passphrase),
            success=reopen,
            failure=failed,
        )
        return self.op


def _encrypt(path: Path, passphrase: str) -> str:
    encrypt_store(path, passphrase)
    return "The store and its backups are encrypted. Keep the recovery passphrase safe."


def install(window: _Window, reopen: Callable[[Path], QMainWindow]) -> StoreEncryption:
    encryption = StoreEncryption(window, reopen)
    # With the other things done to the store file as a whole: after Restore from backup….
    actions = window.menu_file.actions()
    names = [action.objectName() for action in actions]
    at = names.index("actionRestoreBackup") + 1 if "actionRestoreBackup" in names else len(names)
    if at < len(actions):
        window.menu_file.insertAction(actions[at], encryption.action)
    else:
        window.menu_file.addAction(encryption.action)
    window.store_encryption = encryption  # type: ignore[attr-defined]
    window.action_encrypt_store = encryption.action  # type: ignore[attr-defined]
    return encryption
