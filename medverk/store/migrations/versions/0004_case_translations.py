"""case texts machine-translated into the other målform at sync time

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_translations",
        sa.Column("item_id", sa.String(length=200), nullable=False),
        sa.Column("malform", sa.String(length=2), nullable=False),
        sa.Column("source_malform", sa.String(length=2), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("recommendation", sa.Text(), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("engine", sa.String(length=100), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("translated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("item_id", "malform", name=op.f("pk_case_translations")),
    )


def downgrade() -> None:
    op.drop_table("case_translations")
