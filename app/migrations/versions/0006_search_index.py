"""Search index: a folded copy of each case's description and an FTS5 trigram index over the
search key and that description, kept in step by triggers.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

Every existing case gets its folded description here (app.text.fold, in Python: SQLite
cannot fold accents), then the index is built from the cases in one pass ('rebuild').
The index reads its text through the view `case_search_source`, which ends each column with
two U+001F characters: fold() never leaves one in a key or a query, and with them every one-
or two-character piece of the text begins a trigram, so short queries can be answered from
the index's own list of trigrams (app.search_index). PostgreSQL gets its own index (pg_trgm)
in its own migration; this one only does something on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import sqlalchemy as sa
from alembic import op

from app.text import fold

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5000

_TRIGGERS = (
    """
    CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN
        INSERT INTO case_search(rowid, search_key, description_key)
        VALUES (new.id, new.search_key || char(31, 31), new.description_key || char(31, 31));
    END
    """,
    """
    CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN
        INSERT INTO case_search(case_search, rowid, search_key, description_key)
        VALUES ('delete', old.id, old.search_key || char(31, 31),
                old.description_key || char(31, 31));
    END
    """,
    """
    CREATE TRIGGER cases_search_update AFTER UPDATE OF search_key, description_key ON cases
    WHEN old.search_key IS NOT new.search_key OR old.description_key IS NOT new.description_key
    BEGIN
        INSERT INTO case_search(case_search, rowid, search_key, description_key)
        VALUES ('delete', old.id, old.search_key || char(31, 31),
                old.description_key || char(31, 31));
        INSERT INTO case_search(rowid, search_key, description_key)
        VALUES (new.id, new.search_key || char(31, 31), new.description_key || char(31, 31));
    END
    """,
)


def upgrade() -> None:
    op.add_column(
        "cases", sa.Column("description_key", sa.Text(), nullable=False, server_default="")
    )
    bind = op.get_bind()
    _fold_descriptions(bind)
    if bind.dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIEW case_search_source(id, search_key, description_key) AS "
        "SELECT id, search_key || char(31, 31), description_key || char(31, 31) FROM cases"
    )
    # detail='full' keeps positions, so a phrase match is an exact substring match and the
    # list never has to re-read a case to confirm one; case_sensitive: the text is folded.
    op.execute(
        "CREATE VIRTUAL TABLE case_search USING fts5("
        "search_key, description_key, content='case_search_source', content_rowid='id', "
        "tokenize='trigram case_sensitive 1', detail='full', columnsize=0)"
    )
    op.execute("CREATE VIRTUAL TABLE case_search_terms USING fts5vocab(case_search, 'row')")
    op.execute("INSERT INTO case_search(case_search) VALUES ('rebuild')")
    for trigger in _TRIGGERS:
        op.execute(trigger)


def _fold_descriptions(bind: sa.Connection) -> None:
    """Fill description_key in batches (a store of 100,000 cases takes a few seconds)."""
    folded = lru_cache(maxsize=4096)(fold)  # template-like descriptions repeat
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT id, description FROM cases WHERE id > :last AND description != '' "
                "ORDER BY id LIMIT :batch"
            ),
            {"last": last, "batch": _BATCH},
        ).all()
        if not rows:
            return
        bind.execute(
            sa.text("UPDATE cases SET description_key = :key WHERE id = :id"),
            [{"id": row.id, "key": folded(row.description)} for row in rows],
        )
        last = rows[-1].id


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("cases_search_insert", "cases_search_delete", "cases_search_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS case_search_terms")
        op.execute("DROP TABLE IF EXISTS case_search")
        op.execute("DROP VIEW IF EXISTS case_search_source")
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_column("description_key")
