"""Wiring of issue 12 into the main window: Today, Reports, the suppression list, exports,
reminder settings and the tray. The main window calls `install(window)` once; everything
here talks to it only through its public parts (store, signals, menus, select_case)."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.private_files import write_private_file
from app.settings import load_settings
from ui.date_range_bar import DateRangeBar
from ui.forms import name_buttons, name_widget, show_error
from ui.ops import Op, run_with_progress
from ui.today_view import TodayView
from ui.tray import Tray

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class TodayWindow(QDialog):
    """The Today view in a window of its own, opened from View ▸ Today or the tray."""

    def __init__(self, view: TodayView, parent: QWidget) -> None:
        super().__init__(parent)
        name_widget(self, "todayWindow", "Today")
        self.setWindowTitle("Today — DSAR Desk")
        self.setWindowFlag(Qt.WindowType.Window)
        self.resize(900, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        name_buttons(buttons, "today")
        buttons.rejected.connect(self.hide)
        layout.addWidget(buttons)


class Insight(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("insight")
        self.window = window
        store, signals, today = window.store, window.signals, window._today
        self.today_view = TodayView(store, signals, today=today)
        self.today_view.openCaseRequested.connect(self.open_case)
        self.today_window = TodayWindow(self.today_view, window)
        self.tray = Tray(window, store, today=today)
        self.tray.openTodayRequested.connect(self.show_today)
        self.today_view.remindersShown.connect(self._show_count)
        window.action_quit.triggered.disconnect()
        window.action_quit.triggered.connect(self.tray.quit)
        self.reports_window: QWidget | None = None
        self.suppression_window: QWidget | None = None
        self._build_actions()
        self._add_date_range()
        window.installEventFilter(self)  # runs before the tray's filter and the window's close

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.finish_work()
        return super().eventFilter(watched, event)

    def finish_work(self) -> None:
        """Let background reads, exports and a digest still running finish before the window
        closes the store under them (each is short, or shows its own progress)."""
        for op in self.window.findChildren(Op):
            if op.running:
                loop = QEventLoop()
                op.finished.connect(loop.quit)
                if op.running:
                    loop.exec()

    def _action(self, text: str, name: str, slot, shortcut: str = "") -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self.window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        w = self.window
        self.action_today = self._action("&Today…", "actionToday", self.show_today, "Ctrl+T")
        self.action_today.setToolTip("What needs doing today and soon (Ctrl+T)")
        self.action_reports = self._action(
            "&Reports…", "actionReports", self.show_reports, "Ctrl+Shift+R"
        )
        self.action_suppressions = self._action(
            "&Suppression list…", "actionSuppressionList", self.show_suppressions
        )
        self.action_export_csv = self._action(
            "Export list as &CSV…", "actionExportCsv", lambda: self.export_list("csv")
        )
        self.action_export_xlsx = self._action(
            "Export list as E&xcel…", "actionExportXlsx", lambda: self.export_list("xlsx")
        )
        self.action_export_record = self._action(
            "Export case &record…", "actionExportRecord", self.export_record
        )
        self.action_settings = self._action(
            "&Reminders and notifications…", "actionReminderSettings", self.show_settings
        )
        w.menu_view.insertAction(w.menu_view.actions()[0], self.action_today)
        menu = w.menuBar().addMenu("&Reports")
        menu.setObjectName("menuReports")
        menu.addActions([self.action_reports, self.action_suppressions])
        w.menuBar().insertMenu(w.menu_settings.menuAction(), menu)
        quit_index = w.menu_file.actions().index(w.action_quit)
        w.menu_file.insertActions(
            w.menu_file.actions()[quit_index - 1],
            [self.action_export_csv, self.action_export_xlsx],
        )
        w.menu_case.addSeparator()
        w.menu_case.addAction(self.action_export_record)
        w.menu_settings.addAction(self.action_settings)
        w.toolbar.addAction(self.action_today)
        button = w.toolbar.widgetForAction(self.action_today)
        name_widget(button, "todayButton", "Today")
        w.toolbar.addAction(self.action_reports)
        button = w.toolbar.widgetForAction(self.action_reports)
        name_widget(button, "reportsButton", "Reports")

    def _add_date_range(self) -> None:
        """A "Dates" toggle beside the filter opens the date range under the search box;
        closing it again shows any dates (hidden, it takes no room in a small window)."""
        w = self.window
        self.date_range = DateRangeBar()
        self.date_range.setVisible(False)
        pane = w.findChild(QWidget, "casesPane")
        layout = pane.layout()
        layout.insertWidget(1, self.date_range)
        self.date_toggle = QPushButton("&Dates…")
        name_widget(self.date_toggle, "dateRangeToggle", "Show cases between two dates")
        self.date_toggle.setCheckable(True)
        self.date_toggle.setAutoDefault(False)
        self.date_toggle.toggled.connect(self._toggle_dates)
        layout.itemAt(0).layout().addWidget(self.date_toggle)
        self.date_range.changed.connect(self._apply_date_range)
        chain = [
            w.filter_combo,
            self.date_toggle,
            self.date_range.field_combo,
            self.date_range.from_edit,
            self.date_range.to_edit,
            self.date_range.clear_button,
            w.table,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _toggle_dates(self, shown: bool) -> None:
        self.date_range.setVisible(shown)
        if shown:
            self.date_range.field_combo.setFocus()
        else:
            self.date_range.clear()

    def _apply_date_range(self) -> None:
        w = self.window
        query = self.date_range.applied_to(w.model.query)
        if query != w.model.query:
            w._keeping_selection(lambda: w.model.set_query(query), thorough=False)

    # -- Today ------------------------------------------------------------------------------

    def _show_count(self, count: int) -> None:
        self.action_today.setText(f"&Today ({count})")
        button = self.window.toolbar.widgetForAction(self.action_today)
        if button is not None:
            button.setAccessibleName(f"Today: {count} to do")
        self.tray.show_count(count)

    def show_today(self) -> None:
        self.tray.show_window()
        self.today_window.show()
        self.today_window.raise_()
        self.today_view.table.setFocus()

    def open_case(self, case_id: int) -> None:
        self.tray.show_window()
        self.window.select_case(case_id)

    # -- windows ----------------------------------------------------------------------------

    def show_reports(self) -> QWidget:
        from ui.reports_window import ReportsWindow

        if self.reports_window is None:
            window = ReportsWindow(
                self.window.store, self.window.signals, self.window, today=self.window._today
            )
            window.setWindowFlag(Qt.WindowType.Window)
            window.openCaseRequested.connect(self.open_case)
            self.reports_window = window
        self.reports_window.show()
        self.reports_window.raise_()
        return self.reports_window

    def show_suppressions(self) -> QWidget:
        from ui.suppression_window import SuppressionWindow

        if self.suppression_window is None:
            window = SuppressionWindow(self.window.store, self.window.signals, self.window)
            window.openCaseRequested.connect(self.open_case)
            self.suppression_window = window
        self.suppression_window.show()
        self.suppression_window.raise_()
        return self.suppression_window

    def show_settings(self) -> QDialog:
        from ui.reminder_settings_dialog import ReminderSettingsDialog

        dialog = ReminderSettingsDialog(
            self.window.store, self.window.signals, self.window, tray_available=self.tray.available
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    # -- exports ----------------------------------------------------------------------------

    def export_list(self, kind: str, path: Path | None = None) -> Op | None:
        """Export the list as it is shown (filter, search, dates, order) in the background."""
        w = self.window
        if path is None:
            name = f"dsar-cases-{date.today().isoformat()}.{kind}"
            filters = "CSV files (*.csv)" if kind == "csv" else "Excel workbooks (*.xlsx)"
            chosen, _ = QFileDialog.getSaveFileName(
                w, "Export the list", str(Path.home() / name), filters
            )
            if not chosen:
                return None
            path = Path(chosen)
        from app.exports.register import export_csv, export_xlsx  # first use: not at start

        store, query, today = w.store, w.model.query, w._today()
        export = export_csv if kind == "csv" else export_xlsx

        def done(count: int) -> None:
            w.statusBar().showMessage(f"Exported {count:,} cases to {path}", 15_000)

        def failed(error: Exception) -> None:
            if isinstance(error, OSError):
                show_error(w, "Export", f"The file could not be written: {error.strerror or error}")
            else:
                show_error(w, "Export", str(error))

        def cancelled() -> None:
            w.statusBar().showMessage("Export cancelled; no file was written.", 10_000)

        op = run_with_progress(
            w,
            f"Exporting the list to {path.name}…",
            lambda progress: export(store, query, path, today=today, progress=progress),
            success=done,
            failure=failed,
            cancelled=cancelled,
            object_name="exportProgressDialog",
        )
        self.export_op = op
        return op

    def export_record(self, path: Path | None = None) -> Path | None:
        """The open case's full record as PDF or JSON (by the file's suffix)."""
        w = self.window
        case_id = w.case_view.case_id
        if case_id is None:
            show_error(w, "Export case record", "Open a case first.")
            return None
        detail = w.case_view.detail
        if path is None:
            suggested = Path.home() / f"{detail.reference if detail else 'case'}-record.pdf"
            chosen, _ = QFileDialog.getSaveFileName(
                w, "Export case record", str(suggested), "PDF (*.pdf);;JSON (*.json)"
            )
            if not chosen:
                return None
            path = Path(chosen)
        # Imported on first use: reportlab and the letters' fonts are not needed at start.
        from app.exports.record import case_record, case_record_json, case_record_pdf

        record = case_record(w.store, case_id)
        if path.suffix.lower() == ".json":
            content = case_record_json(record)
        else:
            content = case_record_pdf(record, org_name=load_settings(w.store).org_name)
        try:
            write_private_file(path, content)
        except OSError as error:
            show_error(
                w, "Export case record", f"The file could not be written: {error.strerror or error}"
            )
            return None
        w.statusBar().showMessage(
            f"Saved the record of {record['case']['reference']} to {path}", 15_000
        )
        return path


def install(window: MainWindow) -> Insight:
    window.insight = Insight(window)  # type: ignore[attr-defined]
    return window.insight  # type: ignore[attr-defined]
