"""The desk at 100,000 cases: each interaction against a raw sqlite3 query for the same rows.

Not part of the default run. Run with:

    .venv/bin/python -m pytest tests/bench/test_bench_desk.py --benchmark-enable \\
        -p no:cacheprovider -o addopts=""

Each UI figure is the median of several rounds of the real widget work (the model reset,
its SQL, and painting the visible rows into a pixmap); the raw figure is the median of the
same rows read with the standard library's sqlite3 in the same run. Start-up and memory are
measured in fresh subprocesses. The last test prints every figure as a table.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.demo import fill_bulk
from app.queries import CaseFilter
from app.store import open_store
from app.text import like_pattern
from tests.conftest import TODAY
from ui.main import build_main_window
from ui.main_window import FILTERS, MainWindow

BIG = 100_000
SMALL = 100
ROUNDS = 15
PROJECT = Path(__file__).resolve().parents[2]
FIGURES: dict[str, dict[str, float | str]] = {}

_PAGE_SQL = (
    "SELECT c.id, c.reference, r.name, r.email, c.request_type, c.received_on,"
    " c.effective_due, c.status FROM cases c JOIN requesters r ON r.id = c.requester_id"
    " WHERE {where} ORDER BY {order} LIMIT 200"
)
_COUNT_SQL = "SELECT count(*) FROM cases c WHERE {where}"
_WHERE = {
    CaseFilter.OPEN: "c.status != 'closed'",
    CaseFilter.OVERDUE: "c.status = 'open' AND c.effective_due < :today",
    CaseFilter.ALL: "1",
}


@pytest.fixture(scope="session")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _bulk_store(tmp_path_factory.mktemp("bench-big") / "big.sqlite", BIG)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _bulk_store(tmp_path_factory.mktemp("bench-small") / "small.sqlite", SMALL)


def _bulk_store(path: Path, count: int) -> Path:
    store = open_store(path)
    try:
        fill_bulk(store, count, today=TODAY)
    finally:
        store.close()
    return path


@pytest.fixture(autouse=True)
def private_qsettings(tmp_path: Path) -> Path:
    folder = tmp_path / "qsettings"
    folder.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def window(qapp: QApplication, big_store: Path) -> Iterator[MainWindow]:
    built = build_main_window(big_store, today=lambda: TODAY)
    built.resize(1280, 800)
    built.show()
    qapp.processEvents()
    yield built
    built.close()
    built.deleteLater()
    qapp.processEvents()


def _paint(window: MainWindow) -> None:
    """Render the visible rows, as the screen would (this is what calls the model's data())."""
    window.table.viewport().grab()


def _median_ms(work: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _raw(path: Path, where: str, order: str, params: dict[str, str], count: bool) -> float:
    """Median ms of the same rows read with plain sqlite3: the first page (and the count)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:

        def work() -> None:
            if count:
                connection.execute(_COUNT_SQL.format(where=where), params).fetchone()
            connection.execute(_PAGE_SQL.format(where=where, order=order), params).fetchall()

        work()
        return _median_ms(work)


def _record(name: str, benchmark, raw_ms: float, what_raw: str) -> None:  # type: ignore[no-untyped-def]
    median = benchmark.stats.stats.median * 1000
    FIGURES[name] = {
        "median_ms": median,
        "raw_ms": raw_ms,
        "ratio": median / raw_ms,
        "raw": what_raw,
    }


def test_open_main_window(benchmark, qapp: QApplication, big_store: Path) -> None:
    opened: list[MainWindow] = []

    def close_previous() -> None:
        while opened:
            previous = opened.pop()
            previous.close()
            previous.deleteLater()
        qapp.processEvents()

    def open_window() -> None:
        built = build_main_window(big_store, today=lambda: TODAY)
        built.resize(1280, 800)
        built.show()
        qapp.processEvents()
        _paint(built)
        opened.append(built)

    benchmark.pedantic(open_window, setup=close_previous, rounds=ROUNDS, warmup_rounds=1)
    assert opened[0].model.rowCount() == opened[0].counts["open"] > 50_000
    close_previous()
    raw = _raw(
        big_store,
        _WHERE[CaseFilter.OPEN],
        "c.effective_due, c.id",
        {},
        count=True,
    )
    _record("open the main window", benchmark, raw, "count + first page (open cases)")


def test_main_window_over_an_open_store(benchmark, qapp: QApplication, big_store: Path) -> None:
    """The window's own share of opening: the store is already open (its integrity check and
    schema check are app.store's cost, measured in the test above)."""
    from ui.main import window_settings
    from ui.signals import StoreSignals

    stores: list = []
    opened: list[MainWindow] = []

    def open_the_store() -> tuple[tuple, dict]:
        while opened:
            previous = opened.pop()
            previous.close()
            previous.deleteLater()
        qapp.processEvents()
        stores.append(open_store(big_store))
        return (stores[-1],), {}

    def build(store) -> None:  # type: ignore[no-untyped-def]
        built = MainWindow(store, StoreSignals(), window_settings(), today=lambda: TODAY)
        built.resize(1280, 800)
        built.show()
        qapp.processEvents()
        _paint(built)
        opened.append(built)

    benchmark.pedantic(build, setup=open_the_store, rounds=ROUNDS, warmup_rounds=1)
    assert opened[0].model.rowCount() == opened[0].counts["open"]
    for built in opened:
        built.close()
    raw = _raw(big_store, _WHERE[CaseFilter.OPEN], "c.effective_due, c.id", {}, count=True)
    _record("  of which the window (store already open)", benchmark, raw, "count + first page")


def test_switch_filter(benchmark, window: MainWindow) -> None:
    combo = window.filter_combo
    targets = [FILTERS.index(CaseFilter.OVERDUE), FILTERS.index(CaseFilter.OPEN)]
    turn = iter(range(10_000))

    def switch() -> None:
        combo.setCurrentIndex(targets[next(turn) % 2])
        _paint(window)

    benchmark.pedantic(switch, rounds=ROUNDS * 2, warmup_rounds=2)
    assert window.model.rowCount() > 10_000
    raw = _raw(
        window.store.path,
        _WHERE[CaseFilter.OVERDUE],
        "c.effective_due, c.id",
        {"today": TODAY.isoformat()},
        count=True,
    )
    _record("switch the filter (to Overdue)", benchmark, raw, "count + first page")


def test_sort_by_due_date(benchmark, window: MainWindow) -> None:
    window.set_filter(CaseFilter.ALL)
    assert window.model.rowCount() == BIG
    orders = [Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder]
    turn = iter(range(10_000))

    def sort() -> None:
        window.table.sortByColumn(4, orders[next(turn) % 2])
        _paint(window)

    benchmark.pedantic(sort, rounds=ROUNDS * 2, warmup_rounds=2)
    dues = [window.model.case_row(r).effective_due for r in range(50)]  # type: ignore[union-attr]
    assert dues == sorted(dues) or dues == sorted(dues, reverse=True)
    raw = _raw(
        window.store.path,
        _WHERE[CaseFilter.ALL],
        "c.effective_due DESC, c.id DESC",
        {},
        count=False,
    )
    _record("sort 100,000 cases by due date", benchmark, raw, "first page (count unchanged)")


def test_one_keystroke_of_search(benchmark, window: MainWindow) -> None:
    window.set_filter(CaseFilter.ALL)
    search = window.search_edit

    def type_three_letters() -> None:
        search.setText("jur")

    def keystroke() -> None:
        QTest.keyClick(search, "g")
        _paint(window)

    benchmark.pedantic(keystroke, setup=type_three_letters, rounds=ROUNDS * 2, warmup_rounds=2)
    assert search.text() == "jurg"
    found = window.model.rowCount()
    assert found > 0
    assert all(
        "jurg" in (window.model.case_row(r).requester_name.lower().replace("ü", "u"))  # type: ignore[union-attr]
        for r in range(min(found, 50))
    )
    raw = _raw(
        window.store.path,
        "c.search_key LIKE :pattern ESCAPE '\\'",
        "c.effective_due, c.id",
        {"pattern": like_pattern("jurg")},
        count=True,
    )
    _record("one keystroke of search ('jur' → 'jurg')", benchmark, raw, "count + first page")


_BARE = """
import os, sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QTableView())
window.resize(1280, 800)
window.show()
app.processEvents()
sys.stdout.flush()
os._exit(0)
"""

_OURS = """
import os, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
from ui.main import build_main_window
window = build_main_window(Path(sys.argv[1]))
window.show()
app.processEvents()
window.table.viewport().grab()
if len(sys.argv) > 3:
    window.table.scrollToBottom()
    window.table.viewport().grab()
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            print(int(line.split()[1]))
sys.stdout.flush()
os._exit(0)
"""


def _run(script: str, *args: str) -> tuple[float, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(PROJECT))
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return (time.perf_counter() - start) * 1000, result.stdout


def test_start_up_against_a_bare_qt_window(big_store: Path, tmp_path: Path) -> None:
    _run(_BARE)  # warm the file cache for both
    _run(_OURS, str(big_store), str(tmp_path))
    bare, ours = [], []
    for _ in range(7):
        bare.append(_run(_BARE)[0])
        ours.append(_run(_OURS, str(big_store), str(tmp_path))[0])
    bare_ms, ours_ms = statistics.median(bare), statistics.median(ours)
    FIGURES["start-up to a shown window (subprocess)"] = {
        "median_ms": ours_ms,
        "raw_ms": bare_ms,
        "ratio": ours_ms / bare_ms,
        "raw": "bare PySide6 QMainWindow + QTableView start",
    }
    assert ours_ms > 0 and bare_ms > 0


def test_memory_with_100000_cases_against_100(
    big_store: Path, small_store: Path, tmp_path: Path
) -> None:
    big = int(_run(_OURS, str(big_store), str(tmp_path), "rss")[1])
    small = int(_run(_OURS, str(small_store), str(tmp_path), "rss")[1])
    FIGURES["resident memory, 100,000 vs 100 cases"] = {
        "median_ms": big / 1024,
        "raw_ms": small / 1024,
        "ratio": big / small,
        "raw": "MiB (VmRSS) after showing the top and the bottom of the list",
    }
    assert big > 0 and small > 0


def test_zz_print_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """The closing table (runs last in this file)."""
    assert FIGURES, "run the whole file to collect figures"
    lines = [
        f"{'measure':44s} {'desk':>10s} {'baseline':>10s} {'ratio':>7s}  baseline is",
        "-" * 110,
    ]
    for name, figure in FIGURES.items():
        unit = "MiB" if "memory" in name else "ms"
        lines.append(
            f"{name:44s} {figure['median_ms']:>7.1f} {unit:3s}"
            f"{figure['raw_ms']:>7.1f} {unit:3s} {figure['ratio']:>6.2f}x  {figure['raw']}"
        )
    with capsys.disabled():
        print("\n\nDSAR Desk benchmark, store of 100,000 cases (medians)\n" + "\n".join(lines))
