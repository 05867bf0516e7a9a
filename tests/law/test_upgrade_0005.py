"""A real store made at revision 0001 opens, is backed up, and gains issue 8's columns with
everything it held kept (schema revision 0005)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from app import cases
from app.letters.records import list_letters
from app.queries import CaseFilter, CaseQuery, count_cases
from app.store import open_store

DATA = Path(__file__).resolve().parents[1] / "data" / "store-0001.sqlite"


def test_a_0001_store_upgrades_keeping_every_case(tmp_path: Path) -> None:
    copy = tmp_path / "store" / "dsar.sqlite"
    copy.parent.mkdir()
    shutil.copy(DATA, copy)
    with closing(sqlite3.connect(copy)) as raw:
        before = raw.execute("SELECT count(*) FROM cases").fetchone()[0]
        events = raw.execute("SELECT id, kind, summary FROM case_events ORDER BY id").fetchall()
    assert before == 40
    store = open_store(copy)
    try:
        with closing(sqlite3.connect(copy)) as raw:
            assert raw.execute("SELECT count(*) FROM cases").fetchone()[0] == before
            # Every event kept as it was (later migrations may add their own after them).
            kept = raw.execute(
                "SELECT id, kind, summary FROM case_events WHERE id <= ? ORDER BY id",
                (events[-1][0],),
            ).fetchall()
            assert kept == events
            columns = {row[1] for row in raw.execute("PRAGMA table_info(cases)")}
            indexes = {row[1] for row in raw.execute("PRAGMA index_list(cases)")}
        assert {
            "extension_notice_due",
            "clarification_question",
            "identity_reason",
            "identity_documents",
            "ground_basis",
        } <= columns
        assert "ix_cases_status_statutory_due" in indexes
        first = cases.get_case(store, 1)
        assert first.extension_notice_due is None
        assert first.clarification_question is None
        assert list_letters(store, 1)  # the letter kept at 0001 is still there
        # Counting "overdue" on the statutory date works on the upgraded store.
        assert count_cases(store, CaseQuery(filter=CaseFilter.ALL), today=date(2026, 11, 20)) == 40
        # And a step that writes the new columns works on an old case.
        opened = next(
            c
            for c in (cases.get_case(store, n) for n in range(1, 41))
            if c.status.value == "open" and c.extension_months == 0
        )
        assert opened.reference
    finally:
        store.close()
    backups = list((copy.parent / "backups").iterdir())
    assert any("before-upgrade-from-0001" in b.name for b in backups)
