"""ORM models of purchasing: vendors, purchase orders, invoices, release budgets and the
counters that number orders and invoices without gaps.

Money records are never deleted (every foreign key is ON DELETE RESTRICT): a vendor is
archived, an order or an invoice is cancelled and keeps its number.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.domain.money import CENT, UNITS
from bot.storage.base import Base

if TYPE_CHECKING:
    from bot.storage.asset_models import Asset
    from bot.storage.freelancer_models import Freelancer
    from bot.storage.release_models import Release

VENDOR_KINDS = ("plant", "printer", "merch", "distributor", "other")
ORDER_STATUSES = ("draft", "issued", "received", "closed", "cancelled")
INVOICE_STATUSES = ("recorded", "awaiting_approval", "approved", "rejected", "paid", "cancelled")
DIRECTIONS = ("in", "out")  # a supplier's invoice to the label, the label's own invoice


def _money() -> Numeric[Decimal]:
    # SQLite stores NUMERIC as REAL (15 significant digits, exact at this size); the column's
    # scale turns what comes back into the same Decimal on every backend.
    return Numeric(12, 2, asdecimal=True)


def _quantity() -> Numeric[Decimal]:
    return Numeric(12, 3, asdecimal=True)


def line_total(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Quantity × unit price to the cent, halves rounded up as on an invoice."""
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


