"""The window the DPO lives in: what needs attention, the case list, and the open case.

Layout: the home strip (counts that filter the list) on top; below it a splitter with the
search, the filter and the case table on the left and the case view on the right. The
window owns the open Store and closes it when it closes. Other parts of the app (letters,
email) add their actions in `_install_extensions`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.domain import Urgency
from app.queries import CaseFilter
from app.readmodels import IntakeDraft
from app.store import Store, StoreError
from ui.backup_actions import install as install_backup_actions
from ui.case_table_model import COLUMNS, CaseTableModel
from ui.case_view import CaseView
from ui.forms import read_only_rows
from ui.home_view import HomeView
from ui.ops import Op
from ui.signals import StoreSignals
from ui.store_opening import disable_writing_actions, install_banner, limit_to_role
from ui.team_limits import limit_window
from ui.team_watch import watch_server
from ui.window_state import TurningSplitter, WindowState

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
_SETTINGS_GROUP = "mainWindow"


class MainWindow(QMainWindow):
    """Home strip, case list and case view over one open store."""

    def __init__(
        self,
        store: Store,
        signals: StoreSignals,
        settings: QSettings,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setAccessibleName("DSAR Desk")
        self.setWindowTitle(f"DSAR Desk — {store.title}")
        self.store = store
        self.signals = signals
        self.settings = settings
        self.window_state = WindowState(settings)
        self._side_by_side_width: int | None = None  # known once the columns are sized
        self._today = today
        self._day = today()
        self._closed = False

        self.model = CaseTableModel(store, self, today=today)
        self._build_actions()
        self._build_central()
        self._build_menus()
        self.store_banner = install_banner(self, store)  # read-only, or the file gone
        self.status_counts = QLabel(self)
        self.status_counts.setObjectName("statusCounts")
        self.status_counts.setAccessibleName("Case counts")
        self.statusBar().addWidget(self.status_counts)

        signals.case_changed.connect(self._on_store_changed)
        signals.cases_changed.connect(self._on_store_changed)
        self._midnight = QTimer(self)
        self._midnight.setInterval(60_000)
        self._midnight.timeout.connect(self._check_date)
        self._midnight.start()

        self._restore_state()
        self._show_counts(self.home.refresh())
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)  # the list has the keyboard on launch
        self._install_extensions()
        disable_writing_actions(self, store)  # a read-only store: nothing to add
        limit_to_role(self, store)  # a team server: what this member's role may not do
        self.server_watch = watch_server(self, store, signals)  # and what others changed
        self.role_limits = limit_window(self, store)  # hidden or held off, said in one line

    # -- construction ----------------------------------------------------------------------

    def _build_actions(self) -> None:
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

    def _build_central(self) -> None:
        self.home = HomeView(self.store, self, today=self._today)
        self.home.filterRequested.connect(self._show_filter_from_home)

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

        self.case_view = CaseView(self.store, self.signals, self, today=self._today)
        self.splitter = TurningSplitter(self)
        self.splitter.setObjectName("caseSplitter")
        self.splitter.setAccessibleName("Case list and case")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(list_pane)
        self.splitter.addWidget(self.case_view)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        central = QWidget(self)
        central.setObjectName("centralWidget")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.home)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.setTabOrder(self.search_edit, self.filter_combo)
        self.setTabOrder(self.filter_combo, self.table)

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        self.menu_file = menu_bar.addMenu("&File")
        self.menu_file.setObjectName("menuFile")
        self.menu_file.addAction(self.action_new_request)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.action_quit)
        # Back up now, Copy a backup to…, Restore from backup… (before Quit).
        self.backup_actions = install_backup_actions(self)
        self.action_restore = self.backup_actions.action_restore
        # The case shown may not exist in the backup.
        self.backup_actions.restored.connect(lambda: self.case_view.show_case(None))
        self.menu_view = menu_bar.addMenu("&View")
        self.menu_view.setObjectName("menuView")
        self.menu_view.addAction(self.action_find)
        self.menu_view.addAction(self.action_refresh)
        self.menu_view.addSeparator()
        for action in self.filter_actions.values():
            self.menu_view.addAction(action)
        # The case view's own actions, so each step can also be found from the menu bar.
        self.menu_case = menu_bar.addMenu("&Case")
        self.menu_case.setObjectName("menuCase")
        for action in self.case_view.toolbar.actions():
            if action.isSeparator():
                self.menu_case.addSeparator()
            elif action.objectName():
                self.menu_case.addAction(action)
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

    def _size_columns(self) -> None:
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        for column, sample in enumerate(_COLUMN_SAMPLES):
            title = COLUMNS[column][0]
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title) + 16)
            header.resizeSection(column, width + 24 + (20 if column == 6 else 0))

    def _install_extensions(self) -> None:
        # Extensions (letters, email) add their menu actions here. Each dialog's module is
        # imported inside the function that opens it (faster start-up), by an import
        # statement that a freezer such as PyInstaller can see.
        self.action_org_settings = QAction("&Organisation settings…", self)
        self.action_org_settings.setObjectName("actionOrgSettings")
        self.action_org_settings.triggered.connect(self.open_org_settings)
        self.action_edit_templates = QAction("Letter &templates…", self)
        self.action_edit_templates.setObjectName("actionEditTemplates")
        self.action_edit_templates.triggered.connect(self.open_template_editor)
        self.menu_settings.addAction(self.action_org_settings)
        self.menu_settings.addAction(self.action_edit_templates)
        # Searches (issue 10): the systems register, where personal data is held.
        self.action_systems_register = QAction("S&ystems register…", self)
        self.action_systems_register.setObjectName("actionSystemsRegister")
        self.action_systems_register.triggered.connect(self.open_systems_register)
        self.menu_settings.addAction(self.action_systems_register)
        # Email (issue 5): File ▸ Import email…, .eml/.msg drops, Settings ▸ Mail settings….
        from ui.email_import import install as install_email

        install_email(self)
        # Records (issue 9): Verify records, the verification key, the daily check.
        from ui.records import install as install_records

        install_records(self)
        # Encryption at rest (issue 9): File ▸ Encrypt the store….
        from ui.store_encryption import install as install_encryption

        today = self._today
        install_encryption(self, lambda path: _reopen(path, today))
        # Reminders, reports, exports, suppression list and tray (issue 12).
        from ui.insight import install as install_insight

        install_insight(self)
        # Team mode (issue 15): File ▸ Connect to a team server….
        from ui.team_connect import install as install_team_connect

        install_team_connect(self)

    def open_org_settings(self) -> QDialog:
        """Settings ▸ Organisation settings…, opened without blocking the window."""
        from ui.settings_dialog import SettingsDialog

        return self._open_dialog(SettingsDialog(self.store, self.signals, self))

    def open_systems_register(self) -> QDialog:
        from ui.register_window import show_register

        return show_register(self, self.store, self.signals)

    def open_template_editor(self) -> QDialog:
        from ui.template_editor import TemplateEditorDialog

        return self._open_dialog(TemplateEditorDialog(self.store, self.signals, self))

    def welcome_if_needed(self) -> QDialog | None:
        """First start: while the store has no organisation details, ask for them (the
        welcome, non-blocking and window-modal) before the DPO reaches for a letter."""
        from app.settings import load_settings
        from ui.welcome_dialog import WelcomeDialog, needs_welcome

        if self._closed or self.store.read_only:  # closed already, or another desk writes
            return None
        try:
            if not needs_welcome(load_settings(self.store)):
                return None
        except StoreError:
            return None  # a store that cannot be read says so where it is used
        dialog = WelcomeDialog(self.store, self.signals, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_deadline_help(self) -> QDialog:
        """Help ▸ How deadlines are counted: the rules, the law they cite, and where the desk
        follows the ICO's reading."""
        from ui.deadline_help_dialog import DeadlineHelpDialog

        dialog = DeadlineHelpDialog(self.store, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_about(self) -> QDialog:
        """Help ▸ About: the version and every shipped component with its licence."""
        from ui.about_dialog import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _open_dialog(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.open_letters_dialog = dialog
        return dialog

    # -- public API ------------------------------------------------------------------------

    def open_intake(self, draft: IntakeDraft | None = None) -> int | None:
        """Log a new request; on OK select it in the list and show it. Returns its id."""
        from ui.intake_dialog import IntakeDialog  # loaded on first use: faster start-up

        dialog = IntakeDialog(self.store, self.signals, self, draft=draft, today=self._today)
        dialog.openCaseRequested.connect(self.select_case)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            case_id: int = dialog.created_case_id
        finally:
            dialog.deleteLater()
        self._on_store_changed()
        self.select_case(case_id)
        return case_id

    def restore_backup(self, backup: Path, *, confirm: bool = True) -> Op:
        """Put a backup back into this store, off the UI thread (see ui.backup_actions)."""
        return self.backup_actions.restore(backup, confirm=confirm)

    def select_case(self, case_id: int) -> bool:
        """Select the case in the list (widening the list if it is filtered out) and show it."""
        row = self.model.row_of(case_id)
        if row is None:
            self.search_edit.clear()
            self.set_filter(CaseFilter.ALL)
            row = self.model.row_of(case_id)
        if row is not None:
            self._select_row(row)
        self.case_view.show_case(case_id)
        return row is not None

    def set_filter(self, case_filter: CaseFilter) -> None:
        self.filter_combo.setCurrentIndex(FILTERS.index(case_filter))

    def selected_case_id(self) -> int | None:
        current = self.table.selectionModel().currentIndex()
        if not current.isValid() or not self.table.selectionModel().isRowSelected(
            current.row(), QModelIndex()
        ):
            return None
        return self.model.case_id(current.row())

    # -- reacting --------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.selected_case_id() is None and self.model.rowCount() > 0:
            self._select_row(0)

    def _update_empty_hint(self, *_args: object) -> None:
        """An empty list says why, so a search with no match does not look like a lost store."""
        empty = self.model.rowCount() == 0
        self.empty_hint.setVisible(empty)
        if not empty:
            return
        case_filter = FILTERS[self.filter_combo.currentIndex()]
        search = self.search_edit.text().strip()
        if search:
            which = "" if case_filter is CaseFilter.ALL else f"{case_filter.label.lower()} "
            text = f"No {which}cases match “{search}”."
            if case_filter is not CaseFilter.ALL:
                text += " Choose “All” under Show to search every case."
        else:
            text = f"No cases under “{case_filter.label}”."
        self.empty_hint.setText(text)
        self.empty_hint.setAccessibleName(text)

    def _on_search(self, text: str) -> None:
        self._keeping_selection(lambda: self.model.set_search(text), thorough=False)

    def _on_filter_index(self, index: int) -> None:
        case_filter = FILTERS[index]
        self._keeping_selection(lambda: self.model.set_filter(case_filter), thorough=False)

    def _show_filter_from_home(self, case_filter: CaseFilter) -> None:
        self.search_edit.clear()
        self.set_filter(case_filter)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_store_changed(self, _case_id: int | None = None) -> None:
        self._day = self._today()
        self._keeping_selection(self.model.refresh, thorough=True)
        self._show_counts(self.home.refresh())

    def _check_date(self) -> None:
        if self._today() != self._day:
            self._on_store_changed()

    def _keeping_selection(self, change: Callable[[], None], *, thorough: bool) -> None:
        """Apply a model change and keep the same case selected if it is still listed.

        After a filter or search change only the first page is looked at (it is fetched for
        display anyway); after a store change the row is looked up in SQL if need be.
        """
        case_id = self.selected_case_id()
        old_row = self.table.selectionModel().currentIndex().row()
        change()
        if case_id is None:
            return
        if thorough:
            row = self.model.row_of(case_id, hint=old_row)
        else:
            row = self.model.row_in_first_page(case_id)
        if row is not None:
            self._select_row(row, show=False)

    def _select_row(self, row: int, *, show: bool = True) -> None:
        index = self.model.index(row, 0)
        selection = self.table.selectionModel()
        if not show:
            selection.blockSignals(True)
        try:
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            selection.blockSignals(False)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        self.table.viewport().update()

    def _on_selection(self, *_args: object) -> None:
        case_id = self.selected_case_id()
        if case_id is not None:
            self.case_view.show_case(case_id)

    def _open_index(self, index: QModelIndex) -> None:
        """Enter or double-click: show the case and move the keyboard into it."""
        case_id = self.model.case_id(index.row())
        if case_id is None:
            return
        self.case_view.show_case(case_id)
        self.case_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.case_view.focusNextChild()

    def _show_counts(self, counts: dict[Urgency, int]) -> None:
        open_count = sum(n for urgency, n in counts.items() if urgency is not Urgency.CLOSED)
        text = (
            f"{open_count:,} open · {counts[Urgency.OVERDUE]:,} overdue · "
            f"{counts[Urgency.PAST_PROMISE]:,} past our promise · "
            f"{counts[Urgency.DUE_SOON]:,} due this week"
        )
        self.status_counts.setText(text)
        self.status_counts.setAccessibleDescription(text)
        self.counts = {
            "open": open_count,
            "overdue": counts[Urgency.OVERDUE],
            "past_promise": counts[Urgency.PAST_PROMISE],
            "due_this_week": counts[Urgency.DUE_SOON],
        }

    # -- state between runs ----------------------------------------------------------------

    def _restore_state(self) -> None:
        header = self.table.horizontalHeader()
        # Wide enough for every column at its first-run width beside the case view.
        self._side_by_side_width = (
            header.length() + 48 + self.case_view.minimumSizeHint().width() + 24
        )
        if not self.window_state.restore(self, self.splitter, header):
            self.resize(1280, 800)
        self.splitter.fit(self.width(), self._side_by_side_width)

    def save_state(self) -> None:
        self.window_state.save(self, self.splitter, self.table.horizontalHeader())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._side_by_side_width is not None:
            self.splitter.fit(self.width(), self._side_by_side_width)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self._midnight.stop()
            self.save_state()
            self.signals.case_changed.disconnect(self._on_store_changed)
            self.signals.cases_changed.disconnect(self._on_store_changed)
            self.store.close()
        super().closeEvent(event)


def _reopen(path: Path, today: Callable[[], date]) -> MainWindow:
    """A new window on the store at `path` (after File ▸ Encrypt the store replaced it)."""
    from ui.main import build_main_window

    return build_main_window(path, today=today)
