"""The foot of the Disclosure tab: the review step, the bundle and the portability export
(each made off the UI thread behind ui.ops' progress dialog with Cancel), and what was made,
to save or email."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import cases
from app.disclosure import (
    BundleInfo,
    build_bundle,
    get_review,
    list_items,
    list_outputs,
    mark_reviewed,
    portable_export,
    set_problems,
)
from app.disclosure.delivery import output_filename, output_outgoing, save_output
from app.domain import DomainError, RequestType
from app.formatting import uk_timestamp
from app.store import Store, StoreError
from ui.disclosure_models import OutputsModel
from ui.forms import (
    WARNING_STYLE,
    name_widget,
    named_button,
    plain_label,
    read_only_rows,
    show_error,
)
from ui.ops import Op, Reporter, run_with_progress
from ui.signals import StoreSignals


class BundlePanel(QWidget):
    changed = Signal()  # something was recorded on the case

    def __init__(
        self,
        store: Store,
        case_id: Callable[[], int | None],
        signals: StoreSignals,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "bundlePanel", "Review and bundle")
        self.store, self.signals, self._case_id = store, signals, case_id
        self.op: Op | None = None
        self.last_error: str | None = None
        self.last_saved: Path | None = None
        self._failed_title = self._cancelled_text = ""  # of the work running (bundle, export)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        review = QHBoxLayout()
        self.review_label = plain_label("", "reviewStatusLabel")
        self.review_label.setAccessibleName("Review")
        review.addWidget(self.review_label, 1)
        self.review_button = named_button(
            "Mark &reviewed", "markReviewedButton", "Mark the set reviewed", self.mark_reviewed
        )
        review.addWidget(self.review_button)
        layout.addLayout(review)

        build = QHBoxLayout()
        password_label = QLabel("Bundle pass&word:")
        self.password_edit = QLineEdit()
        name_widget(self.password_edit, "bundlePasswordEdit", "Bundle password (optional)")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("Optional: encrypts the bundle (AES-256)")
        self.password_edit.setMinimumWidth(280)
        self.password_edit.setToolTip(
            "Give the password to the requester by another channel than the bundle (a phone "
            "call or a text). It is not stored."
        )
        password_label.setBuddy(self.password_edit)
        self.show_password = QCheckBox("Show")
        name_widget(self.show_password, "bundlePasswordShowCheck", "Show the password")
        self.show_password.toggled.connect(
            lambda on: self.password_edit.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
            )
        )
        self.action_build = QAction("&Build bundle", self)
        self.action_build.setObjectName("actionBuildBundle")
        self.action_build.triggered.connect(self.build)
        self.build_button = QToolButton()
        name_widget(self.build_button, "buildBundleButton", "Build bundle")
        self.build_button.setDefaultAction(self.action_build)
        self.portable_button = named_button(
            "Portability e&xport", "portableExportButton", "Make the portability export",
            self.export,
        )  # fmt: skip
        for widget in (password_label, self.password_edit, self.show_password):
            build.addWidget(widget)
        build.addWidget(self.build_button)
        build.addStretch(1)
        build.addWidget(self.portable_button)
        layout.addLayout(build)

        self.model = OutputsModel(self)
        self.view = QTableView()
        name_widget(self.view, "bundleListView", "Bundles and exports made")
        self.view.setModel(self.model)
        read_only_rows(self.view, word_wrap=True)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.setMaximumHeight(120)
        layout.addWidget(self.view)
        send = QHBoxLayout()
        send.addStretch(1)
        self.save_button = named_button("&Save…", "saveBundleButton", "Save to a file", self.save)
        self.email_button = named_button(
            "&Email…", "emailBundleButton", "Email to the requester", self.email
        )
        send.addWidget(self.save_button)
        send.addWidget(self.email_button)
        layout.addLayout(send)
        self.view.selectionModel().selectionChanged.connect(self._update)

    @property
    def case_id(self) -> int | None:
        return self._case_id()

    @property
    def building(self) -> bool:
        return self.op is not None

    def refresh(self) -> None:
        case_id = self.case_id
        self.model.set_rows(list_outputs(self.store, case_id) if case_id else [])
        self._update()

    def _update(self, *_args: object) -> None:
        case_id = self.case_id
        state = get_review(self.store, case_id) if case_id else None
        items = list_items(self.store, case_id) if case_id else []
        problems = set_problems(items) if case_id else []
        if state is None or not items:
            text = "Add the material found in the search; then review the set."
        elif state.current and state.reviewed_at:
            text = f"Reviewed by {state.reviewed_by}, {uk_timestamp(state.reviewed_at)}."
        elif state.reviewed_at:
            text = (
                f"Changed since it was reviewed by {state.reviewed_by}, "
                f"{uk_timestamp(state.reviewed_at)}: review it again before building."
            )
        else:
            text = "Not reviewed yet: check every item and its redactions, then mark it reviewed."
        if problems and items:
            text += " " + " ".join(problems)
        current = state is not None and state.current
        self.review_label.setText(text)
        self.review_label.setStyleSheet("" if current else WARNING_STYLE)
        idle = not self.building
        self.review_button.setEnabled(idle and bool(items) and not problems and not current)
        self.action_build.setEnabled(idle and current)
        detail = cases.get_case(self.store, case_id) if case_id else None
        self.portable_button.setVisible(
            detail is not None and detail.request_type is RequestType.PORTABILITY
        )
        self.portable_button.setEnabled(idle and current)
        chosen = self.selected() is not None
        self.save_button.setEnabled(chosen)
        self.email_button.setEnabled(chosen)

    def selected(self) -> BundleInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    # -- actions ---------------------------------------------------------------------------

    def mark_reviewed(self) -> None:
        case_id = self.case_id
        if not case_id:
            return
        try:
            mark_reviewed(self.store, case_id)
        except (DomainError, StoreError) as error:
            show_error(self, "Not marked reviewed", str(error))
        self._announce()

    def build(self) -> None:
        password = self.password_edit.text() or None
        self._make(
            "Building the bundle…",
            lambda store, case_id, **steps: build_bundle(
                store, case_id, password=password, **steps
            ),
            "bundleProgressDialog",
            "Bundle not built",
            "The bundle was not built (cancelled); nothing was kept.",
        )

    def export(self) -> None:
        self._make(
            "Making the portability export…",
            portable_export,
            "exportProgressDialog",
            "No export made",
            "The export was not made (cancelled); nothing was kept.",
        )

    def _make(
        self,
        label: str,
        make: Callable[..., bytes],
        object_name: str,
        failed_title: str,
        cancelled_text: str,
    ) -> None:
        """Run `make(store, case_id, progress=, cancelled=)` off the UI thread behind a
        progress dialog whose Cancel stops it at its next step, keeping nothing."""
        case_id = self.case_id
        if not case_id or self.building:
            return
        store = self.store
        self.last_error = None
        self._failed_title, self._cancelled_text = failed_title, cancelled_text

        def work(report: Reporter) -> bytes:
            stop = threading.Event()

            def progress(done: int, total: int, _what: str) -> None:
                if not report(done, total):  # Cancel pressed: stop at the next step
                    stop.set()

            return make(store, case_id, progress=progress, cancelled=stop.is_set)

        self.op = run_with_progress(
            self,
            label,
            work,
            success=self._built,
            failure=self._failed,
            cancelled=self._cancelled,
            object_name=object_name,
        )
        self._update()

    def _cancelled(self) -> None:
        self._finish()
        self.last_error = self._cancelled_text

    def _built(self, _pdf: bytes) -> None:
        self._finish()
        self.password_edit.clear()
        self.view.selectRow(0)

    def _failed(self, error: Exception) -> None:
        self._finish()
        self.last_error = str(error)
        if isinstance(error, DomainError | StoreError):
            show_error(self, self._failed_title, str(error))
        else:
            show_error(self, self._failed_title, f"{self._failed_title}: {error}")

    def _finish(self) -> None:
        self.op = None  # done: the panel is idle again before anything reads it afresh
        self._announce()

    def _announce(self) -> None:
        case_id = self.case_id
        if case_id:
            self.signals.case_changed.emit(case_id)  # the tab (and this panel) read afresh
        else:
            self.refresh()
        self.changed.emit()

    def save(self) -> None:
        info = self.selected()
        case_id = self.case_id
        if info is None or not case_id:
            return
        reference = cases.get_case(self.store, case_id).reference
        path = self._ask_path(output_filename(reference, info))
        if not path:
            return
        try:
            self.last_saved = save_output(self.store, info.id, Path(path))
        except (DomainError, StoreError) as error:
            show_error(self, "Not saved", str(error))
            return
        self._announce()

    def _ask_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "Save for the requester", suggested)
        return path

    def email(self) -> None:
        info = self.selected()
        if info is None:
            return
        outgoing = output_outgoing(self.store, info.id)
        if outgoing.too_large:
            self.offer_saving(outgoing.too_large)
            return
        from ui.send_mail_dialog import SendMailDialog  # loaded on first use

        self.mail_dialog = SendMailDialog(self.store, None, self.signals, self, outgoing=outgoing)
        self.mail_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.mail_dialog.sendFinished.connect(lambda _result: self.refresh())
        self.mail_dialog.open()

    def offer_saving(self, why: str) -> QMessageBox:
        box = QMessageBox(self)
        name_widget(box, "bundleTooLargeBox", "Too large to email")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Too large to email")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(why)
        save = box.addButton("Save instead…", QMessageBox.ButtonRole.AcceptRole)
        name_widget(save, "saveInsteadButton", "Save instead")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        save.clicked.connect(self.save)
        box.open()
        return box
