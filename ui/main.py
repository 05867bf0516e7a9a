"""Start-up: choose the store, check there is a screen, open the window.

`build_main_window` is what both `main()` and the tests use, so the window under test is the
window the DPO gets. The store is opened here (never at import time) and handed down.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt and the store load only once we know there is a screen
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

STORE_ENV = "DSAR_DESK_STORE"
BACKUP_OP = "dailyBackupOp"
APP_NAME = "dsar-desk"


def default_store_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "dsar-desk.sqlite"


def choose_store_path(option: str | None, environ: dict[str, str] | None = None) -> Path:
    """`--store`, else `DSAR_DESK_STORE`, else the platform's user data folder."""
    environ = dict(os.environ) if environ is None else environ
    if option:
        return Path(option).expanduser()
    if environ.get(STORE_ENV):
        return Path(environ[STORE_ENV]).expanduser()
    return default_store_path()


def no_display_message(environ: dict[str, str] | None = None) -> str | None:
    """On Linux without X11/Wayland, Qt would abort; say how to run the app instead."""
    environ = dict(os.environ) if environ is None else environ
    if not sys.platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "dsar-desk: no display found (DISPLAY and WAYLAND_DISPLAY are unset); run it in a "
        "desktop session, or headless with: xvfb-run dsar-desk"
    )


def window_settings() -> QSettings:
    """Where window geometry is remembered (an INI file in the user's config folder)."""
    from PySide6.QtCore import QSettings

    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, "window")


def build_main_window(store_path: Path, *, today: Callable[[], date] = date.today) -> MainWindow:
    """Open the store and return the ready (not yet shown) main window that owns it.

    Raises app.store.StoreError, without writing to the file, if the store cannot be used.
    """
    from app.store import open_store
    from ui.fonts import register_bundled_fonts
    from ui.main_window import MainWindow
    from ui.signals import StoreSignals

    register_bundled_fonts()
    store = open_store(store_path)
    try:
        signals = StoreSignals()
        window = MainWindow(store, signals, window_settings(), today=today)
    except BaseException:
        store.close()
        raise
    signals.setParent(window)
    return window


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="dsar-desk",
        description="Log data subject requests, track their deadlines and produce letters.",
    )
    parser.add_argument(
        "--store",
        metavar="PATH",
        help=f"the store file (default: ${STORE_ENV}, else {default_store_path()})",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a throw-away store filled with invented demo cases",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check that this installed copy works (temporary store, letters, email, "
        "fonts, main window offscreen), print one line and exit 0, or 1 with the reason",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    started = launch(sys.argv[1:] if argv is None else argv)
    if isinstance(started, int):
        return started
    window, demo_folder = started
    from PySide6.QtWidgets import QApplication

    _quit_on_termination(window)
    try:
        return QApplication.exec()
    finally:
        _finish_backup(window)
        window.close()
        window.deleteLater()
        if demo_folder is not None:
            demo_folder.cleanup()


def launch(argv: list[str]) -> tuple[MainWindow, tempfile.TemporaryDirectory[str] | None] | int:
    """Everything `main()` does before the event loop: the shown window (and the demo's
    throw-away folder, to delete on exit), or the exit code when there is nothing to show."""
    args = _parse(argv)
    if args.self_test:
        from ui.self_test import run_self_test

        return run_self_test()
    message = no_display_message()
    if message:
        print(message, file=sys.stderr)
        return 2

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.store import StoreError

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    app.setApplicationName("DSAR Desk")
    demo_folder = tempfile.TemporaryDirectory(prefix="dsar-desk-demo-") if args.demo else None
    if demo_folder is not None:
        store_path = Path(demo_folder.name) / "demo.sqlite"
        _fill_demo(store_path)
    else:
        store_path = choose_store_path(args.store)
    try:
        window = build_main_window(store_path)
    except StoreError as error:
        QMessageBox.critical(None, "DSAR Desk cannot open the store", str(error))
        if demo_folder is not None:
            demo_folder.cleanup()
        return 1
    if demo_folder is not None:
        window.setWindowTitle(f"{window.windowTitle()} (demo data)")
    window.show()
    if demo_folder is None:
        QTimer.singleShot(0, lambda: take_daily_backup(window))  # once the window is up
    return window, demo_folder


def _quit_on_termination(window: MainWindow) -> None:
    """Ctrl+C in the terminal or a session's SIGTERM closes the window properly (layout
    saved, store closed, demo folder deleted) instead of killing the process mid-way."""
    import signal

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: QApplication.quit())
    # Python runs signal handlers only between bytecodes; wake it now and then.
    ticker = QTimer(window)
    ticker.timeout.connect(lambda: None)
    ticker.start(300)


def take_daily_backup(window: MainWindow) -> None:
    """The first start of the day copies the store to backups/, off the UI thread (a large
    store takes a noticeable moment); a failure is said in the status bar, not fatal."""
    from app.backups import daily_backup
    from ui.ops import run_in_background

    store = window.store  # the worker gets the store, never the window

    def done(taken: Path | None) -> None:
        if taken is not None:
            window.statusBar().showMessage(f"Backed up the store to {taken.parent}", 10_000)
            window.records.daily_check()  # the day's first start: check the records too

    def failed(error: Exception) -> None:
        from PySide6.QtWidgets import QMessageBox

        from app.store import CorruptStore, StoreError

        if isinstance(error, CorruptStore):
            # Damage found by the daily check must not hide in the status bar.
            QMessageBox.warning(window, "The store needs attention", str(error))
        reason = error.reason if isinstance(error, StoreError) else str(error)
        window.statusBar().showMessage(f"Today's backup of the store failed: {reason}")

    op = run_in_background(window, lambda: daily_backup(store), success=done, failure=failed)
    op.setObjectName(BACKUP_OP)


def _finish_backup(window: MainWindow) -> None:
    """Let a backup that is still copying finish before the process ends (else half a file)."""
    from PySide6.QtCore import QEventLoop, QObject

    for op in window.findChildren(QObject, BACKUP_OP):
        if getattr(op, "running", False):
            loop = QEventLoop()
            op.finished.connect(loop.quit)
            if op.running:
                loop.exec()


def _fill_demo(store_path: Path) -> None:
    from app.demo import fill_demo
    from app.store import open_store

    store = open_store(store_path)
    try:
        fill_demo(store)
    finally:
        store.close()
