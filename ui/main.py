"""Start-up: choose the store, check there is a screen, open the window.

`build_main_window` is what both `main()` and the tests use, so the window under test is the
window the DPO gets. The store is opened here (never at import time) and handed down.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt and the store load only once we know there is a screen
    from PySide6.QtCore import QSettings

    from app.store import Store
    from ui.main_window import MainWindow

STORE_ENV = "DSAR_DESK_STORE"
APP_NAME = "dsar-desk"


def default_store_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "dsar-desk.sqlite"


def choose_store_path(option: str | None, environ: dict[str, str] | None = None) -> Path | str:
    """`--store`, else `DSAR_DESK_STORE`, else the platform's user data folder. A team
    server's `postgresql://` address is kept as the text it is (README: Team mode)."""
    environ = dict(os.environ) if environ is None else environ
    chosen = option or environ.get(STORE_ENV)
    if chosen and "://" in chosen:
        return chosen
    if chosen:
        return Path(chosen).expanduser()
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


def build_main_window(
    store_path: Path | str,
    *,
    today: Callable[[], date] = date.today,
    create: bool = True,
    read_only_reason: str = "",
) -> MainWindow:
    """Open the store and return the ready (not yet shown) main window that owns it.

    Raises app.store.StoreError, without writing to the file, if the store cannot be used.
    A `read_only_reason` opens it read-only (another desk has it), saying why.
    """
    from app.store import open_store

    store = open_store(
        store_path,
        create=create,
        read_only=bool(read_only_reason),
        read_only_reason=read_only_reason,
    )
    return window_over(store, today=today)


def window_over(store: Store, *, today: Callable[[], date] = date.today) -> MainWindow:
    """The main window that owns an open store (closed again if the window cannot be
    built): `build_main_window`'s second half, and what File ▸ Connect to a team server…
    uses once its worker thread has opened the store."""
    from ui.fonts import register_bundled_fonts
    from ui.main_window import MainWindow
    from ui.signals import StoreSignals

    register_bundled_fonts()
    try:
        signals = StoreSignals()
        window = MainWindow(store, signals, window_settings(), today=today)
    except BaseException:
        store.close()
        raise
    signals.setParent(window)
    return window


def _open_on_server(address: str) -> tuple[MainWindow, None] | int:
    """The window over a team server's store: the server keeps the locks, the backups and
    the verification key, so none of the desk's file handling applies."""
    from PySide6.QtWidgets import QMessageBox

    from app.store import StoreError

    try:
        window = build_main_window(address)
    except StoreError as error:
        QMessageBox.critical(None, "DSAR Desk cannot open the team's store", str(error))
        return 1
    from ui.team_connect import remember_server

    remember_server(window_settings(), window.store.address)  # type: ignore[attr-defined]
    window.show()
    return window, None


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
        "fonts, main window offscreen, a disclosure bundle), print one line and exit 0, or 1 "
        "with the reason",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["verify"]:  # `dsar-desk verify FILE.zip`: no window, no store
        from app.integrity.casefile_check import main as verify_case_file

        return verify_case_file(arguments[1:])
    if arguments[:1] == ["team"]:  # `dsar-desk team init|add-member|import`: no window
        from app.team.cli import main as team

        return team(arguments[1:])
    started = launch(sys.argv[1:] if argv is None else argv)
    if isinstance(started, int):
        return started
    window, demo_folder = started
    import shiboken6
    from PySide6.QtWidgets import QApplication

    from app.private_temp import remove_process_folder

    _quit_on_termination(window)
    previous_hook = sys.excepthook
    sys.excepthook = report_without_personal_data
    try:
        return QApplication.exec()
    finally:
        sys.excepthook = previous_hook
        from ui.store_encryption import reopened_windows
        from ui.team_connect import opened_windows

        # The first window, unless File ▸ Encrypt the store replaced it by another, and any
        # a team server's store opened in (File ▸ Connect to a team server…).
        shown_windows = [w for w in (window,) if shiboken6.isValid(w)]
        for shown in shown_windows + reopened_windows() + opened_windows():
            _finish_backup(shown)
            shown.close()
            shown.deleteLater()
        if demo_folder is not None:
            demo_folder.cleanup()
        with contextlib.suppress(Exception):
            remove_process_folder()


