"""replies by the widget's message id; Telegram messages held while the assistant is away

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_replies",
        sa.Column("sender_key", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sender_key", "message_id", name=op.f("pk_chat_replies")),
    )
    op.create_index(
        op.f("ix_chat_replies_created_at"), "chat_replies", ["created_at"], unique=False
    )
    op.create_table(
        "telegram_held",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_telegram_held")),
    )
    op.create_index(op.f("ix_telegram_held_chat_id"), "telegram_held", ["chat_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_telegram_held_chat_id"), table_name="telegram_held")
    op.drop_table("telegram_held")
    op.drop_index(op.f("ix_chat_replies_created_at"), table_name="chat_replies")
    op.drop_table("chat_replies")