class Vendor(Base):
    __tablename__ = "vendors"
    __table_args__ = (
        CheckConstraint(f"kind IN {VENDOR_KINDS!r}", name="kind_known"),
        CheckConstraint("terms_days >= 0", name="terms_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # The name case-folded: unique, so "optimal media" is the same vendor as "Optimal Media".
    name_key: Mapped[str] = mapped_column(String(240), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    terms_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    tax_id: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()

    @property
    def label(self) -> str:
        return f"V-{self.id}"


class DocumentCounter(Base):
    """The last number given in a series ("PO", "INV") and year; see bot.purchasing.numbering."""

    __tablename__ = "document_counters"
    __table_args__ = (CheckConstraint("last >= 0", name="last_not_negative"),)

    series: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


purchase_order_assets = Table(
    "purchase_order_assets",
    Base.metadata,
    Column(
        "order_id",
        ForeignKey("purchase_orders.id", ondelete="RESTRICT"),
        primary_key=True,
    ),
    Column("asset_id", ForeignKey("assets.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"
    __table_args__ = (
        CheckConstraint(f"status IN {ORDER_STATUSES!r}", name="status_known"),
        # Exactly one supplier: a vendor or a freelancer.
        CheckConstraint("(vendor_id IS NULL) <> (freelancer_id IS NULL)", name="one_supplier"),
        UniqueConstraint("series_year", "seq"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # PO-2027-0001
    vendor_id: Mapped[int | None] = mapped_column(
        ForeignKey("vendors.id", ondelete="RESTRICT"), index=True
    )
    freelancer_id: Mapped[int | None] = mapped_column(
        ForeignKey("freelancers.id", ondelete="RESTRICT"), index=True
    )
    release_id: Mapped[int | None] = mapped_column(
        ForeignKey("releases.id", ondelete="RESTRICT"), index=True
    )
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(12), index=True)
    expected: Mapped[date | None] = mapped_column(Date)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column()
    issued_by: Mapped[str | None] = mapped_column(String(32))
    issued_at: Mapped[datetime | None] = mapped_column()
    received_by: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime | None] = mapped_column()
    closed_by: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None] = mapped_column()
    cancelled_by: Mapped[str | None] = mapped_column(String(32))
    cancelled_at: Mapped[datetime | None] = mapped_column()

    vendor: Mapped[Vendor | None] = relationship()
    freelancer: Mapped[Freelancer | None] = relationship()
    release: Mapped[Release | None] = relationship()
    lines: Mapped[list[PurchaseOrderLine]] = relationship(
        back_populates="order", order_by="PurchaseOrderLine.position"
    )
    assets: Mapped[list[Asset]] = relationship(secondary=purchase_order_assets, order_by="Asset.id")

    @property
    def supplier_name(self) -> str:
        supplier = self.vendor or self.freelancer
        return supplier.name if supplier is not None else ""

    @property
    def supplier_label(self) -> str:
        supplier = self.vendor or self.freelancer
        return supplier.label if supplier is not None else ""


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint(f"unit IS NULL OR unit IN {UNITS!r}", name="unit_known"),
        UniqueConstraint("order_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(_quantity())
    unit_price: Mapped[Decimal] = mapped_column(_money())
    unit: Mapped[str | None] = mapped_column(String(10))  # freelance work: per hour, day, …
    asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("assets.id", ondelete="RESTRICT"), index=True
    )

    order: Mapped[PurchaseOrder] = relationship(back_populates="lines")

    @property
    def total(self) -> Decimal:
        return line_total(self.quantity, self.unit_price)


class Invoice(Base):
    """A supplier's invoice recorded against an order ("in"), or the label's own ("out")."""

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint(f"direction IN {DIRECTIONS!r}", name="direction_known"),
        CheckConstraint(f"status IN {INVOICE_STATUSES!r}", name="status_known"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("direction = 'in' OR seq IS NOT NULL", name="out_numbered"),
        CheckConstraint("direction = 'out' OR order_id IS NOT NULL", name="in_has_order"),
        # A supplier never reuses an invoice number; NULLs are distinct, so each constraint
        # binds only the invoices of its own kind of supplier.
        UniqueConstraint("direction", "vendor_id", "number"),
        UniqueConstraint("direction", "freelancer_id", "number"),
        UniqueConstraint("series_year", "seq"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))
    number: Mapped[str] = mapped_column(String(60))
    series_year: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer)
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="RESTRICT"), index=True
    )
    vendor_id: Mapped[int | None] = mapped_column(
        ForeignKey("vendors.id", ondelete="RESTRICT"), index=True
    )
    freelancer_id: Mapped[int | None] = mapped_column(
        ForeignKey("freelancers.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(_money())
    currency: Mapped[str] = mapped_column(String(3))
    issued_on: Mapped[date] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    # Comma-separated mismatches with the order ("currency,total,not_received"); "" matched.
    match_flags: Mapped[str] = mapped_column(String(100), default="", server_default="")
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None] = mapped_column()
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_by: Mapped[str | None] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column()

    order: Mapped[PurchaseOrder | None] = relationship()
    vendor: Mapped[Vendor | None] = relationship()
    freelancer: Mapped[Freelancer | None] = relationship()
    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.position"
    )

    @property
    def flags(self) -> list[str]:
        return [flag for flag in self.match_flags.split(",") if flag]


class InvoiceLine(Base):
    """A line of the label's own invoice."""

    __tablename__ = "invoice_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        UniqueConstraint("invoice_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(_quantity())
    unit_price: Mapped[Decimal] = mapped_column(_money())

    invoice: Mapped[Invoice] = relationship(back_populates="lines")

    @property
    def total(self) -> Decimal:
        return line_total(self.quantity, self.unit_price)


class ReleaseBudget(Base):
    """What a release may spend in one currency; currencies are never converted."""

    __tablename__ = "release_budgets"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    release_id: Mapped[int] = mapped_column(
        ForeignKey("releases.id", ondelete="RESTRICT"), primary_key=True
    )
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(_money())
    set_by: Mapped[str] = mapped_column(String(32))
    set_at: Mapped[datetime] = mapped_column()


class InvoiceApprovalMessage(Base):
    """One copy of an invoice's approval request: a DM to a management member. A decision
    redraws every copy, so each says who decided and none keeps live buttons."""

    __tablename__ = "invoice_approval_messages"
    __table_args__ = (UniqueConstraint("invoice_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="RESTRICT"), index=True
    )
    user_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str | None] = mapped_column(String(32))  # set once the DM is sent
    ts: Mapped[str | None] = mapped_column(String(32))
