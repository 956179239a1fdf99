"""Purchasing: vendors, purchase orders, invoices, release budgets, gap-free counters.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

VENDOR_KINDS = "('plant', 'printer', 'merch', 'distributor', 'other')"
ORDER_STATUSES = "('draft', 'issued', 'received', 'closed', 'cancelled')"
INVOICE_STATUSES = (
    "('recorded', 'awaiting_approval', 'approved', 'rejected', 'paid', 'cancelled')"
)
UNITS = "('hour', 'day', 'asset', 'project')"


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="RESTRICT",
    )


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def _vendors() -> None:
    op.create_table(
        "vendors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_key", sa.String(length=240), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("terms_days", sa.Integer(), server_default="30", nullable=False),
        sa.Column("tax_id", sa.String(length=40), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN {VENDOR_KINDS}", name=op.f("ck_vendors_kind_known")),
        sa.CheckConstraint("terms_days >= 0", name=op.f("ck_vendors_terms_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendors")),
        sa.UniqueConstraint("name_key", name=op.f("uq_vendors_name_key")),
    )
    op.create_table(
        "document_counters",
        sa.Column("series", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.CheckConstraint("last >= 0", name=op.f("ck_document_counters_last_not_negative")),
        sa.PrimaryKeyConstraint("series", "year", name=op.f("pk_document_counters")),
    )


def _orders() -> None:
    op.create_table(
        "purchase_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("freelancer_id", sa.Integer(), nullable=True),
        sa.Column("release_id", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("expected", sa.Date(), nullable=True),
        sa.Column("cancel_reason", sa.String(length=500), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=32), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_by", sa.String(length=32), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=32), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.String(length=32), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            f"status IN {ORDER_STATUSES}", name=op.f("ck_purchase_orders_status_known")
        ),
        sa.CheckConstraint(
            "(vendor_id IS NULL) <> (freelancer_id IS NULL)",
            name=op.f("ck_purchase_orders_one_supplier"),
        ),
        _fk("purchase_orders", "vendor_id", "vendors"),
        _fk("purchase_orders", "freelancer_id", "freelancers"),
        _fk("purchase_orders", "release_id", "releases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_purchase_orders_number")),
        sa.UniqueConstraint(
            "series_year", "seq", name=op.f("uq_purchase_orders_series_year_seq")
        ),
    )
    _index("purchase_orders", "vendor_id", "freelancer_id", "release_id", "status")
    op.create_table(
        "purchase_order_assets",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        _fk("purchase_order_assets", "order_id", "purchase_orders"),
        _fk("purchase_order_assets", "asset_id", "assets"),
        sa.PrimaryKeyConstraint("order_id", "asset_id", name=op.f("pk_purchase_order_assets")),
    )
    _index("purchase_order_assets", "asset_id")
    op.create_table(
        "purchase_order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=True),
        sa.Column("asset_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_purchase_order_lines_quantity_positive")),
        sa.CheckConstraint(
            "unit_price >= 0", name=op.f("ck_purchase_order_lines_unit_price_not_negative")
        ),
        sa.CheckConstraint(
            f"unit IS NULL OR unit IN {UNITS}", name=op.f("ck_purchase_order_lines_unit_known")
        ),
        _fk("purchase_order_lines", "order_id", "purchase_orders"),
        _fk("purchase_order_lines", "asset_id", "assets"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order_lines")),
        sa.UniqueConstraint(
            "order_id", "position", name=op.f("uq_purchase_order_lines_order_id_position")
        ),
    )
    _index("purchase_order_lines", "asset_id")


def _invoices() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("series_year", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("freelancer_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("match_flags", sa.String(length=100), server_default="", nullable=False),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reject_reason", sa.String(length=500), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_by", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("direction IN ('in', 'out')", name=op.f("ck_invoices_direction_known")),
        sa.CheckConstraint(f"status IN {INVOICE_STATUSES}", name=op.f("ck_invoices_status_known")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_invoices_amount_positive")),
        sa.CheckConstraint(
            "direction = 'in' OR seq IS NOT NULL", name=op.f("ck_invoices_out_numbered")
        ),
        sa.CheckConstraint(
            "direction = 'out' OR order_id IS NOT NULL", name=op.f("ck_invoices_in_has_order")
        ),
        _fk("invoices", "order_id", "purchase_orders"),
        _fk("invoices", "vendor_id", "vendors"),
        _fk("invoices", "freelancer_id", "freelancers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint(
            "direction", "vendor_id", "number", name=op.f("uq_invoices_direction_vendor_id_number")
        ),
        sa.UniqueConstraint(
            "direction",
            "freelancer_id",
            "number",
            name=op.f("uq_invoices_direction_freelancer_id_number"),
        ),
        sa.UniqueConstraint("series_year", "seq", name=op.f("uq_invoices_series_year_seq")),
    )
    _index("invoices", "order_id", "vendor_id", "freelancer_id", "due", "status")
    op.create_table(
        "invoice_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_invoice_lines_quantity_positive")),
        sa.CheckConstraint(
            "unit_price >= 0", name=op.f("ck_invoice_lines_unit_price_not_negative")
        ),
        _fk("invoice_lines", "invoice_id", "invoices"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_lines")),
        sa.UniqueConstraint(
            "invoice_id", "position", name=op.f("uq_invoice_lines_invoice_id_position")
        ),
    )
    op.create_table(
        "release_budgets",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("set_by", sa.String(length=32), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_release_budgets_amount_not_negative")),
        _fk("release_budgets", "release_id", "releases"),
        sa.PrimaryKeyConstraint("release_id", "currency", name=op.f("pk_release_budgets")),
    )


def upgrade() -> None:
    _vendors()
    _orders()
    _invoices()


def downgrade() -> None:
    op.drop_table("release_budgets")
    op.drop_table("invoice_lines")
    op.drop_index(op.f("ix_invoices_status"), table_name="invoices")
    op.drop_index(op.f("ix_invoices_due"), table_name="invoices")
    op.drop_index(op.f("ix_invoices_freelancer_id"), table_name="invoices")
    op.drop_index(op.f("ix_invoices_vendor_id"), table_name="invoices")
    op.drop_index(op.f("ix_invoices_order_id"), table_name="invoices")
    op.drop_table("invoices")
    op.drop_index(op.f("ix_purchase_order_lines_asset_id"), table_name="purchase_order_lines")
    op.drop_table("purchase_order_lines")
    op.drop_index(op.f("ix_purchase_order_assets_asset_id"), table_name="purchase_order_assets")
    op.drop_table("purchase_order_assets")
    op.drop_index(op.f("ix_purchase_orders_status"), table_name="purchase_orders")
    op.drop_index(op.f("ix_purchase_orders_release_id"), table_name="purchase_orders")
    op.drop_index(op.f("ix_purchase_orders_freelancer_id"), table_name="purchase_orders")
    op.drop_index(op.f("ix_purchase_orders_vendor_id"), table_name="purchase_orders")
    op.drop_table("purchase_orders")
    op.drop_table("document_counters")
    op.drop_table("vendors")