def report_without_personal_data(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """An unexpected error goes to stderr as its type and where it happened, never its
    message: messages of database and parsing errors can quote names and addresses."""
    import traceback

    lines = traceback.format_tb(trace) if trace is not None else []
    print(
        f"dsar-desk: unexpected {kind.__module__}.{kind.__qualname__} (message withheld: it "
        "may hold personal data)\n" + "".join(lines),
        file=sys.stderr,
    )


def launch(argv: list[str]) -> tuple[MainWindow, tempfile.TemporaryDirectory[str] | None] | int:
    """Everything `main()` does before the event loop: the shown window (and the demo's
    throw-away folder, to delete on exit), or the exit code when there is nothing to show."""
    args = _parse(argv)
    if args.self_test:
        try:
            from ui.self_test import run_self_test
        except Exception as error:  # a module or native library this copy lacks: the answer
            print(
                f"dsar-desk self-test FAILED at start: {type(error).__name__}: {error}",
                file=sys.stderr,
            )
            return 1
        return run_self_test()
    message = no_display_message()
    if message:
        print(message, file=sys.stderr)
        return 2

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.private_temp import empty_left_behind
    from app.store import StoreError
    from ui.single_instance import Claim, StoreClaim
    from ui.store_opening import remember_store, store_to_open, window_for

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    app.setApplicationName("DSAR Desk")
    with contextlib.suppress(Exception):  # copies a crashed run left behind; never fatal
        empty_left_behind()
    demo_folder = tempfile.TemporaryDirectory(prefix="dsar-desk-demo-") if args.demo else None
    if demo_folder is not None:
        store_path = Path(demo_folder.name) / "demo.sqlite"
        _fill_demo(store_path)
        opening: tuple[Path, bool] | None = (store_path, True)
    else:
        chosen = choose_store_path(args.store)
        if isinstance(chosen, str):  # a team server: no file to claim, back up or remember
            return _open_on_server(chosen)
        opening = store_to_open(window_settings(), chosen)
        if opening is None:
            return 1  # the DPO chose to quit rather than replace a missing store
    store_path, create = opening
    running = window_for(store_path)
    if running is not None:  # this process shows it already: one window per store
        running.raise_()
        running.activateWindow()
        return 0
    claim = StoreClaim(store_path) if demo_folder is None else None
    claimed = claim.claim() if claim is not None else Claim.OURS
    if claimed is Claim.RAISED:
        print(f"dsar-desk: {store_path} is already open; its window was brought to the front.")
        return 0
    read_only_reason = (
        f"The store is open in {claim.holder}, so it is open read-only here: nothing can be "
        "changed in this window. Close the other one to work here."
        if claim is not None and claimed is Claim.ELSEWHERE
        else ""
    )
    try:
        window = _open_asking_passphrase(store_path, create, read_only_reason)
    except StoreError as error:
        if claim is not None:
            claim.release()
        QMessageBox.critical(None, "DSAR Desk cannot open the store", str(error))
        if demo_folder is not None:
            demo_folder.cleanup()
        return 1
    if claim is not None:
        claim.setParent(window)
        claim.watch_window(window)
        window.store_claim = claim  # type: ignore[attr-defined]
    if demo_folder is None:
        remember_store(window_settings(), window.store.path)
    if demo_folder is not None:
        window.setWindowTitle(f"{window.windowTitle()} (demo data)")
    window.show()
    QTimer.singleShot(0, window.welcome_if_needed)  # first start: who is answering?
    if demo_folder is None:
        QTimer.singleShot(0, lambda: take_daily_backup(window))  # once the window is up
    return window, demo_folder


def _open_asking_passphrase(store_path: Path, create: bool, read_only_reason: str) -> MainWindow:
    """build_main_window, asking for the recovery passphrase while an encrypted store's key
    is not on this computer; Cancel gives the StoreKeyNeeded to say."""
    from app.store import StoreKeyNeeded
    from ui.store_encryption import ask_to_unlock

    while True:
        try:
            return build_main_window(store_path, create=create, read_only_reason=read_only_reason)
        except StoreKeyNeeded as needed:
            if not ask_to_unlock(store_path):
                raise needed from None


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
    store takes a noticeable moment); a failure is said in a dialog naming its cause."""
    window.backup_actions.daily()


def _finish_backup(window: MainWindow) -> None:
    """Let a backup that is still copying finish before the process ends (else a partial
    file to clear at the next start, or a restore rolled back)."""
    from PySide6.QtCore import QEventLoop

    for op in window.backup_actions.running():
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
