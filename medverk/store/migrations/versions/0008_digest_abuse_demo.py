"""digest e-mail opt-in per officer, abuse flag and demo mark on input

Revision ID: 0008
Revises: 0005 (other branches may add 0006/0007: re-chain when merging)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inputs") as batch:
        batch.add_column(
            sa.Column("abuse_flag", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false()))
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
    with op.batch_alter_table("inputs") as batch:
        batch.drop_column("demo")
        batch.drop_column("abuse_flag")
