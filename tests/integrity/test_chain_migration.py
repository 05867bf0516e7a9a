"""A store made at revision 0001 is upgraded: its existing events are chained in the order they
were written, each case gets its state on the record, and everything verifies."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from app import cases
from app.integrity.verify import verify_store
from app.store import open_store
from tests.raw import outside

STORE_0001 = Path(__file__).resolve().parents[1] / "data" / "store-0001.sqlite"


def _events(path: Path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute(
            "SELECT id, case_id, at, actor, kind, summary, details FROM case_events ORDER BY id"
        ).fetchall()


def test_an_0001_store_is_upgraded_and_its_events_chained(tmp_path: Path) -> None:
    copy = tmp_path / "old" / "dsar.sqlite"
    copy.parent.mkdir()
    shutil.copy(STORE_0001, copy)
    before = _events(copy)
    with closing(sqlite3.connect(copy)) as raw:
        case_count = raw.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert before and case_count == 40

    store = open_store(copy)
    try:
        after = _events(copy)
        assert after[: len(before)] == before  # nothing that was there changed
        sealed = [row for row in after if row[4] == "records_sealed"]
        assert len(sealed) == case_count
        assert sealed == after[-case_count:]  # after every event written before the chain
        with closing(sqlite3.connect(copy)) as raw:
            seqs = [r[0] for r in raw.execute("SELECT seq FROM case_events ORDER BY id")]
            trigger = raw.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'case_events_no_update'"
            ).fetchone()
        assert seqs == list(range(1, len(after) + 1))  # chained in the order written
        assert trigger is not None and "old.salt IS NOT NULL" in trigger[0]

        report = verify_store(store)
        assert report.findings == [] and report.sound
        assert report.cases == case_count and report.letters == 1 and report.attachments == 1

        # The app goes on extending the same chain.
        cases.add_note(store, 1, "First note after the upgrade.")
        assert verify_store(store).sound
    finally:
        store.close()
    backups = list((copy.parent / "backups").iterdir())
    assert any("before-upgrade-from-0001" in b.name for b in backups)


def test_an_edit_to_an_event_from_before_the_upgrade_is_caught(tmp_path: Path) -> None:
    copy = tmp_path / "dsar.sqlite"
    shutil.copy(STORE_0001, copy)
    open_store(copy).close()
    with outside(copy) as raw:
        raw.execute("UPDATE case_events SET at = '2026-01-01 00:00:00.000000' WHERE id = 3")
    store = open_store(copy)
    try:
        report = verify_store(store)
        event_breaks = [f for f in report.breaks if f.event_id == 3]
        assert len(event_breaks) == 1 and "altered after it was written" in event_breaks[0].message
    finally:
        store.close()


def test_the_timeline_still_refuses_edits_and_deletions(tmp_path: Path) -> None:
    copy = tmp_path / "dsar.sqlite"
    shutil.copy(STORE_0001, copy)
    open_store(copy).close()
    with closing(sqlite3.connect(copy)) as raw:
        for statement in (
            "UPDATE case_events SET summary = 'x' WHERE id = 1",
            "UPDATE case_events SET salt = NULL, at = '2020-01-01' WHERE id = 1",
            "DELETE FROM case_events WHERE id = 1",
        ):
            try:
                raw.execute(statement)
            except sqlite3.IntegrityError as exc:
                assert "append-only" in str(exc)
            else:
                raise AssertionError(f"{statement} was allowed")
