"""digest e-mail scopes: the committees and cases an officer's digest covers

Revision ID: 0010
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "officer_digest_scopes",
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officer_digests.officer_id"],
            name=op.f("fk_officer_digest_scopes_officer_id_officer_digests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "officer_id", "kind", "value", name=op.f("pk_officer_digest_scopes")
        ),
    )


def downgrade() -> None:
    op.drop_table("officer_digest_scopes")
