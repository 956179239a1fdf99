"""Assets indexed by (due, id): `/asset list` walks it in page order instead of sorting.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The new index starts with due, so it serves every query the old one did.
    op.create_index("ix_assets_due_id", "assets", ["due", "id"])
    op.drop_index("ix_assets_due", table_name="assets")


def downgrade() -> None:
    op.create_index("ix_assets_due", "assets", ["due"])
    op.drop_index("ix_assets_due_id", table_name="assets")
