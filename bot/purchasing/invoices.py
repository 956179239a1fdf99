"""Invoices: a supplier's, recorded against an order and matched with it, and the label's own.

A supplier's invoice is matched three ways before it is paid — the order, the goods or work
received, the invoice — and a mismatch is flagged, never hidden. One strictly over the
approval limit waits for one `management` decision, taken by a conditional UPDATE so that
any number of clicks, on any number of replicas, record exactly one. Audited under entity
"invoice" with the invoice's id.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.core.errors import ConflictError, NotFoundError, ValidationError, echo
from bot.domain import contact, money
from bot.domain.actors import Actor
from bot.purchasing.access import require_management, require_purchasing
from bot.purchasing.orders import close_if_complete, get_order_by_number
from bot.purchasing.rules import MAX_REASON, is_received, order_total, within_tolerance
from bot.storage import audit
from bot.storage.purchasing_models import Invoice, PurchaseOrder

ENTITY = "invoice"
UNPAID = ("recorded", "awaiting_approval", "approved")
PAYABLE = ("recorded", "approved")
# Net 14 is common for freelancers; a vendor's invoice follows the vendor's own terms.
FREELANCER_TERMS_DAYS = 14
MAX_NUMBER = 60


def match(order: PurchaseOrder, amount: Decimal, currency: str, received: bool) -> list[str]:
    """What doesn't agree with the order: ``currency``, ``total`` (more than 1 % off the
    order's total) and ``not_received``; empty when the three agree."""
    flags = []
    if currency != order.currency:
        flags.append("currency")
    if not within_tolerance(amount, order_total(order)):
        flags.append("total")
    if not received:
        flags.append("not_received")
    return flags


def audit_invoice(
    session: Session, actor: Actor, invoice: Invoice, action: str, now: datetime, **after: Any
) -> None:
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity=ENTITY,
        entity_id=str(invoice.id),
        action=action,
        after={"number": invoice.number, "status": invoice.status, **after},
    )


def _options() -> list[Any]:
    return [
        selectinload(Invoice.order).selectinload(PurchaseOrder.lines),
        selectinload(Invoice.vendor),
        selectinload(Invoice.freelancer),
        selectinload(Invoice.lines),
    ]


def get_invoice(session: Session, invoice_id: int) -> Invoice:
    invoice = session.scalar(
        select(Invoice)
        .where(Invoice.id == invoice_id)
        .options(*_options())
        .execution_options(populate_existing=True)
    )
    if invoice is None:
        raise NotFoundError("That invoice doesn't exist. `/invoice list` shows them.")
    return invoice


def find_invoice(session: Session, number: str, *, order_number: str | None = None) -> Invoice:
    """By its number in any case (a supplier's, or INV-…); ``order_number`` tells apart two
    suppliers' invoices that happen to share a number."""
    query = select(Invoice).where(func.upper(Invoice.number) == number.strip().upper())
    if order_number:
        query = query.join(PurchaseOrder, Invoice.order_id == PurchaseOrder.id).where(
            PurchaseOrder.number == order_number.strip().upper()
        )
    found = list(session.scalars(query.options(*_options()).order_by(Invoice.id)))
    if not found:
        raise NotFoundError(f"There is no invoice {echo(number)}. `/invoice list` shows them.")
    if len(found) > 1:
        orders = ", ".join(inv.order.number for inv in found if inv.order is not None)
        raise ValidationError(
            f"{echo(number)} is the number of {len(found)} invoices (on {orders}); "
            f"say which order, e.g. order:{found[0].order.number if found[0].order else ''}."
        )
    return found[0]


def _supplier_number(text: str) -> str:
    return contact.text(text, field="number", limit=MAX_NUMBER, example='number:"OM-7781"')


