"""digest e-mail scopes (the committees and cases an officer's digest covers);
two covering indexes on inputs for the dashboards

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE INDEX (no batch rebuild of `inputs`, whose search triggers 0002 made).
    op.create_index(
        "ix_inputs_waiting", "inputs", ["case_ref", "wants_reply", "status", "committee"]
    )
    op.create_index(
        "ix_inputs_answer_delay",
        "inputs",
        ["status", "case_ref", "committee", "created_at", "answered_at"],
    )
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
    op.drop_index("ix_inputs_answer_delay", table_name="inputs")
    op.drop_index("ix_inputs_waiting", table_name="inputs")
