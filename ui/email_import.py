"""Email into the main window: File ▸ Import email…, dropping .eml/.msg files on the window,
and Settings ▸ Mail settings….

The file is read and parsed off the UI thread (a big email must not freeze the window);
then the intake dialog opens pre-filled through `window.open_intake(draft)`, which keeps
the original with the case on OK.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt
from PySide6.QtGui import QAction, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from app.attachments import safe_filename
from app.domain import DomainError
from app.email_intake import read_email
from app.private_files import FileTooLarge, read_user_file
from app.readmodels import IntakeDraft
from app.store import Store
from ui.forms import show_error
from ui.ops import Op, Reporter, run_with_progress
from ui.signals import StoreSignals

EMAIL_SUFFIXES = (".eml", ".msg")
MAX_EMAIL_FILE_MB = 200


class _Window(Protocol):
    """What this module needs from the main window."""

    store: Store
    signals: StoreSignals
    menu_file: QMenu
    menu_settings: QMenu

    def open_intake(self, draft: IntakeDraft | None = None) -> int | None: ...


def email_paths(mime: QMimeData) -> list[Path]:
    """The local .eml/.msg files in a drag, in order."""
    if not mime.hasUrls():
        return []
    return [
        Path(url.toLocalFile())
        for url in mime.urls()
        if url.isLocalFile() and url.toLocalFile().lower().endswith(EMAIL_SUFFIXES)
    ]


def _read(path: Path, progress: Reporter | None = None) -> IntakeDraft:
    """Worker side: read the file and parse it. No widgets here. The open store itself is
    refused before it is touched (a plain read would drop this process's SQLite locks)."""
    name = safe_filename(path.name)
    try:
        data = read_user_file(path, max_bytes=MAX_EMAIL_FILE_MB * 1024 * 1024, name=name)
    except FileTooLarge as exc:
        raise DomainError(
            f"{name} is {exc.size / (1024 * 1024):.0f} MB; emails over {MAX_EMAIL_FILE_MB} MB "
            "cannot be imported. Log the request by hand and keep the file elsewhere."
        ) from exc
    return read_email(data, path.name, progress)


class EmailImporter(QObject):
    """Owns the actions and the drop handling for one main window."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("emailImporter")
        self.window = window
        self.last_op: Op | None = None

    # -- importing -------------------------------------------------------------------------

    def choose_and_import(self) -> None:
        path = self._ask_path()
        if path:
            self.import_file(Path(path))

    def _ask_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import email", "", "Emails (*.eml *.msg);;All files (*)"
        )
        return path

    def import_file(self, path: Path) -> Op:
        """Read `path` in the background, then open the pre-filled intake dialog."""
        self.last_op = run_with_progress(
            self.window,
            f"Reading {safe_filename(path.name)}…",
            lambda progress: _read(path, progress),
            success=self._opened,
            failure=self._failed,
            cancelled=lambda: None,  # nothing was opened or kept
            object_name="emailImportProgressDialog",
        )
        return self.last_op

    def _opened(self, draft: IntakeDraft) -> None:
        self.window.open_intake(draft)  # type: ignore[attr-defined]

    def _failed(self, exc: Exception) -> None:
        text = str(exc) if isinstance(exc, DomainError) else f"The email could not be read: {exc}"
        show_error(self.window, "Email not imported", text)

    # -- drag and drop onto the window -----------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if email_paths(event.mimeData()):  # type: ignore[attr-defined]
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        elif kind == QEvent.Type.Drop:
            return self.drop(event)  # type: ignore[arg-type]
        return super().eventFilter(watched, event)

    def drop(self, event: QDropEvent) -> bool:
        paths = email_paths(event.mimeData())
        if not paths:
            return False
        event.acceptProposedAction()
        self.import_file(paths[0])  # one intake at a time; the dialog is modal
        if len(paths) > 1:
            show_error(
                self.window,
                "One email at a time",
                f"Only {safe_filename(paths[0].name)} was imported; drop the others one by one.",
            )
        return True

    # -- settings --------------------------------------------------------------------------

    def open_mail_settings(self) -> None:
        from ui.mail_settings_dialog import MailSettingsDialog  # loaded on first use

        window = self.window
        dialog = MailSettingsDialog(window.store, window.signals, window)  # type: ignore[attr-defined]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


def install(window: _Window) -> EmailImporter:
    """Add the email actions and drop handling to the main window."""
    widget: QWidget = window  # type: ignore[assignment]
    importer = EmailImporter(widget)

    action_import = QAction("&Import email…", widget)
    action_import.setObjectName("actionImportEmail")
    action_import.setToolTip("Open a saved email (.eml or Outlook .msg) as a new request")
    action_import.triggered.connect(importer.choose_and_import)
    actions = window.menu_file.actions()
    new_request = getattr(window, "action_new_request", None)
    after = actions.index(new_request) + 1 if new_request in actions else 0
    if after < len(actions):
        window.menu_file.insertAction(actions[after], action_import)
    else:
        window.menu_file.addAction(action_import)

    action_settings = QAction("&Mail settings…", widget)
    action_settings.setObjectName("actionMailSettings")
    action_settings.triggered.connect(importer.open_mail_settings)
    window.menu_settings.addAction(action_settings)

    widget.setAcceptDrops(True)
    widget.installEventFilter(importer)
    widget.action_import_email = action_import  # type: ignore[attr-defined]
    widget.action_mail_settings = action_settings  # type: ignore[attr-defined]
    widget.email_importer = importer  # type: ignore[attr-defined]
    return importer
