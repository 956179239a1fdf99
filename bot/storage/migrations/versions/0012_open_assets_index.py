"""Open assets indexed by (due, id): `/asset list` of open work never walks past done ones.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OPEN_ONLY = "stage NOT IN ('done', 'cancelled')"


def upgrade() -> None:
    op.create_index(
        "ix_assets_open_due_id",
        "assets",
        ["due", "id"],
        sqlite_where=sa.text(OPEN_ONLY),
        postgresql_where=sa.text(OPEN_ONLY),
    )


def downgrade() -> None:
    op.drop_index("ix_assets_open_due_id", table_name="assets")
