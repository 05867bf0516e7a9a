"""What a team member's role cannot do: out of sight, and said once where it is always seen.

`ui.store_opening.limit_to_role` turns off what the role may not do, each action's tooltip
saying why. That spares a refusal, but a caseworker still finds a Settings menu full of grey
entries, and a viewer's case view re-enables its buttons on every case it loads. Here, on a
team server:

- what only the DPO may do (settings, templates, the register, mail and reminder settings,
  retention and erasure, the verification key) is hidden for any other role, and a menu left
  with nothing in it goes too;
- a viewer's editing actions and buttons stay disabled, saying why, however often the case
  view or its tabs enable them again (their own logic knows nothing of roles);
- a permanent line in the status bar says what the role cannot do and why, so hidden
  actions are not a mystery ("Your role (caseworker) cannot change settings, …").

The server refuses all of it anyway (app.team.roles): this is courtesy, not the defence.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QLabel, QMainWindow, QMenu, QWidget

from app.permissions import Capability
from app.store import Store
from app.team.roles import TeamRole
from ui.store_opening import ROLE_ACTIONS

# What only the DPO may do, by capability (beyond ROLE_ACTIONS: the reminder settings write
# `reminders.*` and `notify.*` settings, which row security keeps to the DPO; the key dialog
# is for the role that may read the key).
DPO_ONLY: dict[Capability, tuple[str, ...]] = {
    Capability.CHANGE_SETTINGS: (
        *ROLE_ACTIONS[Capability.CHANGE_SETTINGS],
        "actionReminderSettings",
    ),
    Capability.ERASE: ROLE_ACTIONS[Capability.ERASE],
    Capability.VERIFY: (*ROLE_ACTIONS[Capability.VERIFY], "actionVerificationKey"),
}
# Short words for the status-bar line (the tooltips carry the full reasons).
CANNOT = {
    Capability.CHANGE_SETTINGS: "change settings",
    Capability.ERASE: "erase cases",
    Capability.VERIFY: "verify records",
}
# A viewer's editing actions outside the case view (every action inside it edits).
VIEWER_WINDOW_EDITS = ("actionNewRequest", "actionImportEmail")
# Buttons in the case view's tabs and the Today list that change the record; the rest
# only look.
VIEWER_BUTTON_EDITS = (
    "addNoteButton",
    "addAttachmentButton",
    "deleteAttachmentButton",
    "deleteIdDocumentsButton",
    "addDisclosureFilesButton",
    "addDisclosureMaterialButton",
    "addDisclosureFromSearchButton",
    "removeDisclosureItemButton",
    "saveDisclosureItemButton",
    "markReviewedButton",
    "withdrawRedactionButton",
    "portableExportButton",
    "saveBundleButton",
    "emailBundleButton",
    "todaySnoozeButton",
    "todayChasedButton",
)
LINE_STYLE = "color: #5c4400; padding: 0 6px;"


class RoleLimits(QObject):
    """Keeps a member's window within their role for as long as it is open."""

    def __init__(self, window: QMainWindow, store: Store, role: TeamRole) -> None:
        super().__init__(window)
        self.setObjectName("roleLimits")
        self.window = window
        self.role = role
        self.denied = {c: store.denies(c) for c in DPO_ONLY if store.denies(c)}
        self.viewer_reason = store.denies(Capability.WORK_ON_CASES)
        self.hidden = self._hide_dpo_only()
        self.kept_off: list[QAction | QAbstractButton] = []
        if self.viewer_reason:
            self._keep_edits_off()
        self.line = self._status_line()

    def _hide_dpo_only(self) -> list[QAction]:
        names = {name: why for c, why in self.denied.items() for name in DPO_ONLY[c]}
        hidden = []
        for action in self.window.findChildren(QAction):
            why = names.get(action.objectName())
            if why:
                action.setEnabled(False)
                action.setToolTip(why)
                action.setStatusTip(why)
                action.setVisible(False)
                hidden.append(action)
        for menu in self.window.menuBar().findChildren(QMenu):
            if not any(a.isVisible() and not a.isSeparator() for a in menu.actions()):
                menu.menuAction().setVisible(False)
        return hidden

    def _keep_edits_off(self) -> None:
        case_view: QWidget | None = getattr(self.window, "case_view", None)
        actions = [
            a
            for a in (case_view.findChildren(QAction) if case_view is not None else [])
            if a.objectName().startswith("action")
        ]
        actions += [
            a for a in self.window.findChildren(QAction) if a.objectName() in VIEWER_WINDOW_EDITS
        ]
        for action in actions:
            action.changed.connect(lambda a=action: self._hold_action(a))
            self._hold_action(action)
            self.kept_off.append(action)
        for button in self.window.findChildren(QAbstractButton):
            if button.objectName() in VIEWER_BUTTON_EDITS:
                button.installEventFilter(self)
                self._hold_button(button)
                self.kept_off.append(button)

    def _hold_action(self, action: QAction) -> None:
        # The case view sets its own enabled state and tooltip on every load: put ours
        # back (each set emits `changed` again, which then finds nothing to do).
        if action.isEnabled():
            action.setEnabled(False)
        if action.toolTip() != self.viewer_reason:
            action.setToolTip(self.viewer_reason)
            action.setStatusTip(self.viewer_reason)

    def _hold_button(self, button: QAbstractButton) -> None:
        if button.isEnabled():
            button.setEnabled(False)
        if button.toolTip() != self.viewer_reason:
            button.setToolTip(self.viewer_reason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.EnabledChange and isinstance(watched, QAbstractButton):
            self._hold_button(watched)
        return False

    def _status_line(self) -> QLabel | None:
        if self.viewer_reason:
            text = f"Your role ({self.role.label}) can read every case but change nothing."
        elif self.denied:
            cannot = [CANNOT[c] for c in self.denied]
            joined = ", ".join(cannot[:-1]) + (" or " if len(cannot) > 1 else "") + cannot[-1]
            text = f"Your role ({self.role.label}) cannot {joined}."
        else:
            return None
        line = QLabel(text)
        line.setObjectName("roleLimitsLabel")
        line.setAccessibleName(text)
        line.setTextFormat(Qt.TextFormat.PlainText)
        line.setStyleSheet(LINE_STYLE)
        reasons = [self.viewer_reason] if self.viewer_reason else list(self.denied.values())
        line.setToolTip("\n".join(dict.fromkeys(reasons)))
        self.window.statusBar().addPermanentWidget(line)
        return line


def limit_window(window: QMainWindow, store: Store) -> RoleLimits | None:
    """On a team server with a role below the DPO's, keep the window within it."""
    role: TeamRole | None = getattr(store, "role", None)
    if not store.on_server or role is None or role is TeamRole.DPO:
        return None
    return RoleLimits(window, store, role)
