"""File ▸ Retention… and Case ▸ Export case file…, as the DPO uses them."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from PySide6.QtCore import QSettings

from app import cases
from app.integrity.casefile_check import verify_case_file
from app.retention import ERASED_NAME
from app.store import Store
from tests.retention.test_erasure import CLOSED, Cases, close_three
from ui.main_window import MainWindow
from ui.retention_dialog import RetentionDialog
from ui.signals import StoreSignals

SHOTS = Path(os.environ.get("DSAR_DESK_SHOTS", "/tmp/dsar-desk-shots"))


@pytest.fixture
def closed(store: Store) -> Cases:
    return close_three(store)


def _window(qtbot, store: Store) -> MainWindow:  # type: ignore[no-untyped-def]
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "t", "w")
    window = MainWindow(store, StoreSignals(), settings, today=lambda: CLOSED)
    qtbot.addWidget(window)
    window.show()
    return window


def test_due_cases_are_listed_and_erased_when_confirmed(qtbot, store: Store, closed: Cases) -> None:  # type: ignore[no-untyped-def]
    later = CLOSED + relativedelta(years=2, days=1)
    signals = StoreSignals()
    dialog = RetentionDialog(store, signals, today=lambda: later)
    qtbot.addWidget(dialog)
    dialog.show()
    reference = cases.get_case(store, closed.zeb).reference
    # Zebedee's case file, and his passport scan (30 days after identity was verified).
    assert dialog.model.rowCount() == 2
    assert [dialog.model.data(dialog.model.index(r, 0)) for r in (0, 1)] == [reference] * 2
    assert "1 case file and 1 ID document." in dialog.summary.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "retention-due.png"))
    with qtbot.waitSignal(signals.cases_changed, timeout=20_000):
        dialog.erase(dialog.selected_rows())
    assert cases.get_case(store, closed.zeb).requester.name == ERASED_NAME
    assert dialog.model.rowCount() == 0
    assert dialog.summary.text().startswith("Erased 1 case file and 0 ID documents")  # with it


def test_the_policy_is_saved_from_the_dialog(qtbot, store: Store, closed: Cases) -> None:  # type: ignore[no-untyped-def]
    from app.domain import Outcome
    from app.retention import load_policy

    dialog = RetentionDialog(store, StoreSignals(), today=lambda: CLOSED + relativedelta(years=3))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2  # the case file and its ID document
    dialog.year_spins[Outcome.FULFILLED].setValue(4)
    assert dialog.save_policy()
    assert load_policy(store).fulfilled_years == 4
    assert dialog.model.rowCount() == 1  # only the ID document now


def test_export_case_file_from_the_case_menu(
    qtbot, store: Store, closed: Cases, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, store)
    assert window.action_export_case_file in window.menu_case.actions()
    window.select_case(closed.zeb)
    op = window.records.export_case_file(tmp_path / "zeb.zip")
    qtbot.waitUntil(lambda: not op.running, timeout=20_000)
    assert zipfile.is_zipfile(tmp_path / "zeb.zip")
    assert verify_case_file(tmp_path / "zeb.zip", store.chain.key()).accepted  # type: ignore[union-attr]
    assert "dsar-desk verify" in window.statusBar().currentMessage()
