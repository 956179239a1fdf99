"""Purchase orders: `draft → issued → received → closed`, or `cancelled` (keeping its number).

An order is numbered when it is created (PO-<year>-<nnnn>, gap-free within the year of
``today`` in the workspace time zone), for a vendor or for a freelancer's work on an asset.
Amounts are exact decimals from the text typed to the column and back. Every change is
audited under entity "order" with the order's number.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.core.errors import ConflictError, NotFoundError, ValidationError, echo
from bot.domain import contact, money
from bot.domain.actors import Actor
from bot.purchasing import numbering
from bot.purchasing.access import require_purchasing
from bot.purchasing.lines import MAX_LINES, LineInput, check_total, clean_line
from bot.purchasing.rules import BILLED, MAX_REASON, OPEN, TOLERANCE, ZERO, order_total
from bot.purchasing.vendors import get_vendor
from bot.releases.service import get_release
from bot.storage import audit
from bot.storage.freelancer_models import Freelancer
from bot.storage.purchasing_models import Invoice, PurchaseOrder, PurchaseOrderLine, Vendor
from bot.storage.release_models import Release

ENTITY = "order"


def snapshot(order: PurchaseOrder) -> dict[str, Any]:
    return {
        "number": order.number,
        "status": order.status,
        "supplier": order.supplier_label,
        "currency": order.currency,
        "release": order.release.catno if order.release else None,
        "expected": audit.jsonable(order.expected),
        "total": str(order_total(order)),  # a string: exact in the JSON audit log
    }


def _line_snapshot(line: PurchaseOrderLine) -> dict[str, Any]:
    return {
        "position": line.position,
        "item": line.item,
        "quantity": str(line.quantity),
        "unit_price": str(line.unit_price),
        "unit": line.unit,
    }


def audit_order(
    session: Session,
    actor: Actor,
    order: PurchaseOrder,
    action: str,
    now: datetime,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity=ENTITY,
        entity_id=order.number,
        action=action,
        before=before,
        after=after,
    )


def _loaded() -> list[Any]:
    return [
        selectinload(PurchaseOrder.lines),
        selectinload(PurchaseOrder.assets),
        selectinload(PurchaseOrder.vendor),
        selectinload(PurchaseOrder.freelancer),
        selectinload(PurchaseOrder.release),
    ]


def get_order_by_number(
    session: Session, number: str, *, for_update: bool = False
) -> PurchaseOrder:
    """``po-2027-0001`` finds PO-2027-0001."""
    query = (
        select(PurchaseOrder)
        .where(PurchaseOrder.number == number.strip().upper())
        .options(*_loaded())
    )
    if for_update:
        query = query.with_for_update(of=PurchaseOrder)
    order = session.scalar(query)
    if order is None:
        raise NotFoundError(f"There is no order {echo(number, 24)}. `/order list` shows them.")
    return order


def _release(session: Session, catno: str | None) -> Release | None:
    if catno is None:
        return None
    release = get_release(session, catno)
    if release.cancelled_at is not None:
        raise ConflictError(f"{release.catno} is cancelled; it takes no new orders.")
    return release


def check_expected(expected: date | None, today: date) -> date | None:
    if expected is not None and expected < today:
        raise ValidationError(
            f"`due` is {expected.isoformat()}, already past; give today or a later date."
        )
    return expected


def create_order(
    session: Session,
    actor: Actor,
    supplier: Vendor | Freelancer,
    *,
    currency: str,
    release: Release | None,
    expected: date | None,
    now: datetime,
    today: date,
) -> PurchaseOrder:
    seq = numbering.next_number(session, numbering.ORDERS, today.year)
    order = PurchaseOrder(
        series_year=today.year,
        seq=seq,
        number=numbering.format_number(numbering.ORDERS, today.year, seq),
        currency=currency,
        release=release,
        status="draft",
        expected=expected,
        created_by=actor.user_id,
        created_at=now,
    )
    if isinstance(supplier, Vendor):
        order.vendor = supplier
    else:
        order.freelancer = supplier
    session.add(order)
    return order


def new_order(
    session: Session,
    *,
    actor: Actor,
    vendor_id: int,
    line: LineInput,
    currency: str | None = None,
    release: str | None = None,
    expected: date | None = None,
    now: datetime,
    today: date,
) -> PurchaseOrder:
    """`/order new V-1 item:… qty:500 price:2.15 [currency:…] [release:SLV-014] [due:…]`."""
    require_purchasing(session, actor, "create purchase orders")
    cleaned = clean_line(line)
    code = money.parse_currency(currency) if currency else None
    vendor = get_vendor(session, vendor_id)
    if not vendor.active:
        raise ConflictError(
            f"{vendor.label} {echo(vendor.name)} is archived and takes no new orders; "
            f"`/vendor restore {vendor.label}` brings it back."
        )
    order = create_order(
        session,
        actor,
        vendor,
        currency=code or vendor.currency,
        release=_release(session, release),
        expected=check_expected(expected, today),
        now=now,
        today=today,
    )
    order.lines.append(
        PurchaseOrderLine(
            position=1,
            item=cleaned.item,
            quantity=cleaned.quantity,
            unit_price=cleaned.unit_price,
        )
    )
    audit_order(session, actor, order, "create", now, after=snapshot(order))
    return order


def add_line(
    session: Session, *, actor: Actor, number: str, line: LineInput, now: datetime
) -> PurchaseOrderLine:
    """`/order add PO-2027-0001 item:… qty:… price:…`, while the order is a draft."""
    require_purchasing(session, actor, "change purchase orders")
    cleaned = clean_line(line)
    order = get_order_by_number(session, number, for_update=True)
    if order.status != "draft":
        raise ConflictError(
            f"{order.number} is {order.status}; lines can be added only to a draft."
        )
    if len(order.lines) >= MAX_LINES:
        raise ConflictError(f"{order.number} has {MAX_LINES} lines, as many as an order holds.")
    added = PurchaseOrderLine(
        position=max((ln.position for ln in order.lines), default=0) + 1,
        item=cleaned.item,
        quantity=cleaned.quantity,
        unit_price=cleaned.unit_price,
    )
    order.lines.append(added)
    check_total(order_total(order))
    audit_order(session, actor, order, "line", now, after=_line_snapshot(added))
    return added


def _move(
    session: Session,
    actor: Actor,
    order: PurchaseOrder,
    allowed_from: tuple[str, ...],
    to: str,
    now: datetime,
    *,
    why: dict[str, Any] | None = None,
) -> None:
    """One status change: refused, naming the states it can happen from, unless legal."""
    if order.status not in allowed_from:
        raise ConflictError(
            f"{order.number} is {order.status}; only an order that is "
            f"{' or '.join(allowed_from)} can become {to}."
        )
    before = order.status
    order.status = to
    setattr(order, f"{to}_by", actor.user_id)
    setattr(order, f"{to}_at", now)
    after = {"status": to, **(why or {})}
    audit_order(session, actor, order, to, now, before={"status": before}, after=after)


def issue_order(session: Session, *, actor: Actor, number: str, now: datetime) -> PurchaseOrder:
    """`/order issue PO-…`: the order goes to the supplier and commits the money."""
    require_purchasing(session, actor, "issue purchase orders")
    order = get_order_by_number(session, number, for_update=True)
    if order.status == "draft" and not order.lines:
        raise ConflictError(f"{order.number} has no lines; add one with `/order add`.")
    if order.status == "draft" and order.vendor is not None and not order.vendor.active:
        raise ConflictError(
            f"{order.vendor.label} is archived; restore it or cancel {order.number}."
        )
    _move(session, actor, order, ("draft",), "issued", now)
    return order


def receive_order(session: Session, *, actor: Actor, number: str, now: datetime) -> PurchaseOrder:
    """`/order receive PO-…`: goods or work arrived; an order already billed in full closes."""
    require_purchasing(session, actor, "receive purchase orders")
    order = get_order_by_number(session, number, for_update=True)
    _move(session, actor, order, ("issued",), "received", now)
    close_if_complete(session, order, actor=actor, now=now)
    return order


def cancel_order(
    session: Session, *, actor: Actor, number: str, reason: str, now: datetime
) -> PurchaseOrder:
    """`/order cancel PO-… reason:"…"`: the order keeps its number and says why."""
    require_purchasing(session, actor, "cancel purchase orders")
    why = contact.text(reason, field="reason", limit=MAX_REASON, example='reason:"wrong vendor"')
    order = get_order_by_number(session, number, for_update=True)
    paid = session.scalar(
        select(Invoice.number).where(Invoice.order_id == order.id, Invoice.status == "paid")
    )
    if paid is not None:
        raise ConflictError(
            f"{order.number} has a paid invoice ({echo(paid)}); it can't be cancelled."
        )
    _move(session, actor, order, OPEN, "cancelled", now, why={"reason": why})
    order.cancel_reason = why
    return order


def close_order(session: Session, *, actor: Actor, number: str, now: datetime) -> PurchaseOrder:
    """Close a received order by hand, billed in full or not."""
    require_purchasing(session, actor, "close purchase orders")
    order = get_order_by_number(session, number, for_update=True)
    _move(session, actor, order, ("received",), "closed", now)
    return order


def invoiced_total(session: Session, order: PurchaseOrder) -> Decimal:
    """What the supplier has billed in the order's currency (not rejected, not waiting)."""
    amounts = session.scalars(
        select(Invoice.amount).where(
            Invoice.order_id == order.id,
            Invoice.direction == "in",
            Invoice.currency == order.currency,
            Invoice.status.in_(BILLED),
        )
    )
    return sum(amounts, ZERO)


def close_if_complete(
    session: Session, order: PurchaseOrder, *, actor: Actor, now: datetime
) -> bool:
    """A received order billed in full (within the tolerance) closes by itself."""
    if order.status != "received":
        return False
    total = order_total(order)
    if invoiced_total(session, order) < total - total * TOLERANCE:
        return False
    _move(session, actor, order, ("received",), "closed", now, why={"invoiced": "in full"})
    return True


def list_orders(session: Session, *, actor: Actor, open_only: bool = True) -> list[PurchaseOrder]:
    """Newest first; with ``open_only``, drafts and orders not yet closed or cancelled."""
    require_purchasing(session, actor, "see purchase orders")
    query = select(PurchaseOrder).options(*_loaded())
    if open_only:
        query = query.where(PurchaseOrder.status.in_(OPEN))
    query = query.order_by(PurchaseOrder.series_year.desc(), PurchaseOrder.seq.desc())
    return list(session.scalars(query))


def show_order(session: Session, *, actor: Actor, number: str) -> PurchaseOrder:
    require_purchasing(session, actor, "see purchase orders")
    return get_order_by_number(session, number)
