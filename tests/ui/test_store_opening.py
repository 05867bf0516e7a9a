"""Start-up and the store (issue 9 points 1, 3, 6): a second launch raises the running
window or opens read-only; one window per store per process; a missing store is never
silently replaced; a read-only store shows a banner; copies left by a crashed run are
emptied at the next start; an unexpected error reaches stderr without its message."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.backups import back_up_now
from app.store import open_store
from tests.store.helpers import add_case, mode
from ui import main as launcher
from ui import store_opening
from ui.main import launch, report_without_personal_data
from ui.single_instance import lock_path

PROJECT = Path(__file__).resolve().parents[2]


def _window(started):  # type: ignore[no-untyped-def]
    assert not isinstance(started, int), started
    return started[0]


def _answer_missing_box(button: str) -> None:
    """Click `button` in the store-missing question as soon as it is up."""

    def click() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "storeMissingBox" and widget.isVisible():
                for candidate in widget.buttons():  # type: ignore[attr-defined]
                    if candidate.objectName() == button:
                        candidate.click()
                        return
        QTimer.singleShot(20, click)

    QTimer.singleShot(0, click)


def _used_store(store_path: Path) -> None:
    """A store that was used (and backed up), then lost."""
    store = open_store(store_path)
    add_case(store)
    back_up_now(store)
    store.close()
    for suffix in ("", "-wal", "-shm", "-references"):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)


def test_a_missing_store_that_was_used_is_asked_about_and_quit_creates_nothing(
    qapp, store_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _used_store(store_path)
    _answer_missing_box("quitButton")
    assert launch(["--store", str(store_path)]) == 1
    assert not store_path.exists()


def test_create_new_is_a_choice_not_a_default(qtbot, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    _used_store(store_path)
    _answer_missing_box("createStoreButton")
    window = _window(launch(["--store", str(store_path)]))
    qtbot.addWidget(window)
    assert store_path.exists() and window.model.rowCount() == 0


def test_locate_opens_the_store_where_it_went(
    qtbot, store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    store = open_store(store_path)
    add_case(store)
    store.close()
    store_opening.remember_store(launcher.window_settings(), store_path)  # opened before
    moved = tmp_path / "moved" / "dsar.sqlite"
    moved.parent.mkdir()
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{store_path}{suffix}").exists():
            os.rename(f"{store_path}{suffix}", f"{moved}{suffix}")
    monkeypatch.setattr(store_opening, "ask_store_file", lambda _parent, _near: str(moved))
    _answer_missing_box("locateStoreButton")
    window = _window(launch(["--store", str(store_path)]))
    qtbot.addWidget(window)
    assert window.store.path == moved and window.model.rowCount() == 1
    assert not store_path.exists()


def test_a_path_never_used_before_is_a_first_start(qtbot, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _window(launch(["--store", str(store_path)]))  # no question asked
    qtbot.addWidget(window)
    assert store_path.exists()


def test_a_read_only_store_opens_with_a_banner_and_stays_read_only(qtbot, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(store_path)
    add_case(store)
    store.close()
    store_path.chmod(0o400)
    window = _window(launch(["--store", str(store_path)]))
    qtbot.addWidget(window)
    assert window.store.read_only
    assert window.store_banner.isVisible()
    assert window.store_banner.text().startswith("Read-only:")
    assert "permissions" in window.store_banner.text()
    assert not window.action_restore.isEnabled()
    assert not window.action_new_request.isEnabled()
    assert not window.action_import_email.isEnabled()
    assert mode(store_path) == 0o400


def test_a_store_held_by_a_desk_on_another_computer_opens_read_only(
    qtbot, store_path: Path
) -> None:  # type: ignore[no-untyped-def]
    open_store(store_path).close()
    # The lock a desk on another computer leaves (QLockFile's format: pid, app, host).
    lock_path(store_path).write_text("4242\ndsar-desk\nother-pc\n")
    window = _window(launch(["--store", str(store_path)]))
    qtbot.addWidget(window)
    assert window.store.read_only
    assert "other-pc" in window.store_banner.text()
    assert "read-only" in window.store_banner.text()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking
def test_one_window_per_store_per_process(qtbot, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _window(launch(["--store", str(store_path)]))
    qtbot.addWidget(first)
    assert launch(["--store", str(store_path)]) == 0  # raised the first, opened nothing
    windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow"]
    assert [w for w in windows if w.isVisible()] == [first]
    first.close()
    assert not lock_path(store_path).exists()  # closing the window gives the store up


RUNNING_DESK = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication
    from ui.main import launch

    window, _ = launch(["--store", sys.argv[1]])
    window.store_claim.raiseRequested.connect(lambda: print("raised", flush=True))
    print("ready", flush=True)
    QApplication.exec()
    """
)


@pytest.mark.slow
def test_a_second_launch_raises_the_running_desk(qapp, store_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    open_store(store_path).close()
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    desk = subprocess.Popen(
        [sys.executable, "-c", RUNNING_DESK, str(store_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=PROJECT,
    )
    try:
        assert desk.stdout is not None
        assert desk.stdout.readline().strip() == "ready"
        assert launch(["--store", str(store_path)]) == 0
        assert desk.stdout.readline().strip() == "raised"
        assert not [
            w
            for w in QApplication.topLevelWidgets()
            if w.objectName() == "mainWindow" and w.isVisible()
        ]
    finally:
        desk.kill()
        desk.communicate(timeout=30)
    # The killed desk's lock is stale now: the next launch takes the store normally.
    window = _window(launch(["--store", str(store_path)]))
    try:
        assert not window.store.read_only
    finally:
        window.close()


def test_copies_a_crashed_run_left_behind_are_emptied_at_the_next_start(
    qtbot, store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from app.private_temp import process_temp_folder, temp_root

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    root = temp_root()
    crashed = root / str(2**22 + 7)  # a process id that cannot be running
    crashed.mkdir(parents=True)
    scan = crashed / "3-passport.jpg"
    scan.write_bytes(b"\xff\xd8\xff personal")
    scan.chmod(0o400)
    mine = process_temp_folder()
    (mine / "open-now.pdf").write_bytes(b"%PDF")
    window = _window(launch(["--store", str(store_path)]))
    qtbot.addWidget(window)
    assert not crashed.exists()
    assert (mine / "open-now.pdf").exists()  # this process's own copies stay until exit
    assert mode(root) == 0o700 and mode(mine) == 0o700


def test_an_unexpected_error_reaches_stderr_without_its_message(capsys) -> None:  # type: ignore[no-untyped-def]
    message = "Ann Example, 1 High Street, ann@example.org"
    try:
        raise ValueError(message)
    except ValueError as error:
        report_without_personal_data(ValueError, error, error.__traceback__)
    err = capsys.readouterr().err
    assert "builtins.ValueError" in err and "message withheld" in err
    assert "Ann" not in err and "example.org" not in err
    assert "test_store_opening.py" in err  # where it happened is still there
