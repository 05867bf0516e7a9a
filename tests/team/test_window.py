"""The window over a team server: opened from `--store postgresql://…`, titled by the server
address (never the password), and what the member's role may not do is off, saying why."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from app import cases
from app.domain import Channel, RequestType
from app.integrity.keys import read_key_file
from app.readmodels import RequesterDetails
from app.store import open_store
from tests.engines import PASSWORD, Cluster
from ui.main import build_main_window, choose_store_path
from ui.main_window import MainWindow

pytestmark = pytest.mark.server_only

SETTINGS_ACTIONS = ("actionOrgSettings", "actionEditTemplates", "actionSystemsRegister")


@pytest.fixture
def database(server_databases: Iterator[str]) -> str:
    return next(server_databases)


def _window(qtbot, url: str) -> MainWindow:  # type: ignore[no-untyped-def]
    window = build_main_window(choose_store_path(url))
    qtbot.addWidget(window)
    return window


def _action(window: MainWindow, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def test_a_server_address_is_kept_whole_from_the_option_and_the_environment() -> None:
    url = "postgresql://bob@db.example.org/dsar"
    assert choose_store_path(url, {}) == url
    assert choose_store_path(None, {"DSAR_DESK_STORE": url}) == url


def test_a_caseworker_window_offers_case_work_and_says_why_settings_are_off(
    qtbot, cluster: Cluster, database: str
) -> None:
    window = _window(qtbot, cluster.url(database, "dsar_caseworker"))
    try:
        assert database in window.windowTitle() and PASSWORD not in window.windowTitle()
        assert _action(window, "actionNewRequest").isEnabled()
        for name in (
            *SETTINGS_ACTIONS,
            "actionRetention",
            "actionVerifyRecords",
            "actionExportVerificationKey",
        ):
            action = _action(window, name)
            assert not action.isEnabled(), name
            assert "caseworker" in action.toolTip(), name
        backup = _action(window, "actionBackUpNow")
        assert not backup.isEnabled() and "pg_dump" in backup.toolTip()
        note = window.findChild(QLabel, "recordsUnverifiableLabel")
        assert note is not None and "only the DPO" in note.text()
    finally:
        window.close()
        window.store.close()


def test_the_dpo_window_offers_everything_the_server_does_not_keep(
    qtbot, cluster: Cluster, database: str, tmp_path: Path
) -> None:
    window = _window(qtbot, cluster.url(database, "dsar_dpo"))
    try:
        for name in (
            *SETTINGS_ACTIONS,
            "actionRetention",
            "actionVerifyRecords",
            "actionExportVerificationKey",
        ):
            assert _action(window, name).isEnabled(), name
        assert not _action(window, "actionVerificationKey").isEnabled()
        # The DPO exports the server's key (Settings > Export verification key…).
        exported = window.records.export_server_key(tmp_path / "team.key")
        assert exported is not None and read_key_file(exported)[1] == window.store.chain.key()
        # SQLCipher encrypts a store file on this computer; the server's store is no file.
        encrypt = _action(window, "actionEncryptStore")
        assert not encrypt.isEnabled() and "not a file on this computer" in encrypt.toolTip()
    finally:
        window.close()
        window.store.close()


def test_the_list_and_the_open_case_follow_a_colleagues_changes_within_seconds(
    qtbot, cluster: Cluster, database: str
) -> None:
    window = _window(qtbot, cluster.url(database, "dsar_dpo"))
    colleague = open_store(cluster.url(database, "dsar_caseworker"))
    ann = RequesterDetails(name="Ann Example", email="ann@example.org", postal_address="")
    try:
        assert window.model.rowCount() == 0
        case_id = cases.log_request(
            colleague,
            ann,
            request_type=RequestType.ACCESS,
            channel=Channel.EMAIL,
            on=date.today(),
        ).id
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
        seen: list[int] = []
        window.signals.case_changed.connect(seen.append)
        cases.add_note(colleague, case_id, "Rang the requester.")
        qtbot.waitUntil(lambda: case_id in seen, timeout=10_000)
    finally:
        colleague.close()
        window.close()
        window.store.close()
