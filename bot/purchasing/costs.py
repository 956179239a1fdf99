"""A release's money: its budget, what orders commit, what suppliers invoiced and what was
paid — per currency, never converted (Sleeve invents no exchange rates)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.core.errors import ConflictError
from bot.domain import money
from bot.domain.actors import Actor
from bot.purchasing.access import require_purchasing
from bot.purchasing.lines import parse_price
from bot.purchasing.rules import COMMITTED, ZERO, order_total
from bot.releases.service import get_release
from bot.storage import audit
from bot.storage.purchasing_models import Invoice, PurchaseOrder, ReleaseBudget
from bot.storage.release_models import Release

# A supplier's invoice counts as invoiced unless it was turned down or withdrawn.
NOT_INVOICED = ("rejected", "cancelled")


@dataclass(frozen=True)
class Costs:
    """One currency of a release."""

    currency: str
    budget: Decimal | None
    committed: Decimal
    invoiced: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal | None:
        """Budget left after what orders commit; negative when over budget."""
        return None if self.budget is None else self.budget - self.committed


def set_budget(
    session: Session, *, actor: Actor, catno: str, amount: str, currency: str, now: datetime
) -> ReleaseBudget:
    """`/release budget SLV-014 4500 GBP`: one budget per currency, replaced when set again."""
    require_purchasing(session, actor, "set budgets")
    value = parse_price(amount, field="budget")
    code = money.parse_currency(currency)
    release = get_release(session, catno)
    budget = session.scalar(
        select(ReleaseBudget)
        .where(ReleaseBudget.release_id == release.id, ReleaseBudget.currency == code)
        .with_for_update()
    )
    before = None if budget is None else {"currency": code, "amount": str(budget.amount)}
    if budget is None:
        budget = ReleaseBudget(release_id=release.id, currency=code)
        session.add(budget)
    budget.amount, budget.set_by, budget.set_at = value, actor.user_id, now
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise ConflictError(
            f"Someone set {release.catno}'s {code} budget at the same moment; try again."
        ) from None
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="release",
        entity_id=release.catno,
        action="budget",
        before=before,
        after={"currency": code, "amount": str(value)},
    )
    return budget


def release_costs(session: Session, release_id: int) -> list[Costs]:
    """Per currency, alphabetically: budget, committed (issued, received and closed orders),
    invoiced (suppliers' invoices not rejected or cancelled) and paid."""
    budgets = {
        b.currency: b.amount
        for b in session.scalars(
            select(ReleaseBudget).where(ReleaseBudget.release_id == release_id)
        )
    }
    committed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    orders = session.scalars(
        select(PurchaseOrder)
        .where(PurchaseOrder.release_id == release_id, PurchaseOrder.status.in_(COMMITTED))
        .options(selectinload(PurchaseOrder.lines))
    )
    for order in orders:
        committed[order.currency] += order_total(order)
    invoiced: dict[str, Decimal] = defaultdict(lambda: ZERO)
    paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
    invoices = session.scalars(
        select(Invoice)
        .join(PurchaseOrder, Invoice.order_id == PurchaseOrder.id)
        .where(
            PurchaseOrder.release_id == release_id,
            Invoice.direction == "in",
            Invoice.status.not_in(NOT_INVOICED),
        )
    )
    for invoice in invoices:
        invoiced[invoice.currency] += invoice.amount
        if invoice.status == "paid":
            paid[invoice.currency] += invoice.amount
    currencies = sorted(set(budgets) | set(committed) | set(invoiced))
    return [
        Costs(
            currency=code,
            budget=budgets.get(code),
            committed=committed[code],
            invoiced=invoiced[code],
            paid=paid[code],
        )
        for code in currencies
    ]


def costs_for(session: Session, *, actor: Actor, catno: str) -> tuple[Release, list[Costs]]:
    """`/release costs SLV-014`, for coordinators and management."""
    require_purchasing(session, actor, "see costs")
    release = get_release(session, catno)
    return release, release_costs(session, release.id)
