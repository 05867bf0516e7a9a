"""The window over a team server hides what the member's role cannot do and says why: a
caseworker sees no settings, retention or verification, and a line in the status bar names
them; a viewer's every editing action and button stays off, with the reason, however often
the case view enables them again. Against a real PostgreSQL server, as each role."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu

from app import cases
from app.domain import Channel, RequestType
from app.readmodels import RequesterDetails
from app.store import open_store
from tests.engines import Cluster
from ui.main import build_main_window
from ui.main_window import MainWindow
from ui.team_limits import DPO_ONLY, VIEWER_BUTTON_EDITS

pytestmark = pytest.mark.server_only

DPO_ONLY_NAMES = sorted({name for names in DPO_ONLY.values() for name in names})


@pytest.fixture
def database(server_databases: Iterator[str]) -> str:
    return next(server_databases)


@pytest.fixture
def case_id(cluster: Cluster, database: str) -> int:
    store = open_store(cluster.url(database, "dsar_dpo"))
    try:
        ann = RequesterDetails(name="Ann Example", email="ann@example.org", postal_address="")
        return cases.log_request(
            store, ann, request_type=RequestType.ACCESS, channel=Channel.EMAIL, on=date.today()
        ).id
    finally:
        store.close()


def _window(qtbot, cluster: Cluster, database: str, role: str) -> MainWindow:  # type: ignore[no-untyped-def]
    window = build_main_window(cluster.url(database, role))
    qtbot.addWidget(window)
    window.show()
    return window


def _action(window: MainWindow, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def _line(window: MainWindow) -> QLabel | None:
    return window.statusBar().findChild(QLabel, "roleLimitsLabel")


def _shown_in_menus(window: MainWindow) -> set[str]:
    shown = set()
    for menu in window.menuBar().findChildren(QMenu):
        if menu.menuAction().isVisible():
            shown |= {a.objectName() for a in menu.actions() if a.isVisible()}
    return shown


def test_a_caseworker_sees_no_settings_retention_or_verification_and_is_told_why(
    qtbot, cluster: Cluster, database: str, case_id: int
) -> None:
    window = _window(qtbot, cluster, database, "dsar_caseworker")
    try:
        shown = _shown_in_menus(window)
        for name in DPO_ONLY_NAMES:
            action = _action(window, name)
            assert not action.isVisible() and not action.isEnabled(), name
            assert "only the DPO may" in action.toolTip(), name
            assert name not in shown, name
        assert not window.menu_settings.menuAction().isVisible()  # nothing left in it
        line = _line(window)
        assert line is not None and line.isVisible()
        assert line.text() == (
            "Your role (caseworker) cannot change settings, erase cases or verify records."
        )
        assert "dsar_caseworker" in line.toolTip() and "only the DPO may" in line.toolTip()
        # Case work is all there.
        window.select_case(case_id)
        for name in ("actionNewRequest", "actionAddNote", "actionLetters", "actionExtend"):
            assert _action(window, name).isEnabled(), name
        assert "actionConnectTeamServer" in shown
    finally:
        window.close()


def test_a_viewer_has_every_editing_action_off_with_the_reason_even_after_loading_a_case(
    qtbot, cluster: Cluster, database: str, case_id: int
) -> None:
    window = _window(qtbot, cluster, database, "dsar_viewer")
    try:
        window.select_case(case_id)
        window.case_view.show_case(case_id)  # again: the case view re-enables its actions
        qtbot.wait(50)
        edits = [
            a for a in window.case_view.findChildren(QAction) if a.objectName().startswith("action")
        ]
        edits += [_action(window, "actionNewRequest"), _action(window, "actionImportEmail")]
        assert len(edits) >= 15
        for action in edits:
            assert not action.isEnabled(), action.objectName()
            assert "viewer (dsar_viewer)" in action.toolTip(), action.objectName()
        buttons = [
            b for b in window.findChildren(QAbstractButton) if b.objectName() in VIEWER_BUTTON_EDITS
        ]
        assert {b.objectName() for b in buttons} == set(VIEWER_BUTTON_EDITS)
        for button in buttons:
            button.setEnabled(True)  # what a tab does when a row is selected
            assert not button.isEnabled(), button.objectName()
            assert "change nothing" in button.toolTip(), button.objectName()
        for name in DPO_ONLY_NAMES:
            assert not _action(window, name).isVisible(), name
        line = _line(window)
        assert line is not None and "Your role (viewer) can read every case" in line.text()
        # Reading stays: find, filters, today, reports, exports of the list.
        for name in ("actionFind", "actionToday", "actionReports", "actionExportCsv"):
            assert _action(window, name).isEnabled(), name
        assert window.case_view.isEnabled()
    finally:
        window.close()


def test_the_dpo_sees_everything_and_no_role_line(
    qtbot, cluster: Cluster, database: str, case_id: int
) -> None:
    window = _window(qtbot, cluster, database, "dsar_dpo")
    try:
        assert _line(window) is None
        for name in DPO_ONLY_NAMES:
            assert _action(window, name).isVisible(), name
        window.select_case(case_id)
        assert _action(window, "actionAddNote").isEnabled()
    finally:
        window.close()


def test_the_reminder_settings_hidden_from_a_caseworker_are_refused_by_the_server_too(
    cluster: Cluster, database: str
) -> None:
    """Why actionReminderSettings is among the DPO's: it writes `reminders.*` and `notify.*`
    settings, which row security keeps to the DPO."""
    from app.reminders import load_reminder_settings, save_reminder_settings
    from app.store import NotPermitted

    store = open_store(cluster.url(database, "dsar_caseworker"))
    try:
        with pytest.raises(NotPermitted, match="caseworker"):
            save_reminder_settings(store, load_reminder_settings(store))
    finally:
        store.close()
