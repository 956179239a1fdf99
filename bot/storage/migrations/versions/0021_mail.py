"""Mail for people outside Slack: freelancers' opt-out, and the log of what was mailed.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("freelancers") as batch:
        batch.add_column(
            sa.Column("email_notices", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.create_table(
        "mail_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("mail_kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_mail_log_asset_id_assets"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["purchase_orders.id"],
            name=op.f("fk_mail_log_order_id_purchase_orders"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_log")),
    )
    op.create_index(op.f("ix_mail_log_asset_id"), "mail_log", ["asset_id"])
    op.create_index(op.f("ix_mail_log_order_id"), "mail_log", ["order_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_mail_log_order_id"), table_name="mail_log")
    op.drop_index(op.f("ix_mail_log_asset_id"), table_name="mail_log")
    op.drop_table("mail_log")
    with op.batch_alter_table("freelancers") as batch:
        batch.drop_column("email_notices")
