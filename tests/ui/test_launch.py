"""Start-up: which store, no screen, a damaged store, the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from app.demo import fill_demo
from app.store import open_store
from tests.conftest import TODAY
from ui import main as launcher
from ui.main import choose_store_path, launch, main, no_display_message

PROJECT = Path(__file__).resolve().parents[2]


def test_store_path_comes_from_option_then_environment_then_user_data(tmp_path: Path) -> None:
    env = {"DSAR_DESK_STORE": str(tmp_path / "env.sqlite")}
    assert choose_store_path(str(tmp_path / "opt.sqlite"), env) == tmp_path / "opt.sqlite"
    assert choose_store_path(None, env) == tmp_path / "env.sqlite"
    default = choose_store_path(None, {})
    assert default.name == "dsar-desk.sqlite"
    assert "dsar-desk" in default.parent.parts[-1]


def test_no_display_message_only_when_linux_has_no_display() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the check is for Linux, where Qt aborts without X11 or Wayland")
    assert "xvfb-run" in (no_display_message({}) or "")
    assert no_display_message({"DISPLAY": ":0"}) is None
    assert no_display_message({"WAYLAND_DISPLAY": "wayland-0"}) is None
    assert no_display_message({"QT_QPA_PLATFORM": "offscreen"}) is None


@pytest.mark.slow
def test_without_a_display_the_command_exits_with_one_line(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the check is for Linux, where Qt aborts without X11 or Wayland")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["DSAR_DESK_STORE"] = str(tmp_path / "never-created.sqlite")
    result = subprocess.run(
        [sys.executable, "-m", "ui"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "xvfb-run dsar-desk" in lines[0]
    assert not (tmp_path / "never-created.sqlite").exists()


def _damaged_store(path: Path) -> bytes:
    store = open_store(path)
    fill_demo(store, today=TODAY, count=12)
    store.close()
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    data[2 * page : 3 * page] = b"\xa5" * page  # scribble over a b-tree page
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_store_is_reported_by_name_and_left_untouched(
    qapp, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _damaged_store(store_path)
    folder_before = sorted(p.name for p in store_path.parent.iterdir())
    shown: list[tuple[str, str]] = []

    def capture(_parent, title: str, text: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", capture)
    assert main(["--store", str(store_path)]) == 1
    assert len(shown) == 1
    title, text = shown[0]
    assert "store" in title.lower()
    assert str(store_path) in text
    assert "damaged" in text
    assert store_path.read_bytes() == before
    # The check reads the file as immutable: nothing is created beside it either.
    assert sorted(p.name for p in store_path.parent.iterdir()) == folder_before


def test_a_store_from_a_newer_version_or_locked_is_reported_by_name(
    qapp, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3
    from contextlib import closing

    import app.store as store_module

    open_store(store_path).close()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: shown.append(text))

    with closing(sqlite3.connect(store_path)) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_later'")
        raw.commit()
    before = store_path.read_bytes()
    assert main(["--store", str(store_path)]) == 1
    assert "newer version" in shown[-1] and str(store_path) in shown[-1]
    assert store_path.read_bytes() == before

    with closing(sqlite3.connect(store_path)) as raw:
        raw.execute("UPDATE alembic_version SET version_num = ?", (store_module.SCHEMA_HEAD,))
        raw.commit()
    holder = sqlite3.connect(store_path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("CREATE TABLE hold (x)")
        assert main(["--store", str(store_path)]) == 1
        assert "locked by another program" in shown[-1] and str(store_path) in shown[-1]
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_file_that_is_not_a_store_is_refused(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: shown.append(text))
    monkeypatch.setenv("DSAR_DESK_STORE", str(path))
    assert main([]) == 1
    assert str(path) in shown[0]
    assert path.read_text() == "shopping list\n"


def test_demo_opens_a_window_on_a_throwaway_store(qtbot) -> None:
    started = launch(["--demo"])
    assert not isinstance(started, int)
    window, demo_folder = started
    qtbot.addWidget(window)
    assert demo_folder is not None
    assert window.isVisible()
    assert window.objectName() == "mainWindow"
    assert window.model.rowCount() > 10
    assert "demo" in window.windowTitle()
    assert window.store.path.parent == Path(demo_folder.name)
    window.close()
    demo_folder.cleanup()
    assert not window.store.path.exists(), "the demo store is thrown away on exit"


def test_the_first_start_of_the_day_backs_up_the_store(qtbot, demo_store_path: Path) -> None:
    backups = demo_store_path.parent / "backups"
    before = set(backups.glob("*-daily*")) if backups.exists() else set()
    started = launch(["--store", str(demo_store_path)])
    assert not isinstance(started, int)
    window, demo_folder = started
    qtbot.addWidget(window)
    assert demo_folder is None
    qtbot.waitUntil(lambda: "Backed up" in window.statusBar().currentMessage())
    taken = set(backups.glob("*-daily*")) - before
    assert len(taken) == 1
    copy = open_store(taken.pop())
    try:
        assert copy.path.stat().st_size > 0
    finally:
        copy.close()


def test_build_main_window_uses_the_store_it_is_given(qtbot, demo_store_path: Path) -> None:
    window = launcher.build_main_window(demo_store_path, today=lambda: TODAY)
    qtbot.addWidget(window)
    assert window.store.path == demo_store_path.absolute()
    assert window.model.rowCount() > 0


def test_a_failed_daily_backup_is_said_and_the_desk_still_opens(
    qtbot, demo_store_path: Path
) -> None:
    (demo_store_path.parent / "backups").write_text("a file where the folder should be")
    started = launch(["--store", str(demo_store_path)])
    assert not isinstance(started, int)
    window, _ = started
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "backup of the store failed" in window.statusBar().currentMessage())
    assert window.isVisible()
    assert window.model.rowCount() > 0
    # Not only the status bar: a dialog names the cause.
    box = window.findChild(QMessageBox, "backupFailedBox")
    assert box is not None and box.isVisible()
    assert "is not a folder" in box.text()
    assert str(demo_store_path.parent / "backups") in box.text()
    box.close()


def test_damage_found_by_the_daily_check_is_said_in_a_dialog(
    qtbot, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import app.store_inspect as store_inspect
    from tests.test_store import add_case, damage_an_index

    store = open_store(store_path)
    for _ in range(60):
        add_case(store)
    store.close()
    damage_an_index(store_path)  # the cases still read; only a full page check sees it
    monkeypatch.setattr(store_inspect, "ALWAYS_CHECK_BYTES", 0)  # as for a large store
    window = launcher.build_main_window(store_path, today=lambda: TODAY)
    qtbot.addWidget(window)
    launcher.take_daily_backup(window)
    qtbot.waitUntil(
        lambda: window.findChild(QMessageBox, "storeTroubleBox") is not None, timeout=10_000
    )
    box = window.findChild(QMessageBox, "storeTroubleBox")
    assert "damage" in box.text() and str(store_path) in box.text()
    assert "backup of the store failed" in window.statusBar().currentMessage()
    # A restore is offered right there.
    offer = box.findChild(QPushButton, "restoreFromTroubleButton")
    assert offer is not None and offer.isVisible()
    box.close()
