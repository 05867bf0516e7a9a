"""File ▸ Retention…: the retention policy, and what is due for erasure, for the DPO to
confirm (nothing is erased on its own).

The policy is a setting per outcome (years after closure) plus the days ID documents are
kept. The list shows each due case file and ID document with why it is due; erasing the
chosen ones runs off the UI thread with a progress dialog and Cancel. Each erasure is one
transaction, so Cancel stops between cases and leaves none half-erased.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import DomainError, Outcome
from app.formatting import uk_date
from app.retention import (
    DueCase,
    DueDocument,
    ErasureBatch,
    RetentionPolicy,
    due_cases,
    due_id_documents,
    erase_chosen,
    load_policy,
    save_policy,
)
from app.store import Store, StoreError
from ui.forms import name_widget, named_button, plain_label, show_error
from ui.ops import Op, run_with_progress
from ui.signals import StoreSignals
from ui.text_table_model import TextTableModel

_COLUMNS = ("Case", "What", "Due since", "Why")


@dataclass(frozen=True, slots=True)
class _Row:
    case: DueCase | None
    document: DueDocument | None

    def cells(self) -> tuple[str, str, str, str]:
        if self.case is not None:
            c = self.case
            return (
                c.reference,
                f"Case file ({c.outcome.label.lower()})",
                uk_date(c.erase_from),
                f"closed on {uk_date(c.closed_on)}",
            )
        d = self.document
        assert d is not None
        return (d.reference, f"ID document {d.filename}", uk_date(d.due_on), d.because)


class RetentionDialog(QDialog):
    """The policy and the due list."""

    def __init__(
        self,
        store: Store,
        signals: StoreSignals,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("retentionDialog")
        self.setAccessibleName("Retention")
        self.setWindowTitle("Retention")
        self.store = store
        self.signals = signals
        self.today = today
        self.last_op: Op | None = None
        self.policy = load_policy(store)

        policy_box = QGroupBox("Keep closed case files for", self)
        form = QFormLayout(policy_box)
        self.year_spins: dict[Outcome, QSpinBox] = {}
        for outcome in Outcome:
            spin = QSpinBox(policy_box)
            name_widget(spin, f"retentionYears_{outcome.value}", f"Years to keep {outcome.label}")
            spin.setRange(1, 50)
            spin.setSuffix(" years after closure")
            spin.setValue(self.policy.years_for(outcome))
            form.addRow(f"{outcome.label}:", spin)
            self.year_spins[outcome] = spin
        self.id_days = QSpinBox(policy_box)
        name_widget(self.id_days, "retentionIdDocumentDays", "Days to keep ID documents")
        self.id_days.setRange(1, 3650)
        self.id_days.setSuffix(" days")
        self.id_days.setValue(self.policy.id_document_days)
        form.addRow("ID documents, after identity is verified or the case closes:", self.id_days)
        self.save_button = named_button(
            "&Save policy",
            "saveRetentionPolicyButton",
            "Save policy",
            self.save_policy,
            auto_default=False,
        )
        form.addRow("", self.save_button)
        note = plain_label(
            "Defaults: 2 years after closure; 6 years for refused and partly fulfilled cases "
            "(the limitation period for a claim in England and Wales); ID documents 30 days. "
            "Backups older than the shortest period are deleted after an erasure.",
            "retentionNoteLabel",
        )
        note.setAccessibleName("About the policy")

        self.summary = plain_label("", "retentionDueLabel")
        self.summary.setAccessibleName("Due for erasure")
        self.model: TextTableModel[_Row] = TextTableModel(_COLUMNS, [], _Row.cells, self)
        self.table = QTableView(self)
        self.table.setObjectName("retentionDueTable")
        self.table.setAccessibleName("Due for erasure")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.erase_button = named_button(
            "&Erase selected…",
            "eraseSelectedButton",
            "Erase selected",
            self.confirm_erase,
            auto_default=False,
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("retentionCloseButton")
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.erase_button)
        row.addStretch(1)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(policy_box)
        layout.addWidget(note)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.resize(760, 620)
        self.refresh()

    def chosen_policy(self) -> RetentionPolicy:
        years = {f"{o.value}_years": spin.value() for o, spin in self.year_spins.items()}
        return replace(RetentionPolicy(), id_document_days=self.id_days.value(), **years)

    def save_policy(self) -> bool:
        try:
            save_policy(self.store, self.chosen_policy())
        except (DomainError, StoreError) as error:
            show_error(self, "Retention policy", str(error))
            return False
        self.policy = load_policy(self.store)
        self.refresh()
        return True

    def refresh(self) -> None:
        today = self.today()
        rows = [_Row(c, None) for c in due_cases(self.store, today, self.policy)]
        rows += [_Row(None, d) for d in due_id_documents(self.store, today, self.policy)]
        self.model.set_rows(rows)
        self.table.selectAll()
        cases = sum(1 for r in rows if r.case)
        documents = len(rows) - cases
        self.summary.setText(
            "Nothing is due for erasure."
            if not rows
            else f"Due for erasure: {cases} case file{'s' if cases != 1 else ''} and "
            f"{documents} ID document{'s' if documents != 1 else ''}. Nothing is erased "
            "until you confirm."
        )
        self.erase_button.setEnabled(bool(rows))

    def selected_rows(self) -> list[_Row]:
        chosen = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        rows = self.model.rows()
        return [rows[r] for r in chosen]

    def confirm_erase(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        answer = QMessageBox.question(
            self,
            "Erase",
            f"Erase {len(rows)} item{'s' if len(rows) != 1 else ''}? The requesters' details, "
            "letters, attachments and the text of earlier events are erased for good; the "
            "erasure itself stays on each case's record.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.erase(rows)

    def erase(self, rows: list[_Row]) -> Op:
        store, today, policy = self.store, self.today(), self.policy
        case_ids = [r.case.case_id for r in rows if r.case is not None]
        documents = [r.document for r in rows if r.document is not None]
        op = run_with_progress(
            self,
            "Erasing…",
            lambda progress: erase_chosen(
                store, case_ids, documents, today=today, policy=policy, progress=progress
            ),
            success=self._erased,
            failure=self._failed,
            cancelled=lambda: self._finished(
                "Erasing stopped: each case is either wholly erased or untouched."
            ),
            object_name="retentionProgressDialog",
        )
        self.last_op = op
        return op

    def _erased(self, batch: ErasureBatch) -> None:
        erased = (
            f"Erased {batch.cases} case file{'s' if batch.cases != 1 else ''} and "
            f"{batch.documents} ID document{'s' if batch.documents != 1 else ''}"
        )
        self._finished(
            f"{erased}. Older copies remain in the team server's own backups (pg_dump) until "
            "whoever looks after the server lets them expire."
            if self.store.on_server
            else f"{erased}; {batch.backups} old backup{'s' if batch.backups != 1 else ''} deleted."
        )

    def _failed(self, error: Exception) -> None:
        self._finished("")
        show_error(self, "Erase", str(error))

    def _finished(self, message: str) -> None:
        self.refresh()
        if message:
            self.summary.setText(message)
        self.signals.cases_changed.emit()
