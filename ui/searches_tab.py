"""The Searches tab of a case: the search plan as a checklist, and beside it the forms to
record a search (date, terms, period, result, items, material, note), to leave a system out
with a reason, and, for erasure, rectification and restriction, to record the action taken
in the system and the recipients told (Art. 19).

Every change goes through app.searches with the case's version, is one event on the
timeline, and is announced on StoreSignals so the case view (header counts, timeline)
reloads. A refused entry is said under the form and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import cases, searches
from app.attachments import list_attachments
from app.domain import ConcurrentChange, DomainError, RequestType, Status
from app.readmodels import CaseDetail
from app.searches import ACTION_FOR_TYPE, SearchTask, SystemAction, TaskStatus
from app.store import Store, StoreError
from app.systems import System, list_systems
from ui.forms import (
    FieldError,
    add_field,
    date_edit,
    date_value,
    name_widget,
    plain_label,
    plain_text_edit,
    show_error,
    to_qdate,
)
from ui.search_dialogs import AddTaskDialog, ChangeTypeDialog
from ui.searches_model import SearchTaskModel
from ui.signals import StoreSignals

FOUND, NOTHING = True, False


class SearchesTab(QWidget):
    def __init__(
        self,
        store: Store,
        signals: StoreSignals,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "searchesTab", "Searches")
        self.store, self.signals, self.today = store, signals, today
        self.detail: CaseDetail | None = None
        self._systems: dict[int, System] = {}
        self._select_after: int | None = None

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_top_row())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("searchesSplitter")
        splitter.setChildrenCollapsible(False)
        self.model = SearchTaskModel(self)
        self.table = self._build_table()
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_editor())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.refresh(None)

    # -- building ---------------------------------------------------------------------------

    def _action(self, name: str, text: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        name_widget(button, f"{action.objectName()}Button", action.text().replace("&", ""))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return button

    def _build_top_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.summary_label = plain_label("", "searchSummaryLabel")
        self.summary_label.setAccessibleName("Search progress")
        row.addWidget(self.summary_label, 1)
        self.action_add = self._action("actionAddSearchTask", "&Add a place…", self._add_task)
        self.action_change_type = self._action(
            "actionChangeType", "Change request t&ype…", self._change_type
        )
        row.addWidget(self._button(self.action_add))
        row.addWidget(self._button(self.action_change_type))
        return row

    def _build_table(self) -> QTableView:
        view = QTableView()
        name_widget(view, "searchTaskTable", "Search plan")
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setTabKeyNavigation(False)
        view.setWordWrap(False)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().lineSpacing() + 10)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column in (SearchTaskModel.STATUS, SearchTaskModel.ON):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column, sample in (
            (SearchTaskModel.PLACE, "Social media (Twitter, LinkedIn)"),
            (SearchTaskModel.TERMS, "zoe@example.org, Zoë"),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, view.fontMetrics().horizontalAdvance(sample) + 40)
        header.setSectionResizeMode(SearchTaskModel.RESULT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SearchTaskModel.ACTION, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        view.selectionModel().currentRowChanged.connect(lambda *_: self._fill_editor())
        return view

    def _build_editor(self) -> QWidget:
        area = QScrollArea()
        name_widget(area, "searchEditorArea", "Selected system")
        area.setWidgetResizable(True)
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
        self.editor_tabs = QTabWidget()
        name_widget(self.editor_tabs, "searchEditorTabs", "Record for this system")
        name_widget(self.editor_tabs.tabBar(), "searchEditorTabBar", "Record for this system")
        self.editor_tabs.addTab(self._search_page(), "&Record search")
        self.editor_tabs.addTab(self._skip_page(), "&Leave out")
        self.action_page = self._action_page()
        self.editor_tabs.addTab(self.action_page, "Ac&tion taken")
        column.addWidget(self.editor_tabs)
        self.error = FieldError("searchErrorLabel")
        column.addWidget(self.error)
        column.addStretch(1)
        area.setWidget(inner)
        return area

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
        self.action_record = self._action("actionRecordSearch", "Record &search", self._record)

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
        grid.addWidget(label("Searched &on:", self.search_date), 0, 0)
        grid.addWidget(self.search_date, 0, 1)
        grid.addWidget(label("Res&ult:", self.result_combo), 0, 2)
        grid.addLayout(result, 0, 3)
        grid.addWidget(label("Searched &for:", self.terms_edit), 1, 0)
        grid.addWidget(self.terms_edit, 1, 1, 1, 3)
        grid.addWidget(label("&Period (none: all):", self.period_from), 2, 0)
        grid.addLayout(period, 2, 1, 1, 3)
        grid.addWidget(
            label("F&iles from it:", self.material_view), 3, 0, Qt.AlignmentFlag.AlignTop
        )
        grid.addWidget(self.material_view, 3, 1, 1, 3)
        grid.addWidget(self.no_material_label, 3, 1, 1, 3)
        grid.addWidget(label("&Note:", self.note_edit), 4, 0)
        grid.addWidget(self.note_edit, 4, 1, 1, 2)
        grid.addWidget(self._button(self.action_record), 4, 3, Qt.AlignmentFlag.AlignRight)
        return page

    def _skip_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.skip_edit = plain_text_edit("skipReasonEdit", "Reason for leaving it out", lines=3)
        hint = plain_label(
            "Why a search here would not be reasonable and proportionate (Art. 15(1A)). "
            "The access letter quotes it.",
            "skipHintLabel",
        )
        hint.setAccessibleName("About the reason")
        self.action_skip = self._action("actionSkipSearch", "Lea&ve out", self._skip)
        add_field(
            form,
            "Why not &searched:",
            self.skip_edit,
            hint,
        )
        form.addRow("", self._button(self.action_skip))
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
        self.action_done = self._action(
            "actionRecordSystemAction", "Record &action", self._record_action
        )
        add_field(form, "&Done:", self.system_action_combo)
        add_field(form, "O&n:", self.action_date)
        add_field(form, "&Ground:", self.ground_edit)
        add_field(form, "Recipients &told:", self.recipients_edit)
        form.addRow("", self._button(self.action_done))
        return page

    # -- showing ---------------------------------------------------------------------------

    def refresh(self, detail: CaseDetail | None) -> None:
        """Read the plan afresh for the shown case (after any change, here or elsewhere)."""
        previous = self.current_task()
        keep = self._select_after or (previous.id if previous else None)
        self._select_after = None
        self.detail = detail
        tasks = searches.plan(self.store, detail.id) if detail else []
        self._systems = {s.id: s for s in list_systems(self.store, include_retired=True)}
        self.model.set_tasks(tasks)
        self.summary_label.setText(searches.plan_counts(tasks).summary if detail else "")
        self._fill_material()
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0:
            row = next((r for r, task in enumerate(tasks) if not task.done), 0 if tasks else -1)
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._fill_editor()

    def current_task(self) -> SearchTask | None:
        index = self.table.currentIndex() if hasattr(self, "table") else None
        return self.model.task(index.row()) if index is not None and index.isValid() else None

    def select_task(self, task_id: int) -> None:
        row = self.model.row_of(task_id)
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _fill_material(self) -> None:
        self.material_model.clear()
        self.material_view.setVisible(False)
        self.no_material_label.setVisible(self.detail is not None)
        if self.detail is None:
            return
        for info in list_attachments(self.store, self.detail.id):
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

    def _fill_editor(self) -> None:
        task, d = self.current_task(), self.detail
        self.error.show_problem(None)
        closed = d is not None and d.status is Status.CLOSED
        why_not = (
            "Select a case first."
            if d is None
            else "The case is closed; reopen it to change its search."
            if closed
            else "Select a system in the list."
            if task is None
            else None
        )
        for action in (self.action_record, self.action_skip):
            action.setEnabled(why_not is None)
        self.action_add.setEnabled(d is not None and not closed)
        self.action_change_type.setEnabled(d is not None and not closed)
        self.editor_tabs.setEnabled(why_not is None)
        acts = d is not None and d.request_type in ACTION_FOR_TYPE
        self.editor_tabs.setTabVisible(2, acts)
        self.table.setColumnHidden(SearchTaskModel.ACTION, not acts)
        if task is None or d is None:
            self.task_label.setText(why_not or "")
            self.how_label.setText("")
            return
        system = self._systems.get(task.system_id) if task.system_id else None
        self.task_label.setText(
            f"{task.title}: {self.model.data(self.model.index(self.model.row_of(task.id), 1))}"
        )
        self.how_label.setText(
            f"How to search it: {system.how_to_search}"
            if system and system.how_to_search
            else "A place outside the register."
            if system is None
            else ""
        )
        self._fill_search_form(task, d, system)
        self.skip_edit.setPlainText(task.left_out_reason or "")
        self.skip_edit.setPlaceholderText(
            "e.g. It holds aggregated statistics only, which cannot identify a person."
            if system is not None and not system.identifiers
            else "e.g. Archived backups, restored only for legal hold."
        )
        self.editor_tabs.setCurrentIndex(
            1 if task.status is TaskStatus.LEFT_OUT else 2 if task.needs_action and acts else 0
        )
        if acts:
            self._fill_action_form(task, d, system)

    def _fill_search_form(self, task: SearchTask, d: CaseDetail, system: System | None) -> None:
        today = self.today()
        for edit in (self.search_date, self.period_from, self.period_to):
            edit.setMaximumDate(to_qdate(today))
        self.search_date.setMinimumDate(to_qdate(min(d.received_on, today)))
        searched = task.status is TaskStatus.SEARCHED
        earlier = next((t for t in self.model.tasks() if t.terms and t.id != task.id), None)
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

    # -- doing -------------------------------------------------------------------------------

    def _run(self, change: Callable[[], object], *, advance: bool = False) -> bool:
        """Run one use case; on refusal say why under the form and keep what was typed."""
        d, task = self.detail, self.current_task()
        if d is None:
            return False
        if advance and task is not None:
            tasks = self.model.tasks()
            start = tasks.index(task) + 1
            following = tasks[start:] + tasks[:start]
            self._select_after = next(
                (t.id for t in following if not t.done and t.id != task.id), task.id
            )
        try:
            change()
        except ConcurrentChange as error:
            self._select_after = None
            self.signals.case_changed.emit(d.id)
            show_error(self, "Changed elsewhere", str(error))
            return False
        except (DomainError, StoreError) as error:
            self._select_after = None
            self.error.show_problem(str(error))
            return False
        self.signals.case_changed.emit(d.id)
        return True

    def _material(self) -> list[int]:
        return [
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.material_model.item(r) for r in range(self.material_model.rowCount()))
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _record(self) -> None:
        task, d = self.current_task(), self.detail
        if task is None or d is None:
            return
        on = date_value(self.search_date)
        assert on is not None
        self._run(
            lambda: searches.record_search(
                self.store,
                task.id,
                on=on,
                terms=self.terms_edit.text(),
                found=self.result_combo.currentData() is FOUND,
                items=self.items_spin.value(),
                note=self.note_edit.text(),
                period_from=date_value(self.period_from),
                period_to=date_value(self.period_to),
                material=self._material(),
                today=self.today(),
                expected_version=d.version,
            ),
            advance=True,
        )

    def _skip(self) -> None:
        task, d = self.current_task(), self.detail
        if task is None or d is None:
            return
        self._run(
            lambda: searches.leave_out(
                self.store,
                task.id,
                reason=self.skip_edit.toPlainText(),
                expected_version=d.version,
            ),
            advance=True,
        )

    def _record_action(self) -> None:
        task, d = self.current_task(), self.detail
        if task is None or d is None:
            return
        on = date_value(self.action_date)
        assert on is not None
        self._run(
            lambda: searches.record_action(
                self.store,
                task.id,
                action=SystemAction(self.system_action_combo.currentData()),
                on=on,
                ground=self.ground_edit.text(),
                recipients_told=self.recipients_edit.text(),
                today=self.today(),
                expected_version=d.version,
            ),
            advance=True,
        )

    def _add_task(self) -> None:
        d = self.detail
        if d is None:
            return
        planned = {t.system_id for t in self.model.tasks()}
        available = [s for s in list_systems(self.store) if s.id not in planned]
        dialog = AddTaskDialog(self, available)
        dialog.submit = lambda: self._submit(
            dialog,
            lambda: searches.add_task(
                self.store,
                d.id,
                title=dialog.title(),
                system_id=dialog.system_id(),
                expected_version=d.version,
            ),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.add_dialog = dialog

    def _change_type(self) -> None:
        d = self.detail
        if d is None:
            return
        dialog = ChangeTypeDialog(self, d)
        dialog.submit = lambda: self._submit(
            dialog,
            lambda: cases.change_request_type(
                self.store,
                d.id,
                dialog.request_type(),
                reason=dialog.reason(),
                expected_version=d.version,
            ),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.type_dialog = dialog

    def _submit(self, dialog: QWidget, change: Callable[[], object]) -> bool:
        d = self.detail
        assert d is not None
        try:
            result = change()
        except ConcurrentChange as error:
            self.signals.case_changed.emit(d.id)
            show_error(dialog, "Changed elsewhere", str(error))
            return False
        except (DomainError, StoreError) as error:
            show_error(dialog, "Not possible", str(error))
            return False
        if isinstance(result, SearchTask):
            self._select_after = result.id
        self.signals.case_changed.emit(d.id)
        return True


def install(
    view: QWidget, store: Store, signals: StoreSignals, today: Callable[[], date]
) -> SearchesTab:
    """Put the Searches tab and the header's counts into a CaseView (its extension hook)."""
    tab = SearchesTab(store, signals, view, today=today)
    view.tabs.addTab(tab, "Searc&hes")  # type: ignore[attr-defined]
    counts = plain_label("", "searchCountsLabel", wrap=False)
    counts.setAccessibleName("Searches")
    counts.setStyleSheet("color: palette(placeholder-text);")
    # Its words are never squeezed away: the deadline text beside it wraps instead.
    counts.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
    view.badges.addWidget(counts)  # type: ignore[attr-defined]

    def loaded(detail: CaseDetail | None) -> None:
        tab.refresh(detail)
        summary = tab.summary_label.text()
        counts.setText(f"Searches: {summary}" if detail and tab.model.rowCount() else "")

    view.caseLoaded.connect(loaded)  # type: ignore[attr-defined]
    tab.counts_label = counts  # type: ignore[attr-defined]
    return tab


__all__ = ["RequestType", "SearchesTab", "install"]
