"""What the law requires the desk to track (issue 8): the extension notice still to send,
the clarification question asked, the reason and documents of an identity request, the
legal basis of a refusal; an index for "overdue" counted from the statutory date.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 01:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("extension_notice_due", sa.Date(), nullable=True))
        batch.add_column(sa.Column("clarification_question", sa.Text(), nullable=True))
        batch.add_column(sa.Column("identity_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("identity_documents", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("ground_basis", sa.String(length=40), nullable=True))
    op.create_index(
        "ix_cases_status_statutory_due", "cases", ["status", "statutory_due"], unique=False
    )
    op.create_index(
        "ix_cases_extension_notice_due", "cases", ["extension_notice_due"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_cases_extension_notice_due", table_name="cases")
    op.drop_index("ix_cases_status_statutory_due", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("ground_basis")
        batch.drop_column("identity_documents")
        batch.drop_column("identity_reason")
        batch.drop_column("clarification_question")
        batch.drop_column("extension_notice_due")
