"""The newest redraw of each message, so a burst of changes to one card sends one redraw.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_redraws",
        sa.Column("message", sa.String(length=80), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("message", name=op.f("pk_outbox_redraws")),
    )


def downgrade() -> None:
    op.drop_table("outbox_redraws")
