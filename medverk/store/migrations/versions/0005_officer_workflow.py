"""officer workflow: assignment, tags per case, notes with author and time

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inputs") as batch:
        batch.add_column(sa.Column("assigned_to", sa.Integer(), nullable=True))
        batch.create_index(op.f("ix_inputs_assigned_to"), ["assigned_to"], unique=False)
    op.create_table(
        "input_tags",
        sa.Column("input_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=60), nullable=False),
        sa.Column("case_ref", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["input_id"],
            ["inputs.id"],
            name=op.f("fk_input_tags_input_id_inputs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("input_id", "tag", name=op.f("pk_input_tags")),
    )
    op.create_index("ix_input_tags_case_tag", "input_tags", ["case_ref", "tag"], unique=False)
    op.create_table(
        "input_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("input_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("officer_username", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["input_id"],
            ["inputs.id"],
            name=op.f("fk_input_notes_input_id_inputs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_input_notes")),
    )
    op.create_index(op.f("ix_input_notes_input_id"), "input_notes", ["input_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_input_notes_input_id"), table_name="input_notes")
    op.drop_table("input_notes")
    op.drop_index("ix_input_tags_case_tag", table_name="input_tags")
    op.drop_table("input_tags")
    with op.batch_alter_table("inputs") as batch:
        batch.drop_index(op.f("ix_inputs_assigned_to"))
        batch.drop_column("assigned_to")
