"""Settings ▸ Reminders and notifications: when to chase, how far ahead to warn, the daily
notification time, the digest email and closing to the tray."""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import DomainError
from app.notify import NotifySettings, load_notify_settings, save_notify_settings
from app.reminders import ReminderSettings, load_reminder_settings, save_reminder_settings
from app.store import Store, StoreError
from ui.forms import (
    FieldError,
    SubmitDialog,
    add_field,
    default_ok,
    name_buttons,
    name_widget,
    plain_label,
)
from ui.signals import StoreSignals


def _days(object_name: str, accessible_name: str, value: int) -> QSpinBox:
    spin = QSpinBox()
    name_widget(spin, object_name, accessible_name)
    spin.setRange(1, 60)
    spin.setSuffix(" working days")
    spin.setValue(value)
    return spin


class ReminderSettingsDialog(SubmitDialog):
    def __init__(
        self,
        store: Store,
        signals: StoreSignals,
        parent: QWidget | None = None,
        *,
        tray_available: bool = False,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "reminderSettingsDialog", "Reminders and notifications")
        self.setWindowTitle("Reminders and notifications")
        self.setMinimumWidth(520)
        self.store = store
        self.signals = signals
        reminders = load_reminder_settings(store)
        notify = load_notify_settings(store)

        chase = QGroupBox("Reminders")
        form = QFormLayout(chase)
        self.identity_spin = _days(
            "identityChaseSpin", "Chase proof of identity after", reminders.identity_chase_days
        )
        self.clarification_spin = _days(
            "clarificationChaseSpin",
            "Chase clarification after",
            reminders.clarification_chase_days,
        )
        self.due_soon_spin = _days(
            "dueSoonSpin", "Warn of a deadline this far ahead", reminders.due_soon_days
        )
        self.searches_spin = _days(
            "searchesDaysSpin",
            "Remind of unfinished searches this far ahead",
            reminders.searches_days,
        )
        add_field(form, "Chase &ID after:", self.identity_spin)
        add_field(form, "Chase c&larification after:", self.clarification_spin)
        add_field(form, "Warn of deadlines &within:", self.due_soon_spin)
        add_field(form, "Unfinished &searches within:", self.searches_spin)

        outside = QGroupBox("Outside the window")
        form2 = QFormLayout(outside)
        self.time_edit = QTimeEdit(QTime.fromString(notify.notify_at, "HH:mm"))
        name_widget(self.time_edit, "notifyTimeEdit", "Daily notification time")
        self.time_edit.setDisplayFormat("HH:mm")
        self.desktop_check = QCheckBox("Show a &desktop notification each day at this time")
        name_widget(self.desktop_check, "desktopNotificationCheck", "Daily desktop notification")
        self.desktop_check.setChecked(notify.desktop_notification)
        self.digest_check = QCheckBox("Email me a daily &digest (references and dates only)")
        name_widget(self.digest_check, "digestCheck", "Daily digest email")
        self.digest_check.setChecked(notify.digest_enabled)
        self.digest_edit = QLineEdit(notify.digest_to)
        name_widget(self.digest_edit, "digestAddressEdit", "Digest address")
        self.digest_edit.setPlaceholderText("your own address, e.g. dpo@example.co.uk")
        self.digest_error = FieldError("digestAddressError")
        self.tray_check = QCheckBox("&Keep running in the tray when the window is closed")
        name_widget(self.tray_check, "closeToTrayCheck", "Keep running in the tray")
        self.tray_check.setChecked(
            tray_available if notify.close_to_tray is None else notify.close_to_tray
        )
        self.tray_check.setEnabled(tray_available)
        if not tray_available:
            self.tray_check.setToolTip("This desktop has no notification area (tray).")
        add_field(form2, "Each day &at:", self.time_edit)
        form2.addRow("", self.desktop_check)
        form2.addRow("", self.digest_check)
        add_field(form2, "Digest &to:", self.digest_edit, self.digest_error)
        form2.addRow("", self.tray_check)
        note = plain_label(
            "The digest goes through the SMTP server of the mail settings and lists case "
            "references, what is due and when, never a requester's name.",
        )
        name_widget(note, "digestNoteLabel", "What the digest holds")
        form2.addRow(note)

        layout = QVBoxLayout(self)
        layout.addWidget(chase)
        layout.addWidget(outside)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        default_ok(self.buttons, "&Save")
        name_buttons(self.buttons, "reminderSettings")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.digest_check.toggled.connect(self.digest_edit.setEnabled)
        self.digest_edit.setEnabled(notify.digest_enabled)
        self.submit = self._save
        self._tray_available = tray_available

    def reminder_settings(self) -> ReminderSettings:
        return ReminderSettings(
            identity_chase_days=self.identity_spin.value(),
            clarification_chase_days=self.clarification_spin.value(),
            due_soon_days=self.due_soon_spin.value(),
            searches_days=self.searches_spin.value(),
        )

    def notify_settings(self) -> NotifySettings:
        return NotifySettings(
            notify_at=self.time_edit.time().toString("HH:mm"),
            desktop_notification=self.desktop_check.isChecked(),
            digest_enabled=self.digest_check.isChecked(),
            digest_to=self.digest_edit.text().strip(),
            close_to_tray=self.tray_check.isChecked() if self._tray_available else None,
        )

    def _save(self) -> bool:
        try:
            save_notify_settings(self.store, self.notify_settings())
            save_reminder_settings(self.store, self.reminder_settings())
        except (DomainError, StoreError) as error:
            self.digest_error.show_problem(str(error))
            self.fit_height()
            return False
        self.signals.settings_changed.emit()
        self.signals.cases_changed.emit()  # the Today view counts again with the new rules
        return True
