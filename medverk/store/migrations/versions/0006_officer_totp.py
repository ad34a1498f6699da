"""officer second factor: sealed TOTP secret, last used step, recovery-code hashes

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("officers") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(length=300), nullable=True))
        batch.add_column(
            sa.Column("totp_confirmed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("totp_recovery", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("officers") as batch:
        batch.drop_column("totp_recovery")
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_confirmed")
        batch.drop_column("totp_secret")
