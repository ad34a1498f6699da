"""digest e-mail opt-in per officer, abuse flag and demo mark on input

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild): on SQLite a rebuild of `inputs` would drop
    # the search triggers of 0002.
    for name in ("abuse_flag", "demo"):
        op.add_column(
            "inputs", sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "officer_digests",
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=300), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("committee", sa.String(length=200), nullable=False),
        sa.Column("malform", sa.String(length=2), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name=op.f("fk_officer_digests_officer_id_officers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("officer_id", name=op.f("pk_officer_digests")),
    )


def downgrade() -> None:
    op.drop_table("officer_digests")
    # DROP COLUMN (SQLite 3.35+) keeps the table and its search triggers.
    op.drop_column("inputs", "demo")
    op.drop_column("inputs", "abuse_flag")
