"""First start: on a store with no organisation details a short welcome asks for them; until
they are in, no letter carries a placeholder or a gap."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
)
from pytestqt.qtbot import QtBot

from app import cases
from app.demo import fill_demo
from app.domain import Channel, RequestType
from app.letters import generate_letter
from app.readmodels import CaseDetail, RequesterDetails
from app.settings import MissingLetterhead, load_settings, save_settings
from app.store import open_store
from tests.conftest import TODAY
from tests.letters.conftest import ORG
from ui.main import launch
from ui.main_window import MainWindow
from ui.welcome_dialog import WelcomeDialog

# Screenshots for a human to look at, only when asked: DSAR_SCREENSHOTS=/some/folder.
SHOTS = Path(os.environ.get("DSAR_SCREENSHOTS", "/nonexistent-screenshots-folder"))


def _start(qtbot: QtBot, store_path: Path) -> MainWindow:
    started = launch(["--store", str(store_path)])
    assert not isinstance(started, int)
    window, _demo = started
    qtbot.addWidget(window)
    return window


def _welcome(qtbot: QtBot, window: MainWindow) -> QDialog:
    qtbot.waitUntil(lambda: window.findChild(QDialog, "welcomeDialog") is not None)
    dialog = window.findChild(QDialog, "welcomeDialog")
    assert isinstance(dialog, WelcomeDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _access_request(window: MainWindow) -> CaseDetail:
    return cases.log_request(
        window.store,
        RequesterDetails(name="Zoë Adeyemi", email="zoe@example.org", postal_address="1 A St"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=TODAY,
        today=TODAY,
    )


def _assert_not_welcomed(qtbot: QtBot, store_path: Path) -> None:
    window = _start(qtbot, store_path)
    qtbot.wait(50)  # the welcome would open once the event loop runs
    assert window.findChild(QDialog, "welcomeDialog") is None
    window.close()


def _fill(dialog: QDialog) -> None:
    lines = {
        "orgNameEdit": ORG.org_name,
        "orgEmailEdit": ORG.org_email,
        "orgPhoneEdit": ORG.org_phone,
        "dpoNameEdit": ORG.dpo_name,
        "dpoTitleEdit": "Head of Privacy",
    }
    for name, value in lines.items():
        dialog.findChild(QLineEdit, name).setText(value)
    dialog.findChild(QPlainTextEdit, "orgAddressEdit").setPlainText(ORG.org_address)
    region = dialog.findChild(QComboBox, "regionCombo")
    region.setCurrentIndex(region.findData("scotland"))
    dialog.findChild(QSpinBox, "promiseSpinBox").setValue(28)


def test_first_start_asks_for_the_organisation_and_saves_it(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    window = _start(qtbot, path)
    dialog = _welcome(qtbot, window)
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    # Every field the issue lists, by its stable name.
    for kind, name in (
        (QLineEdit, "orgNameEdit"),
        (QPlainTextEdit, "orgAddressEdit"),
        (QLineEdit, "orgEmailEdit"),
        (QLineEdit, "orgPhoneEdit"),
        (QLineEdit, "dpoNameEdit"),
        (QLineEdit, "dpoTitleEdit"),
        (QComboBox, "regionCombo"),
        (QSpinBox, "promiseSpinBox"),
    ):
        assert dialog.findChild(kind, name) is not None, name
    region = dialog.findChild(QComboBox, "regionCombo")
    assert [region.itemText(i) for i in range(region.count())] == [
        "England and Wales",
        "Scotland",
        "Northern Ireland",
    ]
    assert dialog.findChild(QLineEdit, "orgNameEdit").text() == ""  # no placeholder name
    _fill(dialog)
    with qtbot.waitSignal(window.signals.settings_changed):
        dialog.findChild(QPushButton, "welcomeOkButton").click()
    assert not dialog.isVisible()

    saved = load_settings(window.store)
    assert (saved.org_name, saved.org_email, saved.dpo_title) == (
        ORG.org_name,
        ORG.org_email,
        "Head of Privacy",
    )
    assert (saved.region, saved.promise_days) == ("scotland", 28)
    case = _access_request(window)
    assert generate_letter(window.store, case.id, "acknowledgement", today=TODAY).version == 1
    window.close()

    _assert_not_welcomed(qtbot, path)  # the next start goes straight to the desk


def test_every_missing_detail_is_named_and_nothing_is_saved(qtbot: QtBot, tmp_path: Path) -> None:
    window = _start(qtbot, tmp_path / "new.sqlite")
    dialog = _welcome(qtbot, window)
    dialog.findChild(QLineEdit, "dpoTitleEdit").clear()
    dialog.findChild(QPushButton, "welcomeOkButton").click()
    assert dialog.isVisible()
    for name in ("orgName", "orgAddress", "orgEmail", "orgPhone", "dpoName", "dpoTitle"):
        error = dialog.findChild(QLabel, f"{name}ErrorLabel")
        assert error is not None and error.isVisibleTo(dialog), name
        assert error.text() == "Needed: every letter prints it."
    assert dialog.focusWidget() is dialog.findChild(QLineEdit, "orgNameEdit")
    _fill(dialog)
    dialog.findChild(QLineEdit, "orgEmailEdit").setText("privacy at northwind")
    dialog.findChild(QPushButton, "welcomeOkButton").click()
    assert dialog.isVisible()
    email_error = dialog.findChild(QLabel, "orgEmailErrorLabel")
    assert "not a valid email address" in email_error.text()
    assert load_settings(window.store).org_name == ""
    window.close()


def test_later_leaves_letters_refused_until_the_details_are_in(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = _start(qtbot, tmp_path / "new.sqlite")
    dialog = _welcome(qtbot, window)
    later = dialog.findChild(QPushButton, "welcomeCancelButton")
    assert later.text().replace("&", "") == "Later"
    later.click()
    assert not dialog.isVisible()
    case = _access_request(window)
    with pytest.raises(MissingLetterhead, match="organisation name"):
        generate_letter(window.store, case.id, "acknowledgement", today=TODAY)
    window.close()


def test_a_store_holding_the_old_placeholder_is_welcomed(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    store = open_store(path)
    save_settings(store, replace(ORG, org_name="Your Organisation Ltd"))
    store.close()
    window = _start(qtbot, path)
    dialog = _welcome(qtbot, window)
    assert dialog.findChild(QLineEdit, "orgNameEdit").text() == ""
    assert dialog.findChild(QLineEdit, "orgEmailEdit").text() == ORG.org_email  # kept
    window.close()


def test_a_store_with_its_details_and_the_demo_are_not_welcomed(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "ready.sqlite"
    store = open_store(path)
    fill_demo(store, today=TODAY, count=3)
    store.close()
    _assert_not_welcomed(qtbot, path)


def test_screenshot_of_the_welcome(qtbot: QtBot, tmp_path: Path) -> None:
    window = _start(qtbot, tmp_path / "new.sqlite")
    dialog = _welcome(qtbot, window)
    _fill(dialog)
    dialog.findChild(QLineEdit, "orgPhoneEdit").clear()
    dialog.findChild(QPushButton, "welcomeOkButton").click()  # shows how a gap is named
    assert dialog.width() <= 800 and dialog.height() <= 760  # fits a 1280x800 laptop
    image = dialog.grab()
    assert not image.isNull()
    if SHOTS.is_dir():
        image.save(str(SHOTS / "welcome_dialog.png"))
    window.close()
