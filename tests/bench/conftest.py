"""The benchmark stores (100,000 and 1,000,000 cases, and 100 for memory), and the table,
printed once after every benchmark of the run has measured."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.bench.stores import bulk_store
from tests.bench.tally import FIGURES, TABLE_FILE, table
from tests.conftest import TODAY
from tests.letters.conftest import ORG

SIZES = [int(size) for size in os.environ.get("DSAR_BENCH_SIZES", "100000,1000000").split(",")]
SMALL = 100


@pytest.fixture(scope="session", params=SIZES, ids=lambda size: f"{size}-cases")
def sized_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of each benchmark size (built once, then copied from the cache)."""
    folder = tmp_path_factory.mktemp(f"bench-{request.param}-cases-")
    return bulk_store(request.param, folder, today=TODAY, org=ORG)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bulk_store(SMALL, tmp_path_factory.mktemp("bench-small"), today=TODAY, org=ORG)


def cases_in(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return int(connection.execute("SELECT count(*) FROM cases").fetchone()[0])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES:
        return
    text = table(FIGURES)
    terminalreporter.write_sep("=", "DSAR Desk benchmark table (medians of this run)")
    terminalreporter.write_line(text)
    written = TABLE_FILE.with_name(f"{TABLE_FILE.stem}-{'-'.join(map(str, SIZES))}.txt")
    written.parent.mkdir(mode=0o700, exist_ok=True)
    written.write_text(text + "\n", encoding="utf-8")
    terminalreporter.write_line(f"(also written to {written})")
