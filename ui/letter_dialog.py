"""The letters of one case: pick the stage, see the pages exactly as the PDF renders them,
then keep and save, print, or record that it went by post.

Saving and printing both keep the letter on the case first (a new version, on the timeline)
so what leaves the office is always on the record; a second save or print of the same
preview reuses that version rather than making another. The preview itself writes nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QPageSize, QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from app import cases
from app.domain import DomainError
from app.formatting import uk_timestamp
from app.letters import generate_letter, render_letter_details
from app.letters.records import StoredLetter, letter_pdf, list_letters, record_sent_by_post
from app.letters.stages import Stage, stages_for
from app.private_files import create_private_file, restrict_to_owner, write_private_file
from app.settings import join_words, load_settings, missing_letterhead
from app.store import Store, StoreError
from ui.forms import (
    WARNING_STYLE,
    labelled_combo,
    name_widget,
    named_button,
    plain_label,
    show_error,
)
from ui.pdf_preview import PdfPreview, print_pdf
from ui.signals import StoreSignals


class LetterDialog(QDialog):
    def __init__(
        self,
        store: Store,
        case_id: int,
        signals: StoreSignals,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.case_id, self.signals = store, case_id, signals
        self._today = today
        self.detail = cases.get_case(store, case_id)
        name_widget(self, "letterDialog", f"Letters for case {self.detail.reference}")
        self.setWindowTitle(f"Letters — {self.detail.reference}")
        # Tall enough for a readable page, never taller than the screen (1280x800 laptops).
        room = self.screen().availableGeometry().size() - QSize(40, 80)
        self.resize(QSize(760, 860).boundedTo(room))
        self._pdf: bytes | None = None
        self._template_version = ""
        self._kept: StoredLetter | None = None  # this preview, once kept

        layout = QVBoxLayout(self)
        row, self.stage_combo = labelled_combo(
            "&Letter:",
            "letterTemplateCombo",
            "Letter",
            ((stage.label, stage.value) for stage in stages_for(self.detail.request_type)),
        )
        layout.addLayout(row)

        self.status_label = plain_label("", "letterStatusLabel")
        self.status_label.setAccessibleName("Letter status")
        layout.addWidget(self.status_label)
        self.settings_warning = plain_label("", "letterSettingsWarningLabel")
        self.settings_warning.setAccessibleName("Missing organisation settings")
        self.settings_warning.setStyleSheet(WARNING_STYLE)
        self.open_settings_button = named_button(
            "Open organisation &settings…",
            "openSettingsButton",
            "Open organisation settings",
            self.open_settings,
            auto_default=False,
        )
        warning_row = QHBoxLayout()
        warning_row.addWidget(self.settings_warning, 1)
        warning_row.addWidget(self.open_settings_button)
        layout.addLayout(warning_row)
        self.settings_dialog: QDialog | None = None
        self._asked_for_settings = False
        self.preview = PdfPreview()
        self.preview.setMinimumHeight(420)
        layout.addWidget(self.preview, 1)

        buttons = QHBoxLayout()
        self.save_button = named_button(
            "&Generate and save PDF…", "saveLetterButton", "Generate and save PDF", self.save_pdf
        )
        self.print_button = named_button(
            "&Print…", "printLetterButton", "Print letter", self.print_letter
        )
        self.posted_button = named_button(
            "Mark as sent by &post", "markPostedButton", "Mark as sent by post", self.mark_posted
        )
        self.email_button = named_button(
            "&Email to requester…", "emailLetterButton", "Email to requester", self.email_letter
        )
        for button in (self.save_button, self.print_button, self.posted_button, self.email_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        name_widget(close.buttons()[0], "letterCloseButton", "Close")
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        self.stage_combo.currentIndexChanged.connect(self.refresh)
        signals.settings_changed.connect(self.refresh)
        self.refresh()

    # -- state -----------------------------------------------------------------------------

    @property
    def stage(self) -> Stage:
        return Stage(self.stage_combo.currentData())

    def select_stage(self, stage: Stage | str) -> None:
        index = self.stage_combo.findData(Stage(stage).value)
        if index < 0:
            raise ValueError(f"{stage} is not offered for this case")
        self.stage_combo.setCurrentIndex(index)

    def refresh(self) -> None:
        """Render the chosen letter afresh (the case or the settings may have changed)."""
        self._kept = None
        self._warn_missing_settings()
        try:
            self.detail = cases.get_case(self.store, self.case_id)
            rendered = render_letter_details(
                self.store, self.case_id, self.stage, today=self._today
            )
        except (DomainError, StoreError) as error:
            self._pdf = None
            self.preview.show_message(str(error))
        else:
            self._pdf, self._template_version = rendered.pdf, rendered.template_version
            self.preview.set_pdf(rendered.pdf)
        self._update()

    def _warn_missing_settings(self) -> None:
        """Letters print the organisation's contact details and the DPO's name and title:
        without them a letter would read "contact us at  or ." and go unsigned, so none is
        made (app.letters refuses) and this says which are missing, next to the way there."""
        self.missing_settings = missing_letterhead(load_settings(self.store))
        self.settings_warning.setText(
            f"No letter can be made yet: the organisation settings have no "
            f"{join_words(self.missing_settings)}."
            if self.missing_settings
            else ""
        )
        self.settings_warning.setVisible(bool(self.missing_settings))
        self.open_settings_button.setVisible(bool(self.missing_settings))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.missing_settings and not self._asked_for_settings:
            self._asked_for_settings = True  # once: the DPO may close it and look first
            QTimer.singleShot(0, self.open_settings)

    def open_settings(self) -> QDialog:
        """Settings ▸ Organisation settings… on top of this dialog, at the first gap."""
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.store, self.signals, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.focus_missing()
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def latest_kept(self) -> StoredLetter | None:
        kept = [x for x in list_letters(self.store, self.case_id) if x.stage == self.stage.value]
        return kept[0] if kept else None

    def _update(self) -> None:
        ready = self._pdf is not None
        self.save_button.setEnabled(ready)
        self.print_button.setEnabled(ready)
        self.email_button.setEnabled(ready)
        latest = self.latest_kept()
        self.posted_button.setEnabled(latest is not None and latest.sent_by_post_at is None)
        if latest is None:
            status = "Not generated yet for this case."
        else:
            status = f"Kept: version {latest.version}, generated {uk_timestamp(latest.created_at)}"
            if latest.sent_by_post_at is not None:
                status += f"; sent by post {uk_timestamp(latest.sent_by_post_at)}"
            if latest.emailed_at is not None:
                status += f"; emailed {uk_timestamp(latest.emailed_at)}"
            status += "."
        if ready:
            status += f"  Template: {self._template_version}."
        self.status_label.setText(status)

    # -- actions ---------------------------------------------------------------------------

    def keep(self) -> StoredLetter | None:
        """The kept version of what the preview shows, keeping it now if it is not yet."""
        if self._kept is not None:
            return self._kept
        try:
            self._kept = generate_letter(self.store, self.case_id, self.stage, today=self._today)
        except (DomainError, StoreError) as error:
            show_error(self, "Letter not generated", str(error))
            return None
        self.signals.case_changed.emit(self.case_id)
        self._update()
        return self._kept

    def save_pdf(self) -> None:
        letter = self.keep()
        if letter is None:
            return
        suggested = f"{self.detail.reference} {self.stage.value} v{letter.version}.pdf"
        chosen = self._ask_save_path(suggested)
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":  # Qt's own file dialog does not add it
            path = path.with_name(path.name + ".pdf")
        try:
            write_private_file(path, letter_pdf(self.store, letter.id))  # owner-only (0600)
        except OSError as error:
            show_error(
                self,
                "PDF not saved",
                f"The PDF could not be written to {path}: {error.strerror or error}. The "
                "letter is kept with the case; choose another folder and save it again.",
            )

    def print_letter(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))  # the letters are A4
        printer.setDocName(f"{self.detail.reference} {self.stage.label}")
        if not self._ask_printer(printer):
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        letter = self.keep()
        if letter is None:
            return False
        # "Print to file": Qt truncates an existing file and keeps its mode, so the file is
        # made owner-only before a byte of the letter goes into it.
        printed_to = Path(printer.outputFileName()) if printer.outputFileName() else None
        made_here = printed_to is not None and not printed_to.exists()
        try:
            if printed_to is not None:
                if made_here:
                    create_private_file(printed_to)
                restrict_to_owner(printed_to)
            print_pdf(letter_pdf(self.store, letter.id), printer)
        except (OSError, ValueError) as error:
            if made_here and printed_to is not None:
                printed_to.unlink(missing_ok=True)
            show_error(self, "Letter not printed", str(error))
            return False
        return True

    def mark_posted(self) -> None:
        latest = self.latest_kept()
        if latest is None:
            return
        try:
            record_sent_by_post(self.store, latest.id)
        except (DomainError, StoreError) as error:
            show_error(self, "Not recorded", str(error))
            return
        self.signals.case_changed.emit(self.case_id)
        self._update()

    def email_letter(self) -> None:
        """Keep the letter (as printing does), then open the email to the requester."""
        letter = self.keep()
        if letter is None:
            return
        from ui.send_mail_dialog import SendMailDialog  # email (issue 5), loaded on first use

        self.mail_dialog = SendMailDialog(self.store, letter.id, self.signals, self)
        self.mail_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.mail_dialog.sendFinished.connect(self._on_mail_sent)
        self.mail_dialog.open()

    def _on_mail_sent(self, _result: object) -> None:
        self._update()  # "emailed …" (or still unsent) in the status line

    # -- questions to the user (replaced in tests) -----------------------------------------

    def _ask_save_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save letter as PDF", suggested, "PDF files (*.pdf)"
        )
        return path

    def _ask_printer(self, printer: QPrinter) -> bool:
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("letterPrintDialog")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        return dialog.exec() == QDialog.DialogCode.Accepted
