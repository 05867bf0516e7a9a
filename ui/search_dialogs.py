"""The two small dialogs of the Searches tab: adding a place to the plan, and changing the
request's type (which remakes the plan). OK runs the use case and stays open, with what was
typed, when the core refuses."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import RequestType
from app.readmodels import CaseDetail
from app.systems import System
from ui.forms import (
    FieldError,
    SubmitDialog,
    add_field,
    default_ok,
    name_buttons,
    name_widget,
    ok_button,
    plain_label,
    plain_text_edit,
)

ELSEWHERE = None  # the combo's data for a place outside the register


def _buttons(dialog: SubmitDialog, prefix: str, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    default_ok(box, ok_text)
    name_buttons(box, prefix)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class AddTaskDialog(SubmitDialog):
    """A register system not yet in the plan, or somewhere else named by the DPO."""

    def __init__(self, parent: QWidget | None, available: Sequence[System]) -> None:
        super().__init__(parent)
        name_widget(self, "addSearchTaskDialog", "Add a place to search")
        self.setWindowTitle("Add a place to search")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.system_combo = QComboBox()
        name_widget(self.system_combo, "searchTaskSystemCombo", "Place to search")
        for system in available:
            self.system_combo.addItem(system.name, system.id)
        self.system_combo.addItem("Somewhere else (not in the register)…", ELSEWHERE)
        self.title_edit = QLineEdit()
        name_widget(self.title_edit, "searchTaskTitleEdit", "Name of the place")
        self.title_edit.setPlaceholderText("e.g. Paper files in the HR cabinet")
        self.error = FieldError("addSearchTaskError")
        add_field(form, "&Place:", self.system_combo)
        add_field(form, "&Name:", self.title_edit, self.error)
        layout.addLayout(form)
        self.buttons = _buttons(self, "addSearchTask", "&Add to plan")
        layout.addWidget(self.buttons)
        self.system_combo.currentIndexChanged.connect(self._update)
        self.title_edit.textChanged.connect(self._update)
        self._update()

    def system_id(self) -> int | None:
        data = self.system_combo.currentData()
        return int(data) if data is not None else None

    def title(self) -> str:
        return self.title_edit.text().strip() if self.system_id() is None else ""

    def show_problem(self, problem: str | None) -> None:
        self.error.show_problem(problem)
        self.fit_height()

    def _update(self) -> None:
        elsewhere = self.system_id() is None
        self.title_edit.setEnabled(elsewhere)
        ok_button(self.buttons).setEnabled(not elsewhere or bool(self.title_edit.text().strip()))
        self.error.show_problem(None)


class ChangeTypeDialog(SubmitDialog):
    """Another type of request than logged: the deadlines and the search plan follow it."""

    def __init__(self, parent: QWidget | None, detail: CaseDetail) -> None:
        super().__init__(parent)
        name_widget(self, "changeTypeDialog", f"Change the type of {detail.reference}")
        self.setWindowTitle(f"Change the type of {detail.reference}")
        self.setMinimumWidth(500)
        layout = QVBoxLayout(self)
        note = plain_label(
            f"Logged as: {detail.request_type.label} ({detail.request_type.article}). The "
            "deadlines follow the new type; the search plan gets the new type's systems, and "
            "systems not searched yet that the new type does not need are dropped. What was "
            "already searched or left out stays.",
            "changeTypeNoteLabel",
        )
        note.setAccessibleName("What changes")
        layout.addWidget(note)
        form = QFormLayout()
        self.type_combo = QComboBox()
        name_widget(self.type_combo, "newRequestTypeCombo", "New request type")
        for kind in RequestType:
            if kind is not detail.request_type:
                self.type_combo.addItem(f"{kind.label} ({kind.article})", kind.value)
        self.reason_edit = plain_text_edit("changeTypeReasonEdit", "Why the type changes")
        self.reason_edit.setPlaceholderText("e.g. Her email asks us to delete her data.")
        self.error = FieldError("changeTypeError")
        add_field(form, "&New type:", self.type_combo)
        add_field(form, "&Why:", self.reason_edit, self.error)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(_buttons(self, "changeType", "&Change type"))
        self.type_combo.setFocus()

    def request_type(self) -> RequestType:
        return RequestType(self.type_combo.currentData())

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()
