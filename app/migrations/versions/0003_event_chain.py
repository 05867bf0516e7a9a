"""The event chain: every event sealed with a keyed hash of the one before (app.integrity).

Adds the chain's columns to `case_events`, gives the store an id and a key (kept on this
computer, never in the store), seals the existing events in the order they were written and
records each case's state in a `records_sealed` event. The append-only guard is kept, with
one exception: blanking an event's personal part for retention erasure.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from app.integrity.genesis import seal_existing
from app.integrity.keys import KeyStore

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NO_UPDATE = (
    "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events "
    "BEGIN SELECT RAISE(ABORT, 'The case timeline is append-only'); END"
)
_NO_DELETE = (
    "CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events "
    "BEGIN SELECT RAISE(ABORT, 'The case timeline is append-only'); END"
)
# Only an erasure passes: the salt goes, and nothing the chain covers changes.
_ERASE_ONLY = (
    "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events "
    "WHEN NOT (old.salt IS NOT NULL AND new.salt IS NULL AND new.id = old.id "
    "AND new.case_id = old.case_id AND new.at = old.at AND new.actor = old.actor "
    "AND new.kind = old.kind AND new.seq IS old.seq AND new.link IS old.link "
    "AND new.personal_hash IS old.personal_hash AND new.state IS old.state) "
    "BEGIN SELECT RAISE(ABORT, 'The case timeline is append-only'); END"
)


def upgrade() -> None:
    for name, column in (
        ("seq", sa.Integer()),
        ("link", sa.String(length=80)),
        ("personal_hash", sa.String(length=64)),
        ("salt", sa.String(length=32)),
        ("state", sa.JSON()),
    ):
        op.add_column("case_events", sa.Column(name, column, nullable=True))
    op.create_index("uq_case_events_seq", "case_events", ["seq"], unique=True)
    if op.get_bind().dialect.name != "sqlite":
        # A server store is created empty (dsar-desk team init); its chain, key and guard
        # are the server's own, from 0009.
        return
    op.execute("DROP TRIGGER IF EXISTS case_events_no_update")
    keys = context.config.attributes.get("chain_keys") or KeyStore.for_user()
    seal_existing(op.get_bind(), keys)
    op.execute(_ERASE_ONLY)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS case_events_no_update")
    op.execute("DROP TRIGGER IF EXISTS case_events_no_delete")
    op.execute("DELETE FROM case_events WHERE kind = 'records_sealed'")
    op.execute(_NO_DELETE)
    op.drop_index("uq_case_events_seq", table_name="case_events")
    for name in ("state", "salt", "personal_hash", "link", "seq"):
        op.drop_column("case_events", name)
    op.execute(
        "DELETE FROM settings WHERE key IN "
        "('integrity.store_id', 'integrity.key_id', 'integrity.sealed_at')"
    )
    op.execute(_NO_UPDATE)
