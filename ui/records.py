"""Records in the main window: File ▸ Verify records…, Settings ▸ Verification key… (where the
key is kept, export and import), Settings ▸ Export verification key…, a note in the status
bar while records cannot be verified on this computer, and the daily check.

Verifying reads the whole store, so it runs off the UI thread behind a progress dialog with
Cancel; the result opens in a dialog listing every break by case and event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QStatusBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.integrity.casefile import export_case_file
from app.integrity.keys import KeyFileError
from app.integrity.seal import KeyStatus
from app.integrity.verify import KEY_PROBLEMS, Cancelled, Finding, VerifyReport, verify_store
from app.store import Store
from ui.backup_actions import BackupActions
from ui.case_view import CaseView
from ui.forms import named_button, plain_label, show_error
from ui.ops import Op, run_in_background, run_with_progress
from ui.signals import StoreSignals
from ui.text_table_model import TextTableModel

WARNING_STYLE = "color: #8a4b00;"
_COLUMNS = ("Case", "Event", "What was found")


class _Window(Protocol):
    store: Store
    signals: StoreSignals
    menu_file: QMenu
    menu_case: QMenu
    menu_settings: QMenu
    backup_actions: BackupActions
    case_view: CaseView

    def statusBar(self) -> QStatusBar: ...


def _finding_cells(finding: Finding) -> tuple[str, str, str]:
    return (
        finding.reference or "The store",
        "" if finding.event_id is None else f"#{finding.event_id}",
        ("Break: " if finding.broken else "Not proved: ") + finding.message,
    )


class VerifyResultDialog(QDialog):
    """What Verify records found, every break by case and event."""

    def __init__(self, report: VerifyReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verifyResultDialog")
        self.setAccessibleName("Verify records")
        self.setWindowTitle("Verify records")
        self.report = report
        self.summary_label = plain_label(report.summary(), "verifySummaryLabel")
        self.summary_label.setAccessibleName("Result")
        if report.breaks or not report.key_status.verifiable:
            self.summary_label.setStyleSheet(WARNING_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        self.table = QTableView(self)
        self.table.setObjectName("verifyFindingsTable")
        self.table.setAccessibleName("Findings")
        self.model = TextTableModel(_COLUMNS, report.findings, _finding_cells, self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setVisible(bool(report.findings))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("verifyCloseButton")
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 420 if report.findings else 140)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # wrapped messages, once the columns have widths


class VerificationKeyDialog(QDialog):
    """Where this store's key is kept, whether it is here, and export/import."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verificationKeyDialog")
        self.setAccessibleName("Verification key")
        self.setWindowTitle("Verification key")
        assert store.chain is not None
        self.store = store
        self.chain = store.chain
        intro = plain_label(
            "Every event on a case's record is sealed with this store's secret key, so a "
            "change made to the store file outside DSAR Desk is found by File ▸ Verify "
            "records. The key is never kept in the store or its backups: to verify the "
            "records on another computer, export the key here and import it there.",
            "keyIntroLabel",
        )
        intro.setAccessibleName("About the verification key")
        self.place_label = plain_label("", "keyPlaceLabel")
        self.place_label.setAccessibleName("Where the key is kept")
        self.status_label = plain_label("", "keyStatusLabel")
        self.status_label.setAccessibleName("Key status")
        self.export_button = named_button(
            "&Export verification key…",
            "exportKeyButton",
            "Export verification key",
            self._choose_export,
            auto_default=False,
        )
        self.import_button = named_button(
            "&Import verification key…",
            "importKeyButton",
            "Import verification key",
            self._choose_import,
            auto_default=False,
        )
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("keyCloseButton")
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, QLabel("<b>Where the key is kept</b>"), self.place_label):
            layout.addWidget(widget)
        layout.addWidget(self.status_label)
        layout.addLayout(row)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(560, 300)
        self.refresh()

    def refresh(self) -> None:
        status = self.chain.key_status()
        place = self.chain.keys.place()
        self.place_label.setText(
            f"New keys on this computer are kept {place.description}."
            if status is not KeyStatus.PRESENT
            else f"This store's key is kept {place.description}."
        )
        if status is KeyStatus.PRESENT:
            self.status_label.setText("This computer has the store's key: records can be verified.")
            self.status_label.setStyleSheet("")
        else:
            self.status_label.setText(
                "Records cannot be verified here: " + KEY_PROBLEMS[status] + " DSAR Desk works "
                "as usual meanwhile."
            )
            self.status_label.setStyleSheet(WARNING_STYLE)
        self.export_button.setEnabled(status is KeyStatus.PRESENT)

    def export_to(self, path: Path) -> Path | None:
        try:
            return self.chain.keys.export_key(self.chain.store_id, path)
        except (KeyFileError, OSError) as error:
            show_error(self, "Export verification key", str(error))
            return None

    def import_from(self, path: Path) -> bool:
        try:
            self.chain.keys.import_key(path, expected_store=self.chain.store_id)
        except (KeyFileError, OSError) as error:
            show_error(self, "Import verification key", str(error))
            return False
        self.chain.forget_cached_key()
        self.refresh()
        if self.chain.key_status() is not KeyStatus.PRESENT:
            show_error(self, "Import verification key", KEY_PROBLEMS[self.chain.key_status()])
            return False
        return True

    def _choose_export(self) -> None:
        choose_key_file(self, self.store, self.export_to)

    def _choose_import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import verification key", str(Path.home()), "Verification keys (*.key)"
        )
        if chosen:
            self.import_from(Path(chosen))


