"""Exports of the register at 100,000 cases: time and peak memory, against bare baselines
measured in the same run.

Not part of the default run. Run with:

    .venv/bin/python -m pytest tests/bench/test_bench_exports.py --benchmark-enable \\
        -p no:cacheprovider -o addopts="" -s

- CSV: `app.exports.register.export_csv` against the standard library alone (sqlite3 rows
  straight into csv.writer, same columns' source data, no formatting).
- .xlsx: `export_xlsx` (XlsxWriter, constant memory) against openpyxl's write-only mode fed
  the same rows (the alternative library), and the file is read back with openpyxl: it must
  hold the header and one row per case.
Peak memory is Python's allocation peak (tracemalloc) during one export, in a separate run
from the timed ones (tracing slows Python down). The last test prints the table.
"""

from __future__ import annotations

import csv
import sqlite3
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from app.demo import fill_bulk
from app.exports.register import HEADERS, export_csv, export_xlsx
from app.queries import CaseFilter, CaseQuery
from app.store import Store, open_store
from tests.conftest import TODAY

BIG = 100_000
ROUNDS = 3
QUERY = CaseQuery(filter=CaseFilter.ALL)
FIGURES: dict[str, tuple[float, float]] = {}
_RAW_SQL = (
    "SELECT c.reference, r.name, r.email, c.request_type, c.channel, c.received_on,"
    " c.statutory_due, c.promised_due, c.status, c.outcome, c.ground, c.closed_on,"
    " c.extension_months, c.description FROM cases c JOIN requesters r ON r.id = c.requester_id"
    " ORDER BY c.effective_due, c.id"
)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = open_store(tmp_path_factory.mktemp("bench-exports") / "big.sqlite")
    fill_bulk(store, BIG, today=TODAY)
    yield store
    store.close()


def _measure(name: str, run: Callable[[], object]) -> None:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    FIGURES[name] = (min(times), peak / 2**20)


def _raw_csv(store: Store, path: Path) -> None:
    with sqlite3.connect(store.path) as db, path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(db.execute(_RAW_SQL))


def _openpyxl_xlsx(store: Store, path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Cases")
    sheet.append(HEADERS)
    with sqlite3.connect(store.path) as db:
        for row in db.execute(_RAW_SQL):
            sheet.append(row)
    book.save(path)


def test_csv(benchmark, big: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cases.csv"
    _measure("csv: export_csv", lambda: export_csv(big, QUERY, path, today=TODAY))
    _measure("csv: bare sqlite3 + csv", lambda: _raw_csv(big, tmp_path / "raw.csv"))
    count = benchmark.pedantic(
        lambda: export_csv(big, QUERY, path, today=TODAY), rounds=1, iterations=1
    )
    assert count == BIG
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert sum(1 for _ in csv.reader(handle)) == BIG + 1


def test_xlsx(benchmark, big: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cases.xlsx"
    _measure("xlsx: export_xlsx (XlsxWriter)", lambda: export_xlsx(big, QUERY, path, today=TODAY))
    _measure("xlsx: openpyxl write-only", lambda: _openpyxl_xlsx(big, tmp_path / "o.xlsx"))
    count = benchmark.pedantic(
        lambda: export_xlsx(big, QUERY, path, today=TODAY), rounds=1, iterations=1
    )
    assert count == BIG
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book["Cases"]
    rows = sum(1 for _ in sheet.iter_rows(values_only=True))
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True))
    book.close()
    assert rows == BIG + 1
    assert first == HEADERS
    FIGURES["xlsx file size (MB)"] = (path.stat().st_size / 2**20, 0.0)


def test_print_table() -> None:
    print(f"\nExports of {BIG:,} cases (best of {ROUNDS} runs; peak = tracemalloc peak)")
    print(f"{'what':38} {'seconds':>9} {'peak MB':>9}")
    for name, (seconds, peak) in FIGURES.items():
        print(f"{name:38} {seconds:9.2f} {peak:9.1f}")
    if "csv: export_csv" in FIGURES and "csv: bare sqlite3 + csv" in FIGURES:
        ratio = FIGURES["csv: export_csv"][0] / FIGURES["csv: bare sqlite3 + csv"][0]
        print(f"csv export / bare baseline: {ratio:.2f}x")
    if "xlsx: export_xlsx (XlsxWriter)" in FIGURES and "xlsx: openpyxl write-only" in FIGURES:
        ratio = (
            FIGURES["xlsx: openpyxl write-only"][0] / FIGURES["xlsx: export_xlsx (XlsxWriter)"][0]
        )
        print(f"openpyxl write-only / XlsxWriter: {ratio:.2f}x")
