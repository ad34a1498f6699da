"""junk words removed from a case report's word list, and the officer's summary

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_junk_words",
        sa.Column("case_ref", sa.String(length=20), nullable=False),
        sa.Column("word", sa.String(length=60), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("case_ref", "word", name=op.f("pk_report_junk_words")),
    )
    op.create_table(
        "report_summaries",
        sa.Column("case_ref", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("case_ref", name=op.f("pk_report_summaries")),
    )


def downgrade() -> None:
    op.drop_table("report_summaries")
    op.drop_table("report_junk_words")
