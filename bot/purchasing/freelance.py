"""Purchase orders for a freelancer's work on an asset, priced from the rate agreement in
force on the day they were assigned: per asset or project one, per hour or day as many as
given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.assets import service as assets
from bot.core.errors import ConflictError, ValidationError, echo
from bot.domain.actors import Actor
from bot.freelancers.service import current_agreement, get_freelancer
from bot.purchasing.access import require_purchasing
from bot.purchasing.lines import check_total, parse_quantity
from bot.purchasing.orders import audit_order, check_expected, create_order, snapshot
from bot.purchasing.rules import order_total
from bot.storage.asset_models import Asset
from bot.storage.freelancer_models import Assignment, Freelancer, RateAgreement
from bot.storage.purchasing_models import PurchaseOrder, PurchaseOrderLine


@dataclass(frozen=True)
class Priced:
    agreement: RateAgreement
    quantity: Decimal
    assigned_on: date


def quantity_for(unit: str, hours: str | None, days: str | None, who: str) -> Decimal:
    """Per asset or project: 1. Per hour or day: the number given, which must be given."""
    if unit not in ("hour", "day"):
        if hours or days:
            raise ValidationError(f"{who} is paid per {unit}: the order is for one {unit}.")
        return Decimal(1)
    wanted, other = ("hours", "days") if unit == "hour" else ("days", "hours")
    given, wrong = (hours, days) if unit == "hour" else (days, hours)
    if wrong or not given:
        raise ValidationError(
            f"{who} is paid per {unit}: say how many {wanted}, e.g. {wanted}:12"
            + (f" (not {other})." if wrong else ".")
        )
    return parse_quantity(given, field=wanted)


def _assignment(session: Session, asset: Asset, freelancer: Freelancer) -> Assignment:
    """The latest time ``freelancer`` was put on ``asset``: its day prices the work."""
    assignment = session.scalar(
        select(Assignment)
        .where(Assignment.asset_id == asset.id, Assignment.freelancer_id == freelancer.id)
        .order_by(Assignment.assigned_at.desc(), Assignment.id.desc())
        .limit(1)
    )
    if assignment is None:
        raise ConflictError(
            f"{freelancer.label} was never assigned to {assets.label(asset)}; "
            f"`/asset assign {assets.label(asset)} {freelancer.label}` first."
        )
    return assignment


def price_work(
    session: Session,
    freelancer: Freelancer,
    asset: Asset,
    *,
    hours: str | None,
    days: str | None,
    tz: tzinfo,
) -> Priced:
    """The terms of the work, the day of the assignment read in the workspace's ``tz``."""
    assigned_on = _assignment(session, asset, freelancer).assigned_at.astimezone(tz).date()
    agreement = current_agreement(freelancer.agreements, assigned_on)
    if agreement is None:
        raise ConflictError(
            f"{freelancer.label} had no rate agreement on {assigned_on.isoformat()}, the day "
            f"{assets.label(asset)} was assigned; record one with "
            f"`/freelancer rate {freelancer.label} … from:{assigned_on.isoformat()}`."
        )
    quantity = quantity_for(agreement.unit, hours, days, freelancer.label)
    return Priced(agreement, quantity, assigned_on)


def not_ordered_twice(session: Session, asset: Asset, freelancer: Freelancer) -> None:
    """One live order per freelancer and asset: a second would pay the same work twice."""
    existing = session.scalar(
        select(PurchaseOrder.number)
        .join(PurchaseOrderLine, PurchaseOrderLine.order_id == PurchaseOrder.id)
        .where(
            PurchaseOrder.freelancer_id == freelancer.id,
            PurchaseOrderLine.asset_id == asset.id,
            PurchaseOrder.status != "cancelled",
        )
        .limit(1)
    )
    if existing is not None:
        raise ConflictError(
            f"{assets.label(asset)} by {freelancer.label} is already on {existing}; "
            "cancel that order first to make a new one."
        )


def new_freelance_order(
    session: Session,
    *,
    actor: Actor,
    freelancer_id: int,
    asset_id: int,
    hours: str | None = None,
    days: str | None = None,
    expected: date | None = None,
    tz: tzinfo,
    now: datetime,
    today: date,
) -> PurchaseOrder:
    """`/order new F-2 asset:A-3 [hours:12|days:3]`, priced from the rate agreement in force
    on the day (in ``tz``, the workspace's) the freelancer was assigned to the asset."""
    require_purchasing(session, actor, "create purchase orders")
    freelancer = get_freelancer(session, freelancer_id)
    if not freelancer.active:
        raise ConflictError(
            f"{freelancer.label} {echo(freelancer.name)} is archived and takes no new orders."
        )
    asset = assets.get_asset(session, asset_id)
    priced = price_work(session, freelancer, asset, hours=hours, days=days, tz=tz)
    not_ordered_twice(session, asset, freelancer)
    order = create_order(
        session,
        actor,
        freelancer,
        currency=priced.agreement.currency,
        release=asset.release,
        expected=check_expected(expected, today),
        now=now,
        today=today,
    )
    order.assets.append(asset)
    item = f"{asset.title} ({assets.label(asset)})"
    order.lines.append(
        PurchaseOrderLine(
            position=1,
            item=item if len(item) <= 200 else f"{item[:199]}…",
            quantity=priced.quantity,
            unit_price=priced.agreement.amount,
            unit=priced.agreement.unit,
            asset_id=asset.id,
        )
    )
    check_total(order_total(order))
    audit_order(session, actor, order, "create", now, after=snapshot(order))
    return order
