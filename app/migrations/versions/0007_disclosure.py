"""Disclosure (issue 11): the disclosure set, its redaction log, review state and bundles.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 01:48:04.750832
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "disclosure_bundles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.Column("set_revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.Column("emailed_to", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_disclosure_bundles_case_id_cases"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_bundles")),
        sa.UniqueConstraint(
            "case_id", "kind", "version", name=op.f("uq_disclosure_bundles_case_id")
        ),
    )
    with op.batch_alter_table("disclosure_bundles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_disclosure_bundles_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "disclosure_sets",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reviewed_revision", sa.Integer(), nullable=True),
        sa.Column("reviewed_by", sa.Text(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_disclosure_sets_case_id_cases"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_disclosure_sets")),
    )
    op.create_table(
        "disclosure_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("item_date", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("mime_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original", sa.LargeBinary(), nullable=True),
        sa.Column("rendition", sa.LargeBinary(), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("structured", sa.JSON(), nullable=True),
        sa.Column("decision", sa.String(length=24), nullable=False),
        sa.Column("exemption", sa.String(length=40), nullable=True),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("search_task_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_disclosure_items_attachment_id_attachments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_disclosure_items_case_id_cases"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["search_task_id"],
            ["search_tasks.id"],
            name=op.f("fk_disclosure_items_search_task_id_search_tasks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_items")),
    )
    with op.batch_alter_table("disclosure_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosure_items_case_id"), ["case_id"], unique=False)

    op.create_table(
        "redactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("x0", sa.Float(), nullable=False),
        sa.Column("top", sa.Float(), nullable=False),
        sa.Column("x1", sa.Float(), nullable=False),
        sa.Column("bottom", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("term", sa.Text(), nullable=True),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_redactions_case_id_cases"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["disclosure_items.id"],
            name=op.f("fk_redactions_item_id_disclosure_items"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redactions")),
    )
    with op.batch_alter_table("redactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_redactions_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_redactions_item_id"), ["item_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("redactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_redactions_item_id"))
        batch_op.drop_index(batch_op.f("ix_redactions_case_id"))

    op.drop_table("redactions")
    with op.batch_alter_table("disclosure_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disclosure_items_case_id"))

    op.drop_table("disclosure_items")
    op.drop_table("disclosure_sets")
    with op.batch_alter_table("disclosure_bundles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disclosure_bundles_case_id"))

    op.drop_table("disclosure_bundles")
