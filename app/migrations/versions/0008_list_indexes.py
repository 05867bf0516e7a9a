"""List indexes: one index per sortable column of the case list, in the list's order.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

The list orders by (column, id) and filters on status and the three dates, so each index is
that column, then id, then the filter columns: SQLite reads a first page by walking one index
in order, tests each filter on the index entry itself, and reads a case's row only for the
rows it shows (app.queries). The rest of a listed row (requester name and email, outcome,
closed date) is not copied in: six copies of it would add about as much again to the store
as the cases table holds, for 200 row reads a page. The single-column indexes these replace
are their leading part and go.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FILTERED = ("status", "statutory_due", "effective_due", "received_on")
_SORTED = {
    "ix_cases_list_reference": "reference",
    "ix_cases_list_requester": "requester_sort",
    "ix_cases_list_type": "request_type",
    "ix_cases_list_received": "received_on",
    "ix_cases_list_due": "effective_due",
    "ix_cases_list_status": "status",
}
_REPLACED = {
    "ix_cases_requester_sort": "requester_sort",
    "ix_cases_request_type": "request_type",
    "ix_cases_received_on": "received_on",
    "ix_cases_effective_due": "effective_due",
}


def upgrade() -> None:
    for name, column in _SORTED.items():
        rest = [c for c in _FILTERED if c != column]
        op.create_index(name, "cases", [column, "id", *rest])
    for name in _REPLACED:
        op.drop_index(name, table_name="cases")


def downgrade() -> None:
    for name, column in _REPLACED.items():
        op.create_index(name, "cases", [column])
    for name in _SORTED:
        op.drop_index(name, table_name="cases")
