"""The forms beside the Searches tab's checklist, for the selected system: record the search
(date, terms, period, result, items, the case's files it produced, a note), leave it out
with a reason, or record the action an erasure, rectification or restriction led to there
and the recipients told (Art. 19). The tab runs the use cases; this only shows and reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.attachments import AttachmentInfo
from app.readmodels import CaseDetail
from app.searches import ACTION_FOR_TYPE, SearchTask, SystemAction, TaskStatus
from app.systems import System
from ui.forms import (
    FieldError,
    add_field,
    date_edit,
    name_widget,
    plain_label,
    plain_text_edit,
    to_qdate,
)

FOUND, NOTHING = True, False


def make_action(owner: QWidget, name: str, text: str) -> QAction:
    action = QAction(text, owner)
    action.setObjectName(name)
    owner.addAction(action)
    return action


def action_button(action: QAction) -> QToolButton:
    """A button for `action`, named after it (`<action>Button`), reachable by Tab."""
    button = QToolButton()
    button.setDefaultAction(action)
    name_widget(button, f"{action.objectName()}Button", action.text().replace("&", ""))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


class SearchEditor(QScrollArea):
    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        name_widget(self, "searchEditorArea", "Selected system")
        self.setWidgetResizable(True)
        self.setMinimumHeight(36)  # it scrolls: the case pane may be short
        # It reads as part of the tab, not a sunken box with an empty grey floor under the forms.
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.viewport().setAutoFillBackground(False)
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 0, 0)
        self.task_label = plain_label("", "searchTaskLabel")
        self.task_label.setAccessibleName("Selected system")
        font = self.task_label.font()
        font.setBold(True)
        self.task_label.setFont(font)
        column.addWidget(self.task_label)
        self.how_label = plain_label("", "searchHowLabel")
        self.how_label.setAccessibleName("How to search it")
        self.how_label.setStyleSheet("color: palette(placeholder-text);")
        column.addWidget(self.how_label)
        self.tabs = QTabWidget()
        name_widget(self.tabs, "searchEditorTabs", "Record for this system")
        name_widget(self.tabs.tabBar(), "searchEditorTabBar", "Record for this system")
        self.tabs.addTab(self._search_page(), "&Record search")
        self.tabs.addTab(self._skip_page(), "Lea&ve out")
        self.action_page = self._action_page()
        self.tabs.addTab(self.action_page, "Ac&tion taken")
        column.addWidget(self.tabs)
        self.error = FieldError("searchErrorLabel")
        column.addWidget(self.error)
        column.addStretch(1)
        self.setWidget(inner)
        inner.setAutoFillBackground(False)  # setWidget turned it on

    def _search_page(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        today = self.today()
        self.search_date = date_edit("searchDateEdit", "Searched on", today=today)
        self.terms_edit = QLineEdit()
        name_widget(self.terms_edit, "searchTermsEdit", "Identifiers and search terms used")
        self.terms_edit.setPlaceholderText("The email address, name, account number… searched for")
        self.period_from = date_edit(
            "periodFromEdit", "Period searched from", today=today, allow_unset=True
        )
        self.period_to = date_edit(
            "periodToEdit", "Period searched to", today=today, allow_unset=True
        )
        self.result_combo = QComboBox()
        name_widget(self.result_combo, "searchResultCombo", "Result")
        self.result_combo.addItem("Nothing found", NOTHING)
        self.result_combo.addItem("Personal data found", FOUND)
        self.items_spin = QSpinBox()
        name_widget(self.items_spin, "searchItemsSpin", "Number of items found")
        self.items_spin.setRange(0, 1_000_000)
        self.items_spin.setSuffix(" items")
        inner = self.items_spin.findChild(QLineEdit)  # the spin box's own editor, focused with it
        if inner is not None:
            inner.setAccessibleName("Number of items found")
        self.result_combo.currentIndexChanged.connect(self._result_changed)
        self.material_model = QStandardItemModel(self)
        self.material_view = QListView()
        name_widget(self.material_view, "searchMaterialList", "Files from this search")
        self.material_view.setModel(self.material_model)
        self.material_view.setMaximumHeight(self.fontMetrics().lineSpacing() * 3 + 10)
        self.no_material_label = plain_label(
            "No files kept with this case yet (add them in the Attachments tab).",
            "searchNoMaterialLabel",
        )
        self.no_material_label.setStyleSheet("color: palette(placeholder-text);")
        self.no_material_label.setAccessibleName("Files from this search")
        self.note_edit = QLineEdit()
        name_widget(self.note_edit, "searchNoteEdit", "Note on the search")
        self.action_record = make_action(self, "actionRecordSearch", "Record &search")

        def label(text: str, buddy: QWidget) -> QLabel:
            caption = QLabel(text)
            caption.setBuddy(buddy)
            return caption

        result = QHBoxLayout()
        result.addWidget(self.result_combo, 1)
        result.addWidget(self.items_spin)
        period = QHBoxLayout()
        period.addWidget(self.period_from, 1)
        period.addWidget(QLabel("to"))
        period.addWidget(self.period_to, 1)
        grid.addWidget(label("Sear&ched on:", self.search_date), 0, 0)
        grid.addWidget(self.search_date, 0, 1)
        grid.addWidget(label("Res&ult:", self.result_combo), 0, 2)
        grid.addLayout(result, 0, 3)
        grid.addWidget(label("Searched &for:", self.terms_edit), 1, 0)
        grid.addWidget(self.terms_edit, 1, 1, 1, 3)
        grid.addWidget(label("&Period (none: all):", self.period_from), 2, 0)
        grid.addLayout(period, 2, 1, 1, 3)
        grid.addWidget(
            label("Fil&es from it:", self.material_view), 3, 0, Qt.AlignmentFlag.AlignTop
        )
        grid.addWidget(self.material_view, 3, 1, 1, 3)
        grid.addWidget(self.no_material_label, 3, 1, 1, 3)
        grid.addWidget(label("&Note:", self.note_edit), 4, 0)
        grid.addWidget(self.note_edit, 4, 1, 1, 2)
        grid.addWidget(action_button(self.action_record), 4, 3, Qt.AlignmentFlag.AlignRight)
        return page

    def _skip_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.skip_edit = plain_text_edit("skipReasonEdit", "Reason for leaving it out", lines=3)
        hint = plain_label(
            "Why a search here would not be reasonable and proportionate (Art. 15(1A)). "
            "The search record keeps it; an access letter quotes it.",
            "skipHintLabel",
        )
        hint.setAccessibleName("About the reason")
        self.action_skip = make_action(self, "actionSkipSearch", "Lea&ve out")
        add_field(
            form,
            "Why not &searched:",
            self.skip_edit,
            hint,
        )
        form.addRow("", action_button(self.action_skip))
        return page

    def _action_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.system_action_combo = QComboBox()
        name_widget(self.system_action_combo, "systemActionCombo", "Action taken")
        self.action_date = date_edit("actionDateEdit", "Action taken on", today=self.today())
        self.ground_edit = QLineEdit()
        name_widget(self.ground_edit, "actionGroundEdit", "Ground for keeping the data")
        self.ground_edit.setPlaceholderText("Required when kept, e.g. the Article 17(3) ground")
        self.recipients_edit = QLineEdit()
        name_widget(self.recipients_edit, "recipientsToldEdit", "Recipients told (Art. 19)")
        self.action_done = make_action(self, "actionRecordSystemAction", "Record &action")
        add_field(form, "&What was done:", self.system_action_combo)
        add_field(form, "O&n:", self.action_date)
        add_field(form, "&Ground:", self.ground_edit)
        add_field(form, "Reci&pients told:", self.recipients_edit)
        form.addRow("", action_button(self.action_done))
        return page

    def show_nothing(self, why: str) -> None:
        self.error.show_problem(None)
        self.tabs.setEnabled(False)
        for action in (self.action_record, self.action_skip, self.action_done):
            action.setEnabled(False)
        self.task_label.setText(why)
        self.how_label.setText("")

    def show_task(
        self,
        task: SearchTask,
        status: str,
        d: CaseDetail,
        system: System | None,
        tasks: Sequence[SearchTask],
    ) -> None:
        """Fill the forms for `task`: its record if it has one, else suggestions (the terms
        and period of the case's earlier searches, or the requester's email and name)."""
        self.error.show_problem(None)
        self.tabs.setEnabled(True)
        for action in (self.action_record, self.action_skip):
            action.setEnabled(True)
        acts = d.request_type in ACTION_FOR_TYPE
        self.tabs.setTabVisible(2, acts)
        self.task_label.setText(f"{task.title}: {status}")
        self.how_label.setText(
            f"How to search it: {system.how_to_search}"
            if system and system.how_to_search
            else "A place outside the register."
            if system is None
            else ""
        )
        self._fill_search_form(task, d, tasks)
        self.skip_edit.setPlainText(task.left_out_reason or "")
        self.skip_edit.setPlaceholderText(
            "e.g. It holds aggregated statistics only, which cannot identify a person."
            if system is not None and not system.identifiers
            else "e.g. Archived backups, restored only for legal hold."
        )
        self.tabs.setCurrentIndex(
            1 if task.status is TaskStatus.LEFT_OUT else 2 if task.needs_action and acts else 0
        )
        if acts:
            self._fill_action_form(task, d, system)
        else:
            self.action_done.setEnabled(False)

    def _fill_search_form(
        self, task: SearchTask, d: CaseDetail, tasks: Sequence[SearchTask]
    ) -> None:
        today = self.today()
        for edit in (self.search_date, self.period_from, self.period_to):
            edit.setMaximumDate(to_qdate(today))
        self.search_date.setMinimumDate(to_qdate(min(d.received_on, today)))
        searched = task.status is TaskStatus.SEARCHED
        earlier = next((t for t in tasks if t.terms and t.id != task.id), None)
        person = d.requester
        terms = (
            task.terms
            or (earlier.terms if earlier else "")
            or ", ".join(t for t in (person.email, person.name) if t)
        )
        self.search_date.setDate(to_qdate(task.searched_on or today))
        self.terms_edit.setText(terms)
        source = task if searched else earlier
        for edit, value in (
            (self.period_from, source.period_from if source else None),
            (self.period_to, source.period_to if source else None),
        ):
            edit.setDate(to_qdate(value) if value else edit.minimumDate())
        self.result_combo.setCurrentIndex(1 if searched and task.found else 0)
        self.items_spin.setValue(task.items if searched else 0)
        self._result_changed()
        self.note_edit.setText(task.note if searched else "")
        for row in range(self.material_model.rowCount()):
            item = self.material_model.item(row)
            linked = item.data(Qt.ItemDataRole.UserRole) in task.material
            item.setCheckState(Qt.CheckState.Checked if linked else Qt.CheckState.Unchecked)

    def _fill_action_form(self, task: SearchTask, d: CaseDetail, system: System | None) -> None:
        expected = ACTION_FOR_TYPE[d.request_type]
        self.system_action_combo.clear()
        for action in (expected, SystemAction.KEPT):
            self.system_action_combo.addItem(action.label, action.value)
        if task.action is not None:
            self.system_action_combo.setCurrentIndex(
                self.system_action_combo.findData(task.action.value)
            )
        self.action_date.setMaximumDate(to_qdate(self.today()))
        self.action_date.setDate(to_qdate(task.action_on or self.today()))
        self.ground_edit.setText(task.action_ground)
        self.recipients_edit.setText(task.recipients_told)
        recipients = system.recipients.strip() if system else ""
        self.recipients_edit.setPlaceholderText(
            f"Which were told, or why not. On the register: {recipients}"
            if recipients
            else "None on the register"
        )
        ready = task.status is TaskStatus.SEARCHED and bool(task.found)
        self.action_page.setEnabled(ready)
        self.action_done.setEnabled(ready)
        self.action_done.setToolTip(
            "" if ready else "Record the search, with what it found, before the action."
        )

    def _result_changed(self) -> None:
        found = self.result_combo.currentData() is FOUND
        self.items_spin.setEnabled(found)
        self.items_spin.setMinimum(1 if found else 0)
        if not found:
            self.items_spin.setValue(0)

    def set_files(self, files: Sequence[AttachmentInfo]) -> None:
        """The case's files that a search can be linked to (deleted ones cannot)."""
        self.material_model.clear()
        for info in files:
            if info.deleted:
                continue
            item = QStandardItem(f"{info.filename} ({info.kind_label})")
            item.setData(info.id, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            self.material_model.appendRow(item)
        has_files = self.material_model.rowCount() > 0
        self.material_view.setVisible(has_files)
        self.no_material_label.setVisible(not has_files)

    def material(self) -> list[int]:
        return [
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.material_model.item(r) for r in range(self.material_model.rowCount()))
            if item.checkState() == Qt.CheckState.Checked
        ]
