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

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import cases, searches
from app.attachments import list_attachments
from app.domain import ConcurrentChange, DomainError, Status
from app.readmodels import CaseDetail
from app.searches import ACTION_FOR_TYPE, SearchTask, SystemAction
from app.store import Store, StoreError
from app.systems import System, list_systems
from ui.forms import (
    SubmitDialog,
    date_value,
    name_widget,
    plain_label,
    read_only_rows,
    show_error,
)
from ui.search_dialogs import AddTaskDialog, ChangeTypeDialog
from ui.search_editor import FOUND, SearchEditor, action_button, make_action
from ui.searches_model import SearchTaskModel
from ui.signals import StoreSignals


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
        self.editor = SearchEditor(today, self)
        self.editor.action_record.triggered.connect(self._record)
        self.editor.action_skip.triggered.connect(self._skip)
        self.editor.action_done.triggered.connect(self._record_action)
        self.editor_tabs = self.editor.tabs
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.refresh(None)

    # -- building ---------------------------------------------------------------------------

    def _action(self, name: str, text: str, slot: Callable[[], None]) -> QAction:
        action = make_action(self, name, text)
        action.triggered.connect(slot)
        return action

    def _build_top_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        # The case header's badge (placed there by `install`): '5 of 8 systems searched'.
        self.counts_label = plain_label("", "searchCountsLabel", wrap=False)
        self.counts_label.setAccessibleName("Searches")
        self.counts_label.setStyleSheet("color: palette(placeholder-text);")
        # Its words are never squeezed away: the deadline text beside it wraps instead.
        self.counts_label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        self.summary_label = plain_label("", "searchSummaryLabel")
        self.summary_label.setAccessibleName("Search progress")
        row.addWidget(self.summary_label, 1)
        self.action_add = self._action("actionAddSearchTask", "&Add a place…", self._add_task)
        self.action_change_type = self._action(
            "actionChangeType", "Change request t&ype…", self._change_type
        )
        row.addWidget(action_button(self.action_add))
        row.addWidget(action_button(self.action_change_type))
        return row

    def _build_table(self) -> QTableView:
        view = QTableView()
        name_widget(view, "searchTaskTable", "Search plan")
        view.setMinimumHeight(36)  # no taller a case pane than the other tabs need
        view.setModel(self.model)
        read_only_rows(view, word_wrap=False)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().lineSpacing() + 10)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column in (SearchTaskModel.STATUS, SearchTaskModel.ON):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SearchTaskModel.PLACE, QHeaderView.ResizeMode.Interactive)
        # What was searched for, found and done share the rest: on a narrow case pane they
        # narrow (full text in their tooltips) rather than push a column out of view.
        for column in (SearchTaskModel.TERMS, SearchTaskModel.RESULT, SearchTaskModel.ACTION):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        view.selectionModel().currentRowChanged.connect(lambda *_: self._fill_editor())
        view.installEventFilter(self)  # refit the names' column when the table is resized
        return view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self._fit_place_column()
        return super().eventFilter(watched, event)

    # -- showing ---------------------------------------------------------------------------

    def refresh(self, detail: CaseDetail | None) -> None:
        """Read the plan afresh for the shown case (after any change, here or elsewhere)."""
        previous = self.current_task()
        keep = self._select_after or (previous.id if previous else None)
        self._select_after = None
        self.detail = detail
        tasks = searches.plan(self.store, detail.id) if detail else []
        self._systems = {s.id: s for s in list_systems(self.store, include_retired=True)}
        self.model.set_rows(tasks)
        self._fit_place_column()
        summary = searches.plan_counts(tasks).summary if detail else ""
        self.summary_label.setText(summary)
        self.counts_label.setText(f"Searches: {summary}" if tasks else "")
        self.editor.set_files(list_attachments(self.store, detail.id) if detail else [])
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

    def _fit_place_column(self) -> None:
        """Wide enough for the longest system name of this plan (the register's names run
        long: 'Website analytics (Google Analytics, aggregated)'), but never more than two
        fifths of the table, so the results stay in view."""
        metrics = self.table.fontMetrics()
        longest = max(
            (
                metrics.horizontalAdvance(self.model.index(r, 0).data() or "")
                for r in range(self.model.rowCount())
            ),
            default=0,
        )
        wanted = max(longest, metrics.horizontalAdvance("Social media (Twitter, LinkedIn)"))
        room = self.table.width() * 2 // 5
        self.table.horizontalHeader().resizeSection(
            SearchTaskModel.PLACE, min(wanted + 40, max(room, 200))
        )

    def current_task(self) -> SearchTask | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def select_task(self, task_id: int) -> None:
        row = self.model.row_of(task_id)
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _fill_editor(self) -> None:
        task, d = self.current_task(), self.detail
        closed = d is not None and d.status is Status.CLOSED
        self.action_add.setEnabled(d is not None and not closed)
        self.action_change_type.setEnabled(d is not None and not closed)
        self.table.setColumnHidden(
            SearchTaskModel.ACTION, d is None or d.request_type not in ACTION_FOR_TYPE
        )
        if d is None or task is None or closed:
            self.editor.show_nothing(
                "Select a case first."
                if d is None
                else "The case is closed; reopen it to change its search."
                if closed
                else "Select a system in the list."
            )
            return
        status = self.model.index(self.model.row_of(task.id), SearchTaskModel.STATUS).data()
        system = self._systems.get(task.system_id) if task.system_id else None
        self.editor.show_task(task, status, d, system, self.model.rows())

    # -- doing -------------------------------------------------------------------------------

    def _run(self, change: Callable[[], object], *, advance: bool = False) -> bool:
        """Run one use case; on refusal say why under the form and keep what was typed."""
        d, task = self.detail, self.current_task()
        if d is None:
            return False
        if advance and task is not None:
            tasks = self.model.rows()
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
            self.editor.error.show_problem(str(error))
            return False
        self.signals.case_changed.emit(d.id)
        return True

    def _on_task(self, change: Callable[[SearchTask, int], object]) -> bool:
        """Run `change(task, case_version)` on the selected task, then move to the next."""
        task, d = self.current_task(), self.detail
        if task is None or d is None:
            return False
        return self._run(lambda: change(task, d.version), advance=True)

    def _record(self) -> None:
        on, since, until = (
            date_value(e)
            for e in (self.editor.search_date, self.editor.period_from, self.editor.period_to)
        )
        assert on is not None
        self._on_task(
            lambda task, version: searches.record_search(
                self.store,
                task.id,
                on=on,
                terms=self.editor.terms_edit.text(),
                found=self.editor.result_combo.currentData() is FOUND,
                items=self.editor.items_spin.value(),
                note=self.editor.note_edit.text(),
                period_from=since,
                period_to=until,
                material=self.editor.material(),
                today=self.today(),
                expected_version=version,
            )
        )

    def _skip(self) -> None:
        reason = self.editor.skip_edit.toPlainText()
        self._on_task(
            lambda task, version: searches.leave_out(
                self.store, task.id, reason=reason, expected_version=version
            )
        )

    def _record_action(self) -> None:
        on = date_value(self.editor.action_date)
        assert on is not None
        self._on_task(
            lambda task, version: searches.record_action(
                self.store,
                task.id,
                action=SystemAction(self.editor.system_action_combo.currentData()),
                on=on,
                ground=self.editor.ground_edit.text(),
                recipients_told=self.editor.recipients_edit.text(),
                today=self.today(),
                expected_version=version,
            )
        )

    def _add_task(self) -> None:
        d = self.detail
        if d is None:
            return
        planned = {t.system_id for t in self.model.rows()}
        dialog = AddTaskDialog(self, [s for s in list_systems(self.store) if s.id not in planned])
        self.add_dialog = self._open(
            dialog,
            lambda: searches.add_task(
                self.store,
                d.id,
                title=dialog.title(),
                system_id=dialog.system_id(),
                expected_version=d.version,
            ),
        )

    def _change_type(self) -> None:
        d = self.detail
        if d is None:
            return
        dialog = ChangeTypeDialog(self, d)
        self.type_dialog = self._open(
            dialog,
            lambda: cases.change_request_type(
                self.store,
                d.id,
                dialog.request_type(),
                reason=dialog.reason(),
                expected_version=d.version,
            ),
        )

    def _open(self, dialog: SubmitDialog, change: Callable[[], object]) -> SubmitDialog:
        """Open without blocking; OK runs `change` and closes only if it was saved."""
        dialog.submit = lambda: self._submit(dialog, change)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

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
    view.badges.addWidget(tab.counts_label)  # type: ignore[attr-defined]
    view.caseLoaded.connect(tab.refresh)  # type: ignore[attr-defined]
    return tab
