"""Issue 12 from the main window, by objectName: the Today action and the tray show the day's
count; View ▸ Today lists it and opens a case in the main window; Reports and the suppression
list open from their menu actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QPushButton, QTableView, QWidget

from app.reminders import ReminderKind
from tests import handworked
from tests.handworked import TODAY
from ui.main import build_main_window


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking
def test_today_count_tray_and_windows_from_the_menus(qtbot, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids, references = handworked.build_file(store_path)
    c16 = references["C16"]
    window = build_main_window(store_path, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    today_action = window.findChild(QAction, "actionToday")
    # 8 to do on Wed 25 Nov (tests/reminders/test_reminders.py lists them by hand).
    qtbot.waitUntil(lambda: today_action.text() == "&Today (8)", timeout=15_000)
    tray = window.insight.tray
    assert tray.icon.toolTip() == "DSAR Desk: 8 reminders to do today"

    today_action.trigger()
    today_window = window.findChild(QWidget, "todayWindow")
    assert today_window.isVisible()
    view = today_window.findChild(QWidget, "todayView")
    table = view.findChild(QTableView, "todayTable")
    row = next(
        n
        for n, r in enumerate(view.model.rows())
        if (r.case_id, r.kind) == (ids["C16"], ReminderKind.IDENTITY_CHASE)
    )
    table.selectRow(row)
    view.findChild(QPushButton, "todayOpenButton").click()
    assert window.selected_case_id() == ids["C16"]
    assert window.case_view.detail is not None and window.case_view.detail.reference == c16

    window.findChild(QAction, "actionReports").trigger()
    reports = window.findChild(QWidget, "reportsWindow")
    assert reports is not None and reports.isVisible()
    window.findChild(QAction, "actionSuppressionList").trigger()
    suppression = window.findChild(QDialog, "suppressionWindow")
    assert suppression is not None and suppression.isVisible()
