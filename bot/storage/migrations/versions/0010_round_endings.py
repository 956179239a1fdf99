"""Why an approval round was cancelled, and which departments on its route it did not ask.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("close_reason", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("skipped", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.drop_column("skipped")
        batch_op.drop_column("close_reason")
