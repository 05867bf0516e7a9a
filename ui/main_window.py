"""The window the DPO lives in: what needs attention, the case list, and the open case.

Layout: the home strip (counts that filter the list) on top; below it a splitter with the
search, the filter and the case table on the left and the case view on the right. The
window owns the open Store and closes it when it closes. Other parts of the app (letters,
email) add their actions in `_install_extensions`.

The window is built in two steps so that it is on screen at once (issue 14): `MainWindow`
without a store is the frame the DPO sees while the store opens (menus, search box, list
header, "Opening <file> …"), importing nothing of SQLAlchemy; `attach` then adds what
needs the store (counts, case view, the store's menu actions) and reads the first page of
whatever filter and search were chosen meanwhile. So this module imports the store's side
(and the case view, with letters and the disclosure set behind it) only inside `attach`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QMainWindow,
)

from app.domain import Urgency
from app.listing import CaseFilter
from app.store_errors import StoreError
from ui.case_table_model import CaseTableModel
from ui.main_window_frame import FILTERS, WindowFrame
from ui.signals import StoreSignals
from ui.window_state import WindowState

if TYPE_CHECKING:  # loaded by `attach`, once the window is on screen
    from app.readmodels import IntakeDraft
    from app.store import Store
    from ui.backup_actions import BackupActions
    from ui.case_view import CaseView
    from ui.home_view import HomeView
    from ui.ops import Op

_SETTINGS_GROUP = "mainWindow"


class MainWindow(WindowFrame, QMainWindow):
    """Home strip, case list and case view over one open store (or, until `attach`, the
    frame of them over the store being opened)."""

    # The first page of the list is on screen, the case view still to come (see ui.main).
    firstPageShown = Signal()

    # Set by `attach`; absent while the store opens (getattr(window, "store", None) asks).
    store: Store
    home: HomeView
    case_view: CaseView
    backup_actions: BackupActions
    store_banner: QLabel

    def __init__(
        self,
        store: Store | None,
        signals: StoreSignals,
        settings: QSettings,
        *,
        today: Callable[[], date] = date.today,
        store_path: Path | None = None,
    ) -> None:
        """With a store, the ready window; without one, the window over `store_path` while
        it opens, to `attach` the store to."""
        super().__init__()
        if store is not None:
            name = store.title  # a file's name, or a team server's address (no password)
        elif store_path is not None:
            name = Path(store_path).name
        else:
            raise ValueError("MainWindow needs its store, or the path of the one opening")
        self.setObjectName("mainWindow")
        self.setAccessibleName("DSAR Desk")
        self.setWindowTitle(f"DSAR Desk — {name}")
        self.signals = signals
        self.settings = settings
        self.window_state = WindowState(settings)
        self._side_by_side_width: int | None = None  # known once the case view is there
        self._today = today
        self._day = today()
        self._closed = False
        self._attached = False

        self.model = CaseTableModel(None, self, today=today)
        self._build_actions()
        self._build_central()
        self._build_menus()
        self.status_counts = QLabel(f"Opening {name} …", self)
        self.status_counts.setObjectName("statusCounts")
        self.status_counts.setAccessibleName("Case counts")
        self.statusBar().addWidget(self.status_counts)

        signals.case_changed.connect(self._on_store_changed)
        signals.cases_changed.connect(self._on_store_changed)
        self._midnight = QTimer(self)
        self._midnight.setInterval(60_000)
        self._midnight.timeout.connect(self._check_date)

        self._restore_state()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)  # the list has the keyboard on launch
        for action in (self.action_new_request, self.action_refresh):
            action.setEnabled(False)  # nothing to add to or reread until the store is open
        self.menu_case.setEnabled(False)
        if store is not None:
            self.attach(store)

    @property
    def attached(self) -> bool:
        """Whether the store is open in this window (False while it opens)."""
        return self._attached

    def attach(self, store: Store) -> None:
        """The store is open: add what needs it and show its first page, of the filter and
        search the DPO chose while it opened. The window owns the store from here on."""
        self.show_store(store)
        self.finish_attaching()

    def show_store(self, store: Store) -> None:
        """The first half of `attach`: the first page of the list, which is what the DPO
        waits for. `ui.main` lets it paint before `finish_attaching` counts the cases (a
        scan of every case: a quarter of a second at 1,000,000) and builds the case view
        and the store's menus (a few hundred milliseconds more)."""
        from ui.home_view import HomeView

        if getattr(self, "store", None) is not None:
            raise RuntimeError("this window has its store already")
        self.store = store
        self.setWindowTitle(f"DSAR Desk — {store.title}")
        self.home = HomeView(store, self, today=self._today)
        self.home.filterRequested.connect(self._show_filter_from_home)
        self._central_layout.insertWidget(0, self.home)  # blank tiles until counted
        self.model.attach(store)
        self.status_counts.setText("Counting cases …")

    def finish_attaching(self) -> None:
        """The second half of `attach`: the case view, the store's menus and actions."""
        from ui.backup_actions import install as install_backup_actions
        from ui.case_view import CaseView
        from ui.store_opening import disable_writing_actions, install_banner, limit_to_role
        from ui.team_limits import limit_window
        from ui.team_watch import watch_server

        store = self.store
        self._show_counts(self.home.refresh())
        self.case_view = CaseView(store, self.signals, self, today=self._today)
        self.splitter.replaceWidget(1, self.case_view).deleteLater()  # the placeholder
        self.splitter.setStretchFactor(1, 1)  # a stretch factor is the widget's, not the slot's
        self._install_store_menus(install_backup_actions)
        self.store_banner = install_banner(self, store)  # read-only, or the file gone
        for action in (self.action_new_request, self.action_refresh):
            action.setEnabled(True)
        self.menu_case.setEnabled(True)
        self._attached = True
        self._fit_splitter()
        self._midnight.start()
        self._install_extensions()
        disable_writing_actions(self, store)  # a read-only store: nothing to add
        limit_to_role(self, store)  # a team server: what this member's role may not do
        self.server_watch = watch_server(self, store, self.signals)  # and what others changed
        self.role_limits = limit_window(self, store)  # hidden or held off, said in one line
        self._update_empty_hint()
        self._on_selection()  # a case chosen while the case view was still to come

    # -- construction (the frame: ui.main_window_frame) ------------------------------------

    def _install_store_menus(
        self, install_backup_actions: Callable[[MainWindow], BackupActions]
    ) -> None:
        # Back up now, Copy a backup to…, Restore from backup… (before Quit).
        self.backup_actions = install_backup_actions(self)
        self.action_restore = self.backup_actions.action_restore
        # The case shown may not exist in the backup.
        self.backup_actions.restored.connect(lambda: self.case_view.show_case(None))
        # The case view's own actions, so each step can also be found from the menu bar.
        for action in self.case_view.toolbar.actions():
            if action.isSeparator():
                self.menu_case.addSeparator()
            elif action.objectName():
                self.menu_case.addAction(action)

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

        if self._closed or not self._attached or self.store.read_only:
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
        empty = self.model.rowCount() == 0 and self._attached  # opening: the status says so
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
        if not self._attached:
            return
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
        if case_id is not None and self._attached:  # the case view comes last (attach)
            self.case_view.show_case(case_id)

    def _open_index(self, index: QModelIndex) -> None:
        """Enter or double-click: show the case and move the keyboard into it."""
        case_id = self.model.case_id(index.row())
        if case_id is None or not self._attached:
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
        """Size and columns as the DPO left them, before the window is first shown."""
        if not self.window_state.restore(self, self.splitter, self.table.horizontalHeader()):
            self.resize(1280, 800)

    def _fit_splitter(self) -> None:
        """Beside or under the list, once the case view's width is known (see attach)."""
        # Wide enough for every column at its first-run width beside the case view.
        header = self.table.horizontalHeader()
        self._side_by_side_width = (
            header.length() + 48 + self.case_view.minimumSizeHint().width() + 24
        )
        self.splitter.fit(self.width(), self._side_by_side_width)

    def save_state(self) -> None:
        if not self._attached:  # the splitter holds a placeholder: keep what was saved
            return
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
            if self._attached:
                self.store.close()
        super().closeEvent(event)


def _reopen(path: Path, today: Callable[[], date]) -> MainWindow:
    """A new window on the store at `path` (after File ▸ Encrypt the store replaced it)."""
    from ui.main import build_main_window

    return build_main_window(path, today=today)
