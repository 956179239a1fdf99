"""Unpaid invoices past due, for the personal digests of coordinators and management.

The only part of a digest that carries amounts: it goes to purchasers' DMs alone, never
into a channel's digest. Two queries whatever the number of people or invoices: who among
the subscribers may see it, then the invoices (the first rows, the total riding on each),
one list shared by every purchaser. No Slack here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.digests.queries import ROWS_PER_SECTION, Section, found
from bot.purchasing.access import PURCHASERS
from bot.purchasing.invoices import UNPAID
from bot.storage.department_models import DepartmentMember
from bot.storage.freelancer_models import Freelancer
from bot.storage.purchasing_models import Invoice, PurchaseOrder, Vendor

COMMAND = "/invoice list overdue"


@dataclass(frozen=True)
class LateInvoice:
    number: str
    direction: str  # "in": a supplier billed the label; "out": the label billed a vendor
    party: str  # the supplier, or whom the label billed
    order_number: str | None
    due: date
    amount: Decimal
    currency: str
    flags: tuple[str, ...]  # mismatches with the order: currency, total, not_received


def purchasers(session: Session, user_ids: Sequence[str]) -> set[str]:
    """Those of ``user_ids`` who are members of `coordinators` or `management`."""
    query = select(DepartmentMember.user_id).where(
        DepartmentMember.user_id.in_(list(user_ids)),
        DepartmentMember.department_key.in_(sorted(PURCHASERS)),
    )
    return set(session.scalars(query.distinct()))


def _late_invoice(row: Any) -> LateInvoice:
    flags = tuple(flag for flag in (row.match_flags or "").split(",") if flag)
    return LateInvoice(
        row.number,
        row.direction,
        row.party or "",
        row.order_number,
        row.due,
        row.amount,
        row.currency,
        flags,
    )


def overdue_invoices(session: Session, day: date, *, limit: int = ROWS_PER_SECTION) -> Section:
    """Unpaid (recorded, awaiting approval, approved) and due before ``day``, either way;
    the most overdue first. One query."""
    query = (
        select(
            Invoice.number,
            Invoice.direction,
            func.coalesce(Vendor.name, Freelancer.name).label("party"),
            PurchaseOrder.number.label("order_number"),
            Invoice.due,
            Invoice.amount,
            Invoice.currency,
            Invoice.match_flags,
            func.count().over().label("total"),
        )
        .outerjoin(PurchaseOrder, PurchaseOrder.id == Invoice.order_id)
        .outerjoin(Vendor, Vendor.id == Invoice.vendor_id)
        .outerjoin(Freelancer, Freelancer.id == Invoice.freelancer_id)
        .where(Invoice.status.in_(UNPAID), Invoice.due < day)
        .order_by(Invoice.due, Invoice.id)
        .limit(limit)
    )
    return found(session.execute(query).all(), _late_invoice)


def late_invoices(
    session: Session, user_ids: Sequence[str], day: date, *, limit: int = ROWS_PER_SECTION
) -> dict[str, Section]:
    """Person -> the unpaid invoices past due, for the purchasers among ``user_ids`` (nobody
    when none is late). Only a purchaser's DM may show them: they carry amounts."""
    readers = purchasers(session, user_ids) if user_ids else set()
    if not readers:
        return {}
    section = overdue_invoices(session, day, limit=limit)
    return {user: section for user in readers} if section.total else {}
