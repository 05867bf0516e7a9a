"""Settings ▸ Reminders and notifications, driven by objectName: the intervals and the
digest address are kept in the store; a bad address is said at the field and saves nothing."""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QSpinBox, QTimeEdit

from app.notify import NotifySettings, load_notify_settings
from app.reminders import ReminderSettings, load_reminder_settings
from app.store import Store
from ui.reminder_settings_dialog import ReminderSettingsDialog
from ui.signals import StoreSignals


def open_dialog(qtbot, store: Store) -> ReminderSettingsDialog:  # type: ignore[no-untyped-def]
    dialog = ReminderSettingsDialog(store, StoreSignals(), tray_available=True)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_defaults_then_changes_are_saved(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, store)
    spin = {
        name: dialog.findChild(QSpinBox, name)
        for name in ("identityChaseSpin", "clarificationChaseSpin", "dueSoonSpin")
    }
    assert {n: s.value() for n, s in spin.items()} == {
        "identityChaseSpin": 10,
        "clarificationChaseSpin": 10,
        "dueSoonSpin": 5,
    }
    spin["identityChaseSpin"].setValue(7)
    spin["dueSoonSpin"].setValue(3)
    dialog.findChild(QTimeEdit, "notifyTimeEdit").setTime(QTime(8, 30))
    dialog.findChild(QCheckBox, "digestCheck").setChecked(True)
    address = dialog.findChild(QLineEdit, "digestAddressEdit")
    address.setText("not an address")
    dialog.findChild(QPushButton, "reminderSettingsOkButton").click()
    assert dialog.isVisible()  # stays open with what was typed
    error = dialog.findChild(QLabel, "digestAddressError")
    assert error.isVisible() and "Digest address" in error.text()
    assert load_notify_settings(store) == NotifySettings()  # nothing saved
    assert load_reminder_settings(store) == ReminderSettings()

    address.setText("dpo.self@example.co.uk")
    dialog.findChild(QPushButton, "reminderSettingsOkButton").click()
    assert not dialog.isVisible()
    assert load_reminder_settings(store) == ReminderSettings(identity_chase_days=7, due_soon_days=3)
    saved = load_notify_settings(store)
    assert (saved.notify_at, saved.digest_enabled, saved.digest_to) == (
        "08:30",
        True,
        "dpo.self@example.co.uk",
    )
    again = open_dialog(qtbot, store)
    assert again.findChild(QSpinBox, "identityChaseSpin").value() == 7
