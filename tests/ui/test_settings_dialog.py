"""The organisation settings dialog: every field edited and saved, the logo checked as it is
chosen, the change announced."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
)
from pytestqt.qtbot import QtBot

from app.settings import OrgSettings, load_settings, save_settings
from app.store import Store, open_store
from tests.conftest import write_lock_held
from tests.letters.test_tricky import png_logo
from ui.settings_dialog import SettingsDialog
from ui.signals import StoreSignals


@pytest.fixture
def dialog(qtbot: QtBot, store: Store) -> SettingsDialog:
    save_settings(store, OrgSettings(org_name="Northwind Ltd"))  # the dialog needs a name
    widget = SettingsDialog(store, StoreSignals())
    qtbot.addWidget(widget)
    return widget


def _line(dialog: SettingsDialog, name: str) -> QLineEdit:
    widget = dialog.findChild(QLineEdit, name)
    assert widget is not None, name
    assert widget.accessibleName()
    return widget


def _text(dialog: SettingsDialog, name: str) -> QPlainTextEdit:
    widget = dialog.findChild(QPlainTextEdit, name)
    assert widget is not None, name
    assert widget.accessibleName()
    return widget


def test_edits_every_setting_and_announces_it(
    qtbot: QtBot, dialog: SettingsDialog, store: Store, tmp_path: Path
) -> None:
    assert dialog.objectName() == "settingsDialog"
    _line(dialog, "orgNameEdit").setText("  <b>Acme</b> & Co Ltd ")
    _text(dialog, "orgAddressEdit").setPlainText("1 Quay Street\nBristol\nBS1 4DJ")
    _line(dialog, "orgEmailEdit").setText("privacy@acme.example")
    _line(dialog, "orgPhoneEdit").setText("0117 496 0000")
    _line(dialog, "dpoNameEdit").setText("Ελένη Παπαδοπούλου")
    _line(dialog, "dpoTitleEdit").setText("Head of Privacy")
    for name in (
        "purposesEdit",
        "categoriesEdit",
        "recipientsEdit",
        "retentionEdit",
        "sourceEdit",
        "automatedDecisionsEdit",
    ):
        _text(dialog, name).setPlainText(f"text of {name}")
    region = dialog.findChild(QComboBox, "regionCombo")
    assert region is not None and region.count() == 3
    region.setCurrentIndex(region.findData("scotland"))
    promise = dialog.findChild(QSpinBox, "promiseSpinBox")
    assert promise is not None
    promise.setValue(28)
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_logo())
    dialog._ask_logo_path = lambda: str(logo)  # type: ignore[method-assign]
    chooser = dialog.findChild(QPushButton, "chooseLogoButton")
    assert chooser is not None and chooser.accessibleName() == "Choose logo"
    chooser.click()
    assert not dialog.logo_error.isVisibleTo(dialog)
    assert not dialog.logo_preview.pixmap().isNull()
    dialog.show()
    dialog.grab().save(str(tmp_path / "settings_dialog.png"))

    signals = dialog.signals
    with qtbot.waitSignal(signals.settings_changed):
        dialog.accept()
    saved = load_settings(store)
    assert saved.org_name == "<b>Acme</b> & Co Ltd"
    assert saved.org_address == "1 Quay Street\nBristol\nBS1 4DJ"
    assert (saved.org_email, saved.org_phone) == ("privacy@acme.example", "0117 496 0000")
    assert (saved.dpo_name, saved.dpo_title) == ("Ελένη Παπαδοπούλου", "Head of Privacy")
    assert saved.region == "scotland" and saved.promise_days == 28
    assert saved.logo == png_logo()
    assert saved.retention == "text of retentionEdit"
    assert saved.automated_decisions == "text of automatedDecisionsEdit"


def test_a_file_that_is_not_png_or_jpeg_is_refused_with_a_clear_message(
    dialog: SettingsDialog, tmp_path: Path
) -> None:
    bogus = tmp_path / "logo.gif"
    bogus.write_bytes(b"GIF89a not really")
    dialog._ask_logo_path = lambda: str(bogus)  # type: ignore[method-assign]
    dialog.choose_logo_button.click()
    assert dialog.logo_error.isVisibleTo(dialog)
    assert dialog.logo_error.text() == "The logo must be a PNG or JPEG image; this file is neither."
    assert dialog.logo is None


def test_remove_logo(dialog: SettingsDialog, store: Store, qtbot: QtBot) -> None:
    assert dialog.set_logo(png_logo())
    dialog.accept()
    again = SettingsDialog(store, StoreSignals())
    qtbot.addWidget(again)
    assert again.logo == png_logo() and again.remove_logo_button.isEnabled()
    again.remove_logo_button.click()
    again.accept()
    assert load_settings(store).logo is None


def test_an_empty_organisation_name_keeps_the_dialog_open(
    qtbot: QtBot, dialog: SettingsDialog, store: Store
) -> None:
    _line(dialog, "orgNameEdit").setText("   ")
    with qtbot.assertNotEmitted(dialog.signals.settings_changed):
        dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "name is needed" in dialog.error.text()
    assert load_settings(store).org_name == "Northwind Ltd"


def test_article_15_fields_are_reachable_by_keyboard_and_say_what_the_law_asks(
    dialog: SettingsDialog,
) -> None:
    labels = {
        label.buddy().objectName(): label.text()
        for label in dialog.findChildren(QLabel)
        if label.buddy() is not None
    }
    for name in ("purposesEdit", "recipientsEdit", "retentionEdit", "automatedDecisionsEdit"):
        assert "&" in labels[name], name  # Alt+letter reaches it, as on the other tabs
        assert "&" not in _text(dialog, name).accessibleName()
    recipients = _text(dialog, "recipientsEdit").placeholderText()
    assert "outside the UK" in recipients and "safeguards" in recipients  # Art. 15(1)(c), (2)
    assert "logic involved" in _text(dialog, "automatedDecisionsEdit").placeholderText()


def test_no_logo_note_wraps_rather_than_being_cut_off(dialog: SettingsDialog) -> None:
    dialog.resize(600, 500)
    dialog.show()
    assert dialog.logo_preview.text().startswith("No logo")
    assert dialog.logo_preview.wordWrap()


def test_a_locked_store_keeps_the_dialog_open_with_the_reason(
    qtbot: QtBot, store_path: Path, store: Store
) -> None:
    impatient = open_store(store_path, busy_timeout_ms=100)
    widget = SettingsDialog(impatient, StoreSignals())
    qtbot.addWidget(widget)
    widget.show()
    _line(widget, "orgNameEdit").setText("Acme Ltd")
    try:
        with write_lock_held(store_path):  # another program holds the write lock
            widget.accept()
            assert widget.isVisible()  # what was typed is still there
            assert "locked by another program" in widget.error.text()
    finally:
        impatient.close()
    assert load_settings(store).org_name != "Acme Ltd"
