"""The systems register window, driven by its objectNames: list, add, edit, retire and
reinstate; a refused entry keeps the dialog open with what was typed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
)

from app.domain import RequestType
from app.store import Store
from app.systems import Identifier, list_systems, system_history
from tests.conftest import TODAY
from tests.systems.test_register import POLICY
from tests.ui.mnemonics import clashing_mnemonics
from tests.ui.test_case_view import child, find_window, ok_of, wait_window
from ui.main import build_main_window
from ui.register_window import RegisterWindow
from ui.signals import StoreSignals

SHOTS = Path(os.environ.get("DSAR_SCREENSHOTS", "/nonexistent-screenshots-folder"))


def window(qtbot, store: Store) -> RegisterWindow:  # type: ignore[no-untyped-def]
    shown = RegisterWindow(store, StoreSignals())
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def names(register: RegisterWindow) -> list[str]:
    table = child(register, QTableView, "systemsTable")
    return [table.model().index(r, 0).data() for r in range(table.model().rowCount())]


def press(qtbot, register: RegisterWindow, name: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(child(register, QAbstractButton, name), Qt.MouseButton.LeftButton)


def test_the_register_lists_the_policy_systems(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    register = window(qtbot, store)  # opens at 1200 × 560
    assert names(register) == POLICY
    table = child(register, QTableView, "systemsTable")
    analytics = table.model().index(6, 3).data()
    assert analytics == "Cannot be searched"
    assert table.model().index(0, 4).data() == "All types"
    assert table.model().index(6, 5).data() == "Yes"
    assert "added" in child(register, QLabel, "registerChangedLabel").text()
    assert not table.horizontalScrollBar().isVisible(), "every column is in view"
    if SHOTS.is_dir():
        register.grab().save(str(SHOTS / "systems_register.png"))


def test_add_a_system_refused_then_saved(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    register = window(qtbot, store)
    press(qtbot, register, "addSystemButton")
    dialog = wait_window(qtbot, "systemDialog")
    child(dialog, QLineEdit, "systemNameEdit").setText("Payroll <Sage> & “HR” 🧾")
    child(dialog, QCheckBox, "systemOutsideUkCheck").setChecked(True)  # no safeguard yet
    child(dialog, QCheckBox, "identifierEmailCheck").setChecked(True)
    child(dialog, QCheckBox, "systemTypeAccessCheck").setChecked(True)
    child(dialog, QCheckBox, "systemTypeErasureCheck").setChecked(True)
    child(dialog, QPlainTextEdit, "systemHowToSearchEdit").setPlainText("Employee search")
    qtbot.mouseClick(ok_of(dialog), Qt.MouseButton.LeftButton)
    error = child(dialog, QLabel, "systemErrorLabel")
    assert dialog.isVisible() and "safeguard" in error.text()
    child(dialog, QPlainTextEdit, "systemSafeguardEdit").setPlainText("UK adequacy regulations")
    qtbot.mouseClick(ok_of(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    added = list_systems(store)[-1]
    assert added.name == "Payroll <Sage> & “HR” 🧾"
    assert added.identifiers == (Identifier.EMAIL,)
    assert added.request_types == (RequestType.ACCESS, RequestType.ERASURE)
    assert (added.outside_uk, added.transfer_safeguard) == (True, "UK adequacy regulations")
    assert names(register)[-1] == added.name
    assert register.selected().id == added.id


def test_edit_retire_and_reinstate(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    register = window(qtbot, store)
    register.table.selectRow(3)
    phone = register.selected()
    assert phone.name == "Telephone system"
    press(qtbot, register, "editSystemButton")
    dialog = wait_window(qtbot, "systemDialog")
    child(dialog, QLineEdit, "systemRetentionEdit").setText("Recordings 30 days")
    qtbot.mouseClick(ok_of(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert list_systems(store)[3].retention == "Recordings 30 days"
    assert register.selected().id == phone.id

    press(qtbot, register, "retireSystemButton")
    dialog = wait_window(qtbot, "retireSystemDialog")
    child(dialog, QPlainTextEdit, "noteEdit").setPlainText("Replaced by Teams calling.")
    qtbot.mouseClick(ok_of(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "Telephone system" not in names(register)
    child(register, QCheckBox, "showRetiredCheck").setChecked(True)
    assert "Telephone system (retired)" in names(register)
    register.table.selectRow(names(register).index("Telephone system (retired)"))
    assert not child(register, QAbstractButton, "retireSystemButton").isEnabled()
    press(qtbot, register, "reinstateSystemButton")
    assert "Telephone system" in names(register)
    assert [h.action for h in system_history(store, phone.id)] == [
        "added",
        "edited",
        "retired",
        "reinstated",
    ]


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking
def test_the_settings_menu_opens_one_register(qtbot, demo_store_path: Path) -> None:  # type: ignore[no-untyped-def]
    main = build_main_window(demo_store_path, today=lambda: TODAY)
    qtbot.addWidget(main)
    main.show()
    action = main.findChild(type(main.action_systems_register), "actionSystemsRegister")
    assert action in main.menu_settings.actions()
    action.trigger()
    first = wait_window(qtbot, "registerWindow")
    action.trigger()
    assert find_window("registerWindow") is first  # raised, not opened twice
    first.close()
    qtbot.waitUntil(lambda: find_window("registerWindow") is None)
    action.trigger()
    assert wait_window(qtbot, "registerWindow") is not first


def test_the_letter_can_take_article_15_from_the_register(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from ui.settings_dialog import REGISTER_FIELDS, SettingsDialog

    dialog = SettingsDialog(store, StoreSignals())
    qtbot.addWidget(dialog)
    dialog.show()
    check = child(dialog, QCheckBox, "article15FromRegisterCheck")
    assert not check.isChecked()
    assert all(dialog.texts[field].isEnabled() for field in REGISTER_FIELDS)
    check.setChecked(True)
    assert not any(dialog.texts[field].isEnabled() for field in REGISTER_FIELDS)
    assert dialog.texts["source"].isEnabled()  # the register does not say where data came from
    assert dialog.values().article_15_from_register is True
    child(dialog, QLineEdit, "orgNameEdit").setText("Northwind IT Services Ltd")
    qtbot.mouseClick(ok_of(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    from app.settings import load_settings

    assert load_settings(store).article_15_from_register is True


def test_no_letter_reaches_two_places_in_the_register_or_its_dialog(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTabWidget

    register = window(qtbot, store)
    assert clashing_mnemonics(register) == []
    press(qtbot, register, "editSystemButton")
    dialog = wait_window(qtbot, "systemDialog")
    tabs = child(dialog, QTabWidget, "systemTabs")
    for page in range(tabs.count()):
        tabs.setCurrentIndex(page)
        clashes = clashing_mnemonics(dialog)
        assert not clashes, f"{tabs.tabText(page)}: Alt+{clashes} reach two places"
    dialog.reject()
