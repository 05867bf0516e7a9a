"""What the event chain costs: appending a sealed event and verifying every record, each
against a bare baseline measured in the same run.

Not part of the default run. Run with:

    .venv/bin/python -m pytest tests/bench/test_bench_integrity.py --benchmark-enable \\
        -p no:cacheprovider -o addopts="" -s

- append: `cases.add_note` (one transaction, one sealed event) against the same transaction
  done with raw sqlite3 on a copy (an UPDATE of the case and an INSERT of an unsealed event);
- verify: `verify_store` over a store of EVENTS events against a raw sqlite3 read of the same
  rows (SELECT of every event, letter and attachment).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from app import cases
from app.integrity.verify import verify_store
from app.store import Store, open_store
from tests.bench.workload import add_noted_cases, median_seconds

CASES = 1_000
NOTES_PER_CASE = 9  # with the logged event: 10,000 events
ROUNDS = 50
ON = date(2026, 10, 5)


@pytest.fixture(scope="module")
def full_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = open_store(tmp_path_factory.mktemp("bench-chain") / "chain.sqlite")
    add_noted_cases(store, CASES, NOTES_PER_CASE, on=ON)
    return store


def test_append_and_verify_costs(full_store: Store) -> None:
    store = full_store
    path: Path = store.path
    sealed = median_seconds(lambda: cases.add_note(store, 1, "Benchmark note."), ROUNDS)
    copy = path.with_name("baseline.sqlite")  # the baseline writes unsealed rows: a copy
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)

    raw = sqlite3.connect(copy, isolation_level=None)  # one open connection, as the app keeps
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("PRAGMA synchronous = FULL")

    def raw_append() -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("UPDATE cases SET updated_at = updated_at, version = version + 1 WHERE id = 2")
        raw.execute(
            "INSERT INTO case_events (case_id, at, actor, kind, summary, details) "
            "VALUES (2, '2026-10-05 10:00:00.000000', 'bench', 'bench', 'x', '{}')"
        )
        raw.execute("COMMIT")

    bare = median_seconds(raw_append, ROUNDS)
    raw.close()
    copy.unlink()
    report = verify_store(store)
    assert report.sound, report.summary()
    verify = median_seconds(lambda: verify_store(store), 5)

    def raw_read() -> None:
        with closing(sqlite3.connect(path)) as raw:
            for table in ("case_events", "letters", "attachments", "cases"):
                for _row in raw.execute(f"SELECT * FROM {table}"):
                    pass

    read = median_seconds(raw_read, 5)
    print(
        f"\nappend one sealed event (add_note): {sealed * 1000:.2f} ms; raw sqlite3 "
        f"transaction: {bare * 1000:.2f} ms; ratio {sealed / bare:.1f}x"
        f"\nverify {report.events:,} events / {report.cases:,} cases: {verify * 1000:.0f} ms; "
        f"raw read of the same rows: {read * 1000:.0f} ms; ratio {verify / read:.1f}x"
    )
