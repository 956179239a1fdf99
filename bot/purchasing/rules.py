"""Rules of orders that need no database: statuses that count, totals, the 1 % tolerance
and what "received" means."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.stages import Stage
from bot.storage.asset_models import Asset
from bot.storage.purchasing_models import PurchaseOrder

OPEN = ("draft", "issued", "received")
# Orders that commit money: issued to the supplier and not cancelled.
COMMITTED = ("issued", "received", "closed")
# A supplier's invoices that count towards an order being billed in full.
BILLED = ("recorded", "approved", "paid")
# "Received" for freelance work: the asset was approved (or has gone further).
RECEIVED_STAGES = (
    Stage.APPROVED.value,
    Stage.PREPRESS.value,
    Stage.MANUFACTURING.value,
    Stage.QC.value,
    Stage.DONE.value,
)
TOLERANCE = Decimal("0.01")  # 1 %: rounding and freight
MAX_REASON = 500
ZERO = Decimal("0.00")


def order_total(order: PurchaseOrder) -> Decimal:
    """The sum of the lines, in the order's one currency."""
    return sum((line.total for line in order.lines), ZERO)


def within_tolerance(amount: Decimal, total: Decimal) -> bool:
    """At most 1 % of ``total`` away from it, both sides included."""
    return abs(amount - total) <= total * TOLERANCE


def is_received(order: PurchaseOrder) -> bool:
    """Goods received for a vendor; for a freelancer, every asset on the order approved."""
    if order.status in ("received", "closed"):
        return True
    if order.freelancer_id is None or not order.assets:
        return False
    return all(_work_approved(asset) for asset in order.assets)


def _work_approved(asset: Asset) -> bool:
    # Putting approved work on hold doesn't take the approval back.
    stage = asset.held_from if asset.stage == Stage.ON_HOLD.value else asset.stage
    return stage in RECEIVED_STAGES