def _not_recorded_twice(session: Session, order: PurchaseOrder, number: str) -> None:
    """A supplier never bills the same number twice: a second recording is a mistake."""
    supplier = (
        Invoice.vendor_id == order.vendor_id
        if order.vendor_id is not None
        else Invoice.freelancer_id == order.freelancer_id
    )
    existing = session.scalar(
        select(Invoice)
        .where(Invoice.direction == "in", supplier, func.upper(Invoice.number) == number.upper())
        .options(selectinload(Invoice.order))
    )
    if existing is not None and existing.order is not None:
        raise ConflictError(
            f"{echo(number)} from {order.supplier_name} is already recorded against "
            f"{existing.order.number}."
        )


def _flush(session: Session, order: PurchaseOrder, number: str) -> None:
    """Flush; a concurrent recording of the same number lost the race to the other one."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        _not_recorded_twice(session, order, number)
        raise ConflictError(f"{echo(number)} is already recorded.") from None


def _dates(
    order: PurchaseOrder, issued_on: date | None, due: date | None, today: date
) -> tuple[date, date]:
    issued = issued_on or today
    if issued > today:
        raise ValidationError(f"The invoice date {issued.isoformat()} is in the future.")
    terms = order.vendor.terms_days if order.vendor is not None else FREELANCER_TERMS_DAYS
    due_on = due or issued + timedelta(days=terms)
    if due_on < issued:
        raise ValidationError(
            f"`due` {due_on.isoformat()} is before the invoice date {issued.isoformat()}."
        )
    return issued, due_on


def _recordable(order: PurchaseOrder) -> None:
    if order.status == "draft":
        raise ConflictError(
            f"{order.number} is still a draft; issue it (`/order issue {order.number}`) "
            "before recording an invoice against it."
        )
    if order.status == "cancelled":
        raise ConflictError(
            f"{order.number} was cancelled ({echo(order.cancel_reason or '', 80)}); "
            "no invoice can be recorded against it."
        )


def record_invoice(
    session: Session,
    *,
    actor: Actor,
    order_number: str,
    number: str,
    amount: str,
    currency: str | None = None,
    due: date | None = None,
    issued_on: date | None = None,
    limit: Decimal,
    now: datetime,
    today: date,
) -> Invoice:
    """`/invoice record PO-… number:"OM-7781" amount:1075.00 [currency:EUR] [due:…]`.

    Strictly over ``limit`` (in the invoice's own currency) it waits for `management`."""
    require_purchasing(session, actor, "record invoices")
    reference = _supplier_number(number)
    value = money.parse_amount(amount, field="amount")
    code = money.parse_currency(currency) if currency else None
    order = get_order_by_number(session, order_number, for_update=True)
    _recordable(order)
    issued, due_on = _dates(order, issued_on, due, today)
    _not_recorded_twice(session, order, reference)
    invoice = Invoice(
        direction="in",
        number=reference,
        order=order,
        vendor_id=order.vendor_id,
        freelancer_id=order.freelancer_id,
        amount=value,
        currency=code or order.currency,
        issued_on=issued,
        due=due_on,
        status="awaiting_approval" if value > limit else "recorded",
        match_flags=",".join(match(order, value, code or order.currency, is_received(order))),
        created_by=actor.user_id,
        created_at=now,
    )
    session.add(invoice)
    _flush(session, order, reference)
    audit_invoice(
        session,
        actor,
        invoice,
        "record",
        now,
        order=order.number,
        amount=str(value),
        currency=invoice.currency,
        flags=invoice.match_flags,
    )
    close_if_complete(session, order, actor=actor, now=now)
    return invoice


def _refusal(invoice: Invoice, doing: str) -> ConflictError:
    """Why ``invoice`` can't be approved, rejected or paid now."""
    name = echo(invoice.number)
    if invoice.status == "awaiting_approval":
        return ConflictError(f"{name} waits for a `management` approval; it can't be {doing} yet.")
    if invoice.status == "rejected":
        return ConflictError(
            f"{name} was rejected by <@{invoice.decided_by}> "
            f"({echo(invoice.reject_reason or '', 80)}); it can't be {doing}."
        )
    if invoice.status == "paid":
        paid = invoice.paid_on.isoformat() if invoice.paid_on else "an earlier day"
        return ConflictError(f"{name} was already marked paid on {paid} by <@{invoice.paid_by}>.")
    return ConflictError(f"{name} is {invoice.status}; it can't be {doing}.")


def decide_invoice(
    session: Session,
    *,
    actor: Actor,
    invoice_id: int,
    approve: bool,
    reason: str | None = None,
    now: datetime,
) -> Invoice:
    """Approve or reject an invoice waiting for `management`: the first decision wins."""
    require_management(session, actor, "approve or reject invoices")
    why = None
    if not approve:
        why = contact.text(
            reason or "", field="reason", limit=MAX_REASON, example='"the quantity is wrong"'
        )
    decision = "approved" if approve else "rejected"
    taken = session.execute(
        update(Invoice)
        .where(Invoice.id == invoice_id, Invoice.status == "awaiting_approval")
        .values(status=decision, decided_by=actor.user_id, decided_at=now, reject_reason=why)
        .execution_options(synchronize_session=False)
    )
    invoice = get_invoice(session, invoice_id)
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        if invoice.decided_by is not None:
            word = "rejected" if invoice.status == "rejected" else "approved"
            raise ConflictError(
                f"{echo(invoice.number)} was already {word} by <@{invoice.decided_by}>."
            )
        raise ConflictError(f"{echo(invoice.number)} doesn't need an approval.")
    audit_invoice(session, actor, invoice, decision, now, reason=why)
    if approve and invoice.order is not None:
        close_if_complete(session, invoice.order, actor=actor, now=now)
    return invoice


def mark_paid(
    session: Session,
    *,
    actor: Actor,
    number: str,
    paid_on: date | None = None,
    order_number: str | None = None,
    now: datetime,
    today: date,
) -> Invoice:
    """`/invoice paid OM-7781 [date:…]`: refused while waiting for approval or rejected."""
    require_purchasing(session, actor, "mark invoices paid")
    day = paid_on or today
    if day > today:
        raise ValidationError(
            f"`date` {day.isoformat()} is in the future; give the day it was paid."
        )
    invoice = find_invoice(session, number, order_number=order_number)
    if invoice.status not in PAYABLE:
        raise _refusal(invoice, "paid")
    taken = session.execute(
        update(Invoice)
        .where(Invoice.id == invoice.id, Invoice.status.in_(PAYABLE))
        .values(status="paid", paid_on=day, paid_by=actor.user_id)
        .execution_options(synchronize_session=False)
    )
    invoice = get_invoice(session, invoice.id)
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise _refusal(invoice, "paid")
    audit_invoice(session, actor, invoice, "paid", now, paid_on=day.isoformat())
    return invoice


def _unpaid(query: Any, today: date, overdue: bool) -> Any:
    query = query.where(Invoice.status.in_(UNPAID))
    return query.where(Invoice.due < today) if overdue else query


def list_invoices(
    session: Session,
    *,
    actor: Actor,
    unpaid: bool = False,
    overdue: bool = False,
    today: date,
) -> list[Invoice]:
    """By due date; ``unpaid`` leaves out paid, rejected and cancelled ones, ``overdue``
    keeps the unpaid ones past due."""
    require_purchasing(session, actor, "see invoices")
    query = select(Invoice).options(*_options())
    if unpaid or overdue:
        query = _unpaid(query, today, overdue)
    return list(session.scalars(query.order_by(Invoice.due, Invoice.id)))


def overdue_unpaid(session: Session, today: date) -> list[Invoice]:
    """Unpaid invoices past due, either way, for coordinators' digests (no actor: the digest
    decides who sees it)."""
    query = _unpaid(select(Invoice).options(*_options()), today, overdue=True)
    return list(session.scalars(query.order_by(Invoice.due, Invoice.id)))
