"""Deciding, at start, which store to open and how: a missing store is never silently
replaced by an empty one, and a store that is read-only (or in use by another desk) shows
a banner saying so above everything else.

A store counts as "used before" when this user opened it before (remembered in the app's
settings) or when backups of it lie beside it. Such a store that is missing is asked about:
locate it, create a new empty one (said plainly), or quit. A path never used before is a
first start, and the store is created as always.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox, QWidget

from app.backups import list_backups
from app.permissions import Capability
from app.store import Store, StoreError, StoreGone

KNOWN_KEY = "stores/known"
KNOWN_KEPT = 20
BANNER_STYLE = (
    "background: #fff4ce; color: #3b2c00; border-bottom: 1px solid #d9b200; padding: 8px;"
)
GONE_STYLE = "background: #fde7e9; color: #5c0008; border-bottom: 1px solid #a4000f; padding: 8px;"


class Missing(Enum):
    LOCATE = "locate"
    CREATE = "create"
    QUIT = "quit"


def _key(path: Path) -> str:
    return os.path.normcase(str(Path(path).expanduser().absolute()))


def remember_store(settings: QSettings, path: Path) -> None:
    known = [p for p in _known(settings) if p != _key(path)]
    settings.setValue(KNOWN_KEY, [_key(path), *known][:KNOWN_KEPT])
    settings.sync()


def used_before(settings: QSettings, path: Path) -> bool:
    """Opened before by this user, or backed up beside where it should be."""
    return _key(path) in _known(settings) or bool(list_backups(Path(path).absolute()))


def _known(settings: QSettings) -> list[str]:
    value = settings.value(KNOWN_KEY, [])
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value or []]


def ask_about_missing_store(path: Path, parent: QWidget | None = None) -> Missing:
    """The store this desk used is not there: never make an empty one without asking."""
    box = QMessageBox(parent)
    box.setObjectName("storeMissingBox")
    box.setAccessibleName("The store is missing")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("DSAR Desk: the store is missing")
    box.setTextFormat(Qt.TextFormat.PlainText)
    has_backups = bool(list_backups(path))
    box.setText(
        f"The store DSAR Desk used before is not where it was:\n{path}\n\n"
        "It may have been moved or deleted, or be on a drive that is not connected. Locate "
        "it, or start a new, empty store there"
        + (
            " (its backups are in the 'backups' folder beside it, and can be restored into "
            "the new store with File → Restore from backup…)."
            if has_backups
            else "."
        )
    )
    locate = box.addButton("&Locate the store…", QMessageBox.ButtonRole.AcceptRole)
    locate.setObjectName("locateStoreButton")
    create = box.addButton("Create a &new empty store", QMessageBox.ButtonRole.DestructiveRole)
    create.setObjectName("createStoreButton")
    quit_button = box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    quit_button.setObjectName("quitButton")
    box.setDefaultButton(locate)
    box.exec()
    clicked = box.clickedButton()
    if clicked is locate:
        return Missing.LOCATE
    if clicked is create:
        return Missing.CREATE
    return Missing.QUIT


def ask_store_file(parent: QWidget | None, near: Path) -> str:
    folder = near.parent if near.parent.is_dir() else Path.home()
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Locate the store", str(folder), "DSAR Desk stores (*.sqlite);;All files (*)"
    )
    return chosen


def store_to_open(settings: QSettings, path: Path) -> tuple[Path, bool] | None:
    """(path, create) for the store to open, or None when the DPO chose to quit."""
    path = Path(path).expanduser().absolute()
    if path.exists() or not used_before(settings, path):
        return path, True
    while True:
        answer = ask_about_missing_store(path)
        if answer is Missing.CREATE:
            return path, True
        if answer is Missing.QUIT:
            return None
        chosen = ask_store_file(None, path)
        if chosen:
            return Path(chosen), False


def window_for(store_path: Path) -> QMainWindow | None:
    """The window of this process already showing the store at `store_path`, if any."""
    from PySide6.QtWidgets import QApplication

    try:
        wanted = os.stat(store_path)
    except OSError:
        return None
    for widget in QApplication.topLevelWidgets():
        store = getattr(widget, "store", None)
        if (
            isinstance(widget, QMainWindow)
            and isinstance(store, Store)
            and widget.isVisible()
            and store.identity == (wanted.st_dev, wanted.st_ino)
        ):
            return widget
    return None


def install_banner(window: QMainWindow, store: Store) -> QLabel:
    """A strip above the window's content: read-only (and why), or the store file gone."""
    banner = QLabel(window)
    banner.setObjectName("storeBanner")
    banner.setTextFormat(Qt.TextFormat.PlainText)  # it quotes paths and host names
    banner.setWordWrap(True)
    central = window.centralWidget()
    layout = central.layout() if central is not None else None
    if layout is not None:
        layout.insertWidget(0, banner)  # type: ignore[attr-defined]
    if store.read_only:
        _show(banner, f"Read-only: {store.read_only_reason}", BANNER_STYLE)
    else:
        banner.setVisible(False)
    actions = getattr(window, "backup_actions", None)
    if actions is not None:
        actions.troubleFound.connect(
            lambda error: show_gone(banner, error) if isinstance(error, StoreGone) else None
        )
    return banner


def disable_writing_actions(window: QMainWindow, store: Store) -> None:
    """On a read-only store, the actions that only add (a request, an imported email) are
    off from the start, saying why; the rest refuse with the same reason if tried."""
    if not store.read_only:
        return
    for name in ("action_new_request", "action_import_email"):
        action = getattr(window, name, None)
        if action is not None:
            action.setEnabled(False)
            action.setToolTip("The store is open read-only: " + store.read_only_reason)


# What each capability covers in the window (actions by their objectName).
ROLE_ACTIONS = {
    Capability.CHANGE_SETTINGS: (
        "actionOrgSettings",
        "actionEditTemplates",
        "actionSystemsRegister",
        "actionMailSettings",
    ),
    Capability.ERASE: ("actionRetention",),
    Capability.VERIFY: (
        "actionVerifyRecords",
        "actionExportCaseFile",
        "actionExportVerificationKey",
    ),
}
# On a team server these are the server's business, whatever the role.
_SERVER_BACKUPS = "A team server's backups are the server's own (pg_dump; README: Team mode)."
SERVER_KEEPS = {
    "actionBackUpNow": _SERVER_BACKUPS,
    "actionCopyBackup": _SERVER_BACKUPS,
    "actionRestoreBackup": "A team server is restored by whoever looks after it (pg_restore).",
    "actionVerificationKey": (
        "On a team server the verification key stays on the server; the DPO can export a "
        "copy (Export verification key…) to check case files offline."
    ),
}


def limit_to_role(window: QMainWindow, store: Store) -> None:
    """On a team server, the actions the member's role may not take are off, each saying
    why; the server refuses them anyway (app.team.roles), this only spares a refusal."""
    if not store.on_server:
        return
    reasons = dict(SERVER_KEEPS)
    for capability, names in ROLE_ACTIONS.items():
        denied = store.denies(capability)
        if denied:
            reasons.update(dict.fromkeys(names, denied))
    for action in window.findChildren(QAction):
        reason = reasons.get(action.objectName())
        if reason:
            action.setEnabled(False)
            action.setToolTip(reason)
            action.setStatusTip(reason)


def show_gone(banner: QLabel, error: StoreError) -> None:
    _show(banner, error.reason, GONE_STYLE)


def _show(banner: QLabel, text: str, style: str) -> None:
    banner.setText(text)
    banner.setAccessibleName(text)
    banner.setStyleSheet(style)
    banner.setVisible(True)
