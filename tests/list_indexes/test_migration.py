"""A store made by the previous version (revision 0001) is upgraded to the list indexes of
migration 0008 and lists its cases from them."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from app.migrations import SCHEMA_HEAD
from app.queries import CaseFilter, CaseQuery, SortKey, case_ids, list_cases
from app.store import open_store

OLD = Path(__file__).resolve().parents[1] / "data" / "store-0001.sqlite"
TODAY = date(2026, 11, 25)

FILTERED = ["status", "statutory_due", "effective_due", "received_on"]
LIST_INDEXES = {
    "ix_cases_list_reference": ["reference", "id", *FILTERED],
    "ix_cases_list_requester": ["requester_sort", "id", *FILTERED],
    "ix_cases_list_type": ["request_type", "id", *FILTERED],
    "ix_cases_list_received": ["received_on", "id", "status", "statutory_due", "effective_due"],
    "ix_cases_list_due": ["effective_due", "id", "status", "statutory_due", "received_on"],
    "ix_cases_list_status": ["status", "id", "statutory_due", "effective_due", "received_on"],
}
REPLACED = {
    "ix_cases_requester_sort",
    "ix_cases_request_type",
    "ix_cases_received_on",
    "ix_cases_effective_due",
}


def _columns(raw: sqlite3.Connection, index: str) -> list[str]:
    return [row[2] for row in raw.execute(f"PRAGMA index_info('{index}')")]


def test_a_0001_store_gets_the_list_indexes_and_lists_from_them(tmp_path: Path) -> None:
    path = tmp_path / "old" / "dsar.sqlite"
    path.parent.mkdir()
    shutil.copy(OLD, path)
    with closing(sqlite3.connect(path)) as raw:
        before = [row[0] for row in raw.execute("SELECT id FROM cases ORDER BY reference DESC")]
        old_names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    assert before and old_names >= REPLACED and not set(LIST_INDEXES) & old_names
    store = open_store(path)
    try:
        with closing(sqlite3.connect(path)) as raw:
            assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (
                SCHEMA_HEAD,
            )
            names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
            for index, columns in LIST_INDEXES.items():
                assert _columns(raw, index) == columns
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert not REPLACED & names
        query = CaseQuery(filter=CaseFilter.ALL, sort=SortKey.REFERENCE, descending=True)
        assert [row.id for row in list_cases(store, query, today=TODAY)] == before
        for sort in SortKey:
            query = CaseQuery(filter=CaseFilter.ALL, sort=sort)
            listed = [row.id for row in list_cases(store, query, today=TODAY)]
            assert listed == case_ids(store, query, today=TODAY)
    finally:
        store.close()
    backups = list((path.parent / "backups").iterdir())
    assert any("before-upgrade-from-0001" in b.name for b in backups)
