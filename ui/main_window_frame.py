"""The main window's frame: its actions, menus, toolbar, search box, filter and case list.

This is what the DPO sees before the store is open (the first of the two steps of the start,
issue 14), so it needs nothing of the store: `MainWindow` builds it in its constructor and
`attach` fills it. A mixin, so that these methods run on the window and keep its names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.listing import CaseFilter
from ui.case_table_model import COLUMNS
from ui.forms import read_only_rows
from ui.window_state import TurningSplitter

if TYPE_CHECKING:
    from ui.main_window import MainWindow

FILTERS = (
    CaseFilter.OPEN,
    CaseFilter.OVERDUE,
    CaseFilter.DUE_THIS_WEEK,
    CaseFilter.PAUSED,
    CaseFilter.CLOSED,
    CaseFilter.ALL,
    CaseFilter.OPENED_THIS_MONTH,
    CaseFilter.PAST_PROMISE,  # last: Ctrl+1..7 keep the filters they always had
)
# Sample texts that size each column on first run (later runs restore the user's widths).
_COLUMN_SAMPLES = (
    "DSR-2026-00000",
    "Ελένη Παπαδοπούλου  ",
    "Restriction / objection",
    "Wed 30 Sep 2026",
    "Wed 30 Sep 2026",
    "10 days past promise",
    "Paused: clarification ",
)


class WindowFrame:
    """Builds the main window's frame (mixed into MainWindow, which it runs on)."""

    def _build_actions(self: MainWindow) -> None:
        self.action_new_request = QAction("&New request…", self)
        self.action_new_request.setObjectName("actionNewRequest")
        self.action_new_request.setShortcut(QKeySequence("Ctrl+N"))
        self.action_new_request.setToolTip("Log a new request (Ctrl+N)")
        self.action_new_request.triggered.connect(lambda: self.open_intake())

        self.action_find = QAction("&Find…", self)
        self.action_find.setObjectName("actionFind")
        self.action_find.setShortcut(QKeySequence("Ctrl+F"))
        self.action_find.triggered.connect(self._focus_search)

        self.action_refresh = QAction("&Refresh", self)
        self.action_refresh.setObjectName("actionRefresh")
        self.action_refresh.setShortcut(QKeySequence("F5"))
        self.action_refresh.triggered.connect(self._on_store_changed)

        self.action_quit = QAction("&Quit", self)
        self.action_quit.setObjectName("actionQuit")
        self.action_quit.setShortcut(QKeySequence("Ctrl+Q"))
        self.action_quit.triggered.connect(self.close)

        self.filter_actions: dict[CaseFilter, QAction] = {}
        for number, case_filter in enumerate(FILTERS, start=1):
            action = QAction(f"Show {case_filter.label.lower()}", self)
            action.setObjectName(f"actionShow_{case_filter.value}")
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, f=case_filter: self.set_filter(f))
            self.filter_actions[case_filter] = action
        self.addActions([self.action_find, self.action_refresh, *self.filter_actions.values()])

    def _build_central(self: MainWindow) -> None:
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setAccessibleName("Search cases")
        self.search_edit.setPlaceholderText("Search reference, name or email  (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search)
        self.search_edit.returnPressed.connect(self._focus_table)
        search_label = QLabel("&Search:", self)
        search_label.setBuddy(self.search_edit)

        self.filter_combo = QComboBox(self)
        self.filter_combo.setObjectName("statusFilterCombo")
        self.filter_combo.setAccessibleName("Show cases")
        for case_filter in FILTERS:
            self.filter_combo.addItem(case_filter.label, case_filter)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_index)
        filter_label = QLabel("Sho&w:", self)
        filter_label.setBuddy(self.filter_combo)

        self.table = QTableView(self)
        self.table.setObjectName("caseTable")
        self.table.setAccessibleName("Cases")
        self.table.setModel(self.model)
        read_only_rows(self.table, word_wrap=False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(False)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._size_columns()
        self.table.setSortingEnabled(True)
        header.setSortIndicator(4, Qt.SortOrder.AscendingOrder)  # the model starts by due date
        self.table.activated.connect(self._open_index)
        # Selection, not the current index: Qt sets a current row on focus without selecting
        # it, and loading a case (and its bank holidays) at launch would slow the start.
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(search_label)
        bar.addWidget(self.search_edit, 1)
        bar.addSpacing(12)
        bar.addWidget(filter_label)
        bar.addWidget(self.filter_combo)
        list_pane = QWidget(self)
        list_pane.setObjectName("casesPane")
        list_layout = QVBoxLayout(list_pane)
        list_layout.setContentsMargins(8, 4, 4, 0)
        list_layout.addLayout(bar)
        list_layout.addWidget(self.table, 1)
        self.empty_hint = QLabel(list_pane)
        self.empty_hint.setObjectName("emptyListLabel")
        self.empty_hint.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the search text
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setVisible(False)
        list_layout.addWidget(self.empty_hint)
        for change in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            change.connect(self._update_empty_hint)
        self._update_empty_hint()

        self.splitter = TurningSplitter(self)
        self.splitter.setObjectName("caseSplitter")
        self.splitter.setAccessibleName("Case list and case")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(list_pane)
        self.splitter.addWidget(QWidget(self))  # where the case view goes once the store is open
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        central = QWidget(self)
        central.setObjectName("centralWidget")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.splitter, 1)
        self._central_layout = layout
        self.setCentralWidget(central)
        self.setTabOrder(self.search_edit, self.filter_combo)
        self.setTabOrder(self.filter_combo, self.table)

    def _build_menus(self: MainWindow) -> None:
        menu_bar = self.menuBar()
        self.menu_file = menu_bar.addMenu("&File")
        self.menu_file.setObjectName("menuFile")
        self.menu_file.addAction(self.action_new_request)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.action_quit)
        self.menu_view = menu_bar.addMenu("&View")
        self.menu_view.setObjectName("menuView")
        self.menu_view.addAction(self.action_find)
        self.menu_view.addAction(self.action_refresh)
        self.menu_view.addSeparator()
        for action in self.filter_actions.values():
            self.menu_view.addAction(action)
        self.menu_case = menu_bar.addMenu("&Case")  # filled by `attach`
        self.menu_case.setObjectName("menuCase")
        self.menu_settings = menu_bar.addMenu("Se&ttings")
        self.menu_settings.setObjectName("menuSettings")
        self.menu_help = menu_bar.addMenu("&Help")
        self.menu_help.setObjectName("menuHelp")
        self.action_deadline_help = QAction("How &deadlines are counted", self)
        self.action_deadline_help.setObjectName("actionDeadlineHelp")
        self.action_deadline_help.setShortcut(
            QKeySequence("F1")
        )  # HelpContents is unbound on some platforms
        self.action_deadline_help.triggered.connect(self.open_deadline_help)
        self.menu_help.addAction(self.action_deadline_help)
        self.addAction(self.action_deadline_help)  # F1 wherever the focus is
        self.action_about = QAction("&About DSAR Desk", self)
        self.action_about.setObjectName("actionAbout")
        self.action_about.triggered.connect(self.open_about)
        self.menu_help.addAction(self.action_about)

        self.toolbar = QToolBar("Main toolbar", self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setAccessibleName("Main toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.action_new_request)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        button = self.toolbar.widgetForAction(self.action_new_request)
        button.setObjectName("newRequestButton")
        button.setAccessibleName("New request")

    def _size_columns(self: MainWindow) -> None:
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        for column, sample in enumerate(_COLUMN_SAMPLES):
            title = COLUMNS[column][0]
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title) + 16)
            header.resizeSection(column, width + 24 + (20 if column == 6 else 0))