def choose_key_file(
    parent: QWidget, store: Store, export: Callable[[Path], Path | None]
) -> Path | None:
    """Ask where to save the store's key, `export` it there, and say how to keep it."""
    stem = store.path.stem if store.path is not None else "team-server"
    suggested = Path.home() / f"{stem}-verification.key"
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Export verification key", str(suggested), "Verification keys (*.key)"
    )
    if not chosen or export(Path(chosen)) is None:
        return None
    QMessageBox.information(
        parent,
        "Export verification key",
        f"The key was saved to {chosen}. Keep it as safe as the store itself: anyone with "
        "both could rewrite the records unseen. With it, a case file exported from this store "
        "is checked on any computer: dsar-desk verify FILE.zip --key KEYFILE",
    )
    return Path(chosen)


class Records(QObject):
    """The main window's record actions."""

    def __init__(self, window: _Window) -> None:
        super().__init__(window)  # type: ignore[arg-type]
        self.setObjectName("records")
        self.window = window
        self.last_op: Op | None = None
        self.last_dialog: QDialog | None = None
        self.note = QLabel()
        self.note.setObjectName("recordsUnverifiableLabel")
        self.note.setStyleSheet(WARNING_STYLE)
        window.statusBar().addPermanentWidget(self.note)
        self.show_key_status()

    def show_key_status(self) -> None:
        chain = self.window.store.chain
        status = chain.key_status() if chain is not None else KeyStatus.PRESENT
        missing = status is not KeyStatus.PRESENT
        why = "only the DPO's role may" if status is KeyStatus.DENIED else "no verification key"
        self.note.setText(f"Records cannot be verified here ({why})" if missing else "")
        self.note.setAccessibleName(self.note.text())
        self.note.setVisible(missing)

    def verify(self) -> Op:
        store = self.window.store
        op = run_with_progress(
            self.window,  # type: ignore[arg-type]
            "Verifying records…",
            lambda progress: verify_store(store, progress),
            success=self._show_report,
            failure=self._failed,
            cancelled=self._stopped,
            object_name="verifyProgressDialog",
        )
        self.last_op = op
        return op

    def _show_report(self, report: VerifyReport) -> None:
        dialog = VerifyResultDialog(report, self.window)  # type: ignore[arg-type]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.last_dialog = dialog

    def _stopped(self) -> None:
        self.window.statusBar().showMessage("Verify records stopped; nothing was changed.", 8000)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, Cancelled):
            self._stopped()
            return
        show_error(self.window, "Verify records", str(error))  # type: ignore[arg-type]

    def open_key_dialog(self) -> VerificationKeyDialog:
        dialog = VerificationKeyDialog(self.window.store, self.window)  # type: ignore[arg-type]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self.show_key_status)
        dialog.open()
        self.last_dialog = dialog
        return dialog

    def export_key(self) -> None:
        store = self.window.store
        if not store.on_server:
            self.open_key_dialog()._choose_export()
            return
        # A team server's key stays on the server; a DPO exports it to check case files
        # offline (the server refuses every other role: app.team.chain).
        choose_key_file(self.window, store, self.export_server_key)  # type: ignore[arg-type]

    def export_server_key(self, destination: Path) -> Path | None:
        chain = self.window.store.chain
        assert chain is not None
        try:
            return chain.export_key(destination)
        except (KeyFileError, OSError) as error:
            show_error(self.window, "Export verification key", str(error))  # type: ignore[arg-type]
            return None

    def open_retention(self, *, today: Callable[[], date] = date.today) -> QDialog:
        from ui.retention_dialog import RetentionDialog

        dialog = RetentionDialog(self.window.store, self.window.signals, self.window, today=today)  # type: ignore[arg-type]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.last_dialog = dialog
        return dialog

    def export_case_file(self, destination: Path | None = None) -> Op | None:
        """Case ▸ Export case file…: the open case as a ZIP that `dsar-desk verify` checks."""
        case_id = self.window.case_view.case_id
        if case_id is None:
            show_error(self.window, "Export case file", "Choose a case in the list first.")  # type: ignore[arg-type]
            return None
        if destination is None:
            detail = self.window.case_view.detail
            suggested = Path.home() / f"{detail.reference if detail else case_id} case file.zip"
            chosen, _ = QFileDialog.getSaveFileName(
                self.window,  # type: ignore[arg-type]
                "Export case file",
                str(suggested),
                "Case files (*.zip)",
            )
            if not chosen:
                return None
            destination = Path(chosen)
        store = self.window.store
        target = destination
        op = run_with_progress(
            self.window,  # type: ignore[arg-type]
            "Exporting the case file…",
            lambda progress: export_case_file(store, case_id, target, progress=progress),
            success=lambda path: self.window.statusBar().showMessage(
                f"Case file saved to {path}. Check it anywhere with: dsar-desk verify "
                f'"{path.name}"',
                20_000,
            ),
            failure=lambda error: show_error(self.window, "Export case file", str(error)),  # type: ignore[arg-type]
            cancelled=lambda: self.window.statusBar().showMessage(
                "Export cancelled; no file was written.", 10_000
            ),
            object_name="exportCaseFileProgressDialog",
        )
        self.last_op = op
        return op

    def daily_check(self) -> Op:
        """Once a day, with the backup: verify everything quietly; speak only of a break."""
        store = self.window.store

        def done(report: VerifyReport) -> None:
            if report.breaks:
                box = QMessageBox(self.window)  # type: ignore[call-overload]
                box.setObjectName("recordsAttentionBox")
                box.setAccessibleName("Records need attention")
                box.setIcon(QMessageBox.Icon.Warning)
                box.setWindowTitle("Records need attention")
                box.setTextFormat(Qt.TextFormat.PlainText)
                box.setText(
                    f"Today's check of the records: {report.summary()} Open File ▸ Verify "
                    "records to see each one."
                )
                box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                box.open()
                self.last_dialog = box

        def failed(error: Exception) -> None:
            self.window.statusBar().showMessage(f"Today's check of the records failed: {error}")

        op = run_in_background(self, lambda: verify_store(store), success=done, failure=failed)
        self.last_op = op
        return op


