"""A store made by the previous version (revision 0001) opens: it is backed up, upgraded, and
its cases take disclosure items."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from app import cases
from app.disclosure import add_item, list_items
from app.migrations import SCHEMA_HEAD
from app.store import open_store
from tests.disclosure.samples import letter_pdf

OLD = Path(__file__).resolve().parents[1] / "data" / "store-0001.sqlite"


def test_a_0001_store_is_upgraded_and_takes_disclosure_items(tmp_path: Path) -> None:
    path = tmp_path / "old" / "dsar.sqlite"
    path.parent.mkdir()
    shutil.copy(OLD, path)
    with closing(sqlite3.connect(path)) as raw:
        before = raw.execute("SELECT id, reference FROM cases ORDER BY id").fetchall()
    store = open_store(path)
    try:
        with closing(sqlite3.connect(path)) as raw:
            assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (
                SCHEMA_HEAD,
            )
            assert raw.execute("SELECT id, reference FROM cases ORDER BY id").fetchall() == before
        case_id = before[0][0]
        item = add_item(store, case_id, filename="notes.pdf", content=letter_pdf(1))
        assert [i.id for i in list_items(store, case_id)] == [item.id]
        assert cases.timeline(store, case_id)[-1].kind == "disclosure_item_added"
    finally:
        store.close()
    backups = list((path.parent / "backups").iterdir())
    assert any("before-upgrade-from-0001" in b.name for b in backups)
