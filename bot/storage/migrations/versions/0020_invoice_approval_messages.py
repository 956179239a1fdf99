"""The DMs asking management to approve an invoice, so a decision redraws every copy.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoice_approval_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_invoice_approval_messages_invoice_id_invoices"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_approval_messages")),
        sa.UniqueConstraint(
            "invoice_id", "user_id", name=op.f("uq_invoice_approval_messages_invoice_id_user_id")
        ),
    )
    op.create_index(
        op.f("ix_invoice_approval_messages_invoice_id"),
        "invoice_approval_messages",
        ["invoice_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_invoice_approval_messages_invoice_id"), table_name="invoice_approval_messages"
    )
    op.drop_table("invoice_approval_messages")