def install(window: _Window) -> Records:
    records = Records(window)
    widget: QWidget = window  # type: ignore[assignment]
    verify = QAction("&Verify records…", widget)
    verify.setObjectName("actionVerifyRecords")
    verify.setToolTip("Check that no record was changed outside DSAR Desk")
    verify.triggered.connect(records.verify)
    quit_action = next(
        (a for a in window.menu_file.actions() if a.objectName() == "actionQuit"), None
    )
    if quit_action is not None:
        window.menu_file.insertAction(quit_action, verify)
        window.menu_file.insertSeparator(quit_action)
    else:
        window.menu_file.addAction(verify)
    key = QAction("&Verification key…", widget)
    key.setObjectName("actionVerificationKey")
    key.triggered.connect(records.open_key_dialog)
    export = QAction("E&xport verification key…", widget)
    export.setObjectName("actionExportVerificationKey")
    export.triggered.connect(records.export_key)
    window.menu_settings.addSeparator()
    window.menu_settings.addAction(key)
    window.menu_settings.addAction(export)
    retention = QAction("Re&tention…", widget)
    retention.setObjectName("actionRetention")
    retention.setToolTip("The retention policy, and closed cases due for erasure")
    retention.triggered.connect(lambda: records.open_retention())
    if quit_action is not None:
        window.menu_file.insertAction(quit_action, retention)
    else:
        window.menu_file.addAction(retention)
    export_case = QAction("Export case &file…", widget)
    export_case.setObjectName("actionExportCaseFile")
    export_case.setToolTip("Save the case, its record, letters and attachments as a checkable ZIP")
    export_case.triggered.connect(lambda: records.export_case_file())
    window.menu_case.addSeparator()
    window.menu_case.addAction(export_case)
    widget.action_retention = retention  # type: ignore[attr-defined]
    widget.action_export_case_file = export_case  # type: ignore[attr-defined]
    window.backup_actions.dailyTaken.connect(lambda _taken: records.daily_check())
    widget.action_verify_records = verify  # type: ignore[attr-defined]
    widget.action_verification_key = key  # type: ignore[attr-defined]
    widget.records = records  # type: ignore[attr-defined]
    return records
