"""Background work hands its result back whole, on the UI thread (ui/ops.py)."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from ui.ops import Reporter, run_in_background, run_with_progress


def test_a_tuple_result_reaches_success_as_one_tuple(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    got: list[object] = []
    threads: list[str] = []

    def success(result: object) -> None:
        threads.append(threading.current_thread().name)
        got.append(result)

    op = run_in_background(parent, lambda: ("export.csv", 3), success=success, failure=got.append)
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert got == [("export.csv", 3)]
    assert threads == [threading.main_thread().name]


def test_progress_arrives_as_done_and_total_and_a_tuple_result_is_kept(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[int, int]] = []
    got: list[object] = []
    connected = threading.Event()

    def work(progress: Reporter) -> tuple[int, str]:
        connected.wait(5)
        for done in range(1, 4):
            progress(done, 3)
        return (3, "rows")

    op = run_with_progress(parent, "Working…", work, success=got.append, failure=got.append)
    op.progressed.connect(lambda done, total: seen.append((done, total)))
    connected.set()
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert got == [(3, "rows")]
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_failure_reaches_failure(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    failures: list[Exception] = []

    def work() -> None:
        raise ValueError("disk full")

    op = run_in_background(parent, work, success=failures.append, failure=failures.append)
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert [str(e) for e in failures] == ["disk full"]


def test_the_progress_dialog_and_its_cancel_are_named(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    op = run_with_progress(
        parent, "Working…", lambda progress: 1, success=lambda _: None, failure=lambda _: None
    )
    [cancel] = op.dialog.findChildren(QPushButton)
    assert (op.dialog.objectName(), cancel.objectName(), cancel.accessibleName()) == (
        "progressDialog",
        "progressDialogCancelButton",
        "Cancel",
    )
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
