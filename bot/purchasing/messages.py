"""What purchasing says in Slack. Amounts appear only in what goes to coordinators and
management alone (ephemeral replies, DMs, files sent to them); a thread note names an order
and its supplier, never a figure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

from bot.domain.money import format_money
from bot.slack import ids
from bot.slack.blocks import Blocks, context, line_sections, section, to_dicts
from bot.slack.text import escape, fit, mention

if TYPE_CHECKING:
    from bot.purchasing.costs import Costs
    from bot.storage.purchasing_models import Invoice, PurchaseOrder, Vendor
    from bot.storage.release_models import Release

FLAG_WORDS = {
    "currency": "the currency differs from the order's",
    "total": "the amount is more than 1 % off the order's total",
    "not_received": "not yet received",
}


class InvoiceButton(BaseModel):
    """Rides in the approve and reject buttons: the invoice alone."""

    model_config = ConfigDict(extra="forbid")
    i: int


class RejectState(BaseModel):
    """Rides in the reject form's private_metadata."""

    model_config = ConfigDict(extra="forbid")
    invoice_id: int
    channel: str | None = None
    ts: str | None = None


def vendor_line(vendor: Vendor) -> str:
    archived = "" if vendor.active else " · _archived_"
    return (
        f"• *{vendor.label}* {fit(vendor.name, 60)} · {vendor.kind} · {vendor.currency}{archived}"
    )


def vendor_detail(vendor: Vendor) -> str:
    lines = [
        f"*{vendor.label}* {fit(vendor.name, 80)} ({vendor.kind})",
        f"currency {vendor.currency} · terms net {vendor.terms_days} days",
    ]
    for label, value in (
        ("email", vendor.email),
        ("phone", vendor.phone),
        ("tax id", vendor.tax_id),
        ("address", vendor.address),
        ("notes", vendor.notes),
    ):
        if value:
            lines.append(f"{label}: {fit(value, 300)}")
    if not vendor.active:
        lines.append(f"_archived_: `/vendor restore {vendor.label}` brings it back")
    return "\n".join(lines)


def money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency)


def order_line(order: PurchaseOrder, total: Decimal) -> str:
    parts = [f"• *{order.number}*", fit(order.supplier_name, 50), order.status]
    parts.append(money(total, order.currency))
    if order.release is not None:
        parts.append(escape(order.release.catno))
    return " · ".join(parts)


def order_detail(order: PurchaseOrder, total: Decimal) -> str:
    head = f"*{order.number}* to {fit(order.supplier_name, 60)} ({order.supplier_label}) · {order.status}"
    lines = [head]
    for line in order.lines:
        unit = f" per {line.unit}" if line.unit else ""
        lines.append(
            f"{line.position}. {fit(line.item, 100)} · {line.quantity.normalize():f} × "
            f"{money(line.unit_price, order.currency)}{unit} = {money(line.total, order.currency)}"
        )
    lines.append(f"*Total {money(total, order.currency)}*")
    extra = []
    if order.release is not None:
        extra.append(f"release {escape(order.release.catno)}")
    if order.assets:
        extra.append("assets " + ", ".join(f"A-{asset.id}" for asset in order.assets))
    if order.expected:
        extra.append(f"expected {order.expected.isoformat()}")
    if order.cancel_reason:
        extra.append(f"cancelled: {fit(order.cancel_reason, 200)}")
    if extra:
        lines.append(" · ".join(extra))
    return "\n".join(lines)


def issued_note(order: PurchaseOrder) -> str:
    """For the release's (or asset's) thread: no figure, ever."""
    return f"{order.number} issued to {fit(order.supplier_name, 80)}."


def flags_text(flags: Sequence[str]) -> str:
    return "; ".join(FLAG_WORDS.get(flag, flag) for flag in flags)


def invoice_summary(invoice: Invoice) -> str:
    order = f" on {invoice.order.number}" if invoice.order is not None else ""
    supplier = invoice.vendor or invoice.freelancer
    who = f" from {fit(supplier.name, 60)}" if supplier is not None else ""
    return (
        f"*{escape(invoice.number)}*{who}{order} · {money(invoice.amount, invoice.currency)} · "
        f"due {invoice.due.isoformat()} · {invoice.status.replace('_', ' ')}"
    )


def recorded_reply(invoice: Invoice, limit: Decimal) -> str:
    lines = [f"Recorded {invoice_summary(invoice)}."]
    if invoice.flags:
        lines.append(f":warning: Doesn't match: {flags_text(invoice.flags)}.")
    else:
        lines.append("It matches the order: same currency, total within 1 %, received.")
    if invoice.status == "awaiting_approval":
        lines.append(
            f"Over {money(limit, invoice.currency)}: management is asked to approve it by DM "
            "before it can be paid."
        )
    return "\n".join(lines)


def invoice_line(invoice: Invoice, today: date) -> str:
    late = (today - invoice.due).days
    overdue = f" · *{late} days overdue*" if invoice.paid_on is None and late > 0 else ""
    flags = f" · :warning: {flags_text(invoice.flags)}" if invoice.flags else ""
    return f"• {invoice_summary(invoice)}{overdue}{flags}"


def listing(title: str, lines: list[str], empty: str) -> tuple[str, Blocks]:
    if not lines:
        return empty, to_dicts([section(empty)])
    blocks = [section(f"*{title}* ({len(lines)})"), *line_sections(lines)]
    return title, to_dicts(blocks)


def approval_request(invoice: Invoice, limit: Decimal) -> tuple[str, Blocks]:
    """The DM to each management member; once decided, the same message without buttons."""
    text = f"Invoice {invoice.number} needs your approval"
    blocks: list[Any] = [
        section(f"*Approval needed:* {invoice_summary(invoice)}"),
        context(
            f"Recorded by {mention(invoice.created_by)}; over the limit of "
            f"{money(limit, invoice.currency)}."
        ),
    ]
    if invoice.flags:
        blocks.append(context(f":warning: {flags_text(invoice.flags)}"))
    if invoice.status == "awaiting_approval":
        value = InvoiceButton(i=invoice.id).model_dump_json()
        blocks.append(
            ActionsBlock(
                block_id=ids.invoice_block_id(invoice.id),
                elements=[
                    ButtonElement(
                        text="Approve", action_id=ids.INVOICE_APPROVE, value=value, style="primary"
                    ),
                    ButtonElement(
                        text="Reject", action_id=ids.INVOICE_REJECT, value=value, style="danger"
                    ),
                ],
            )
        )
    else:
        blocks.append(section(decided_line(invoice)))
    return text, to_dicts(blocks)


def decided_line(invoice: Invoice) -> str:
    if invoice.status == "rejected":
        reason = fit(invoice.reject_reason or "", 500)
        return f":x: Rejected by {mention(invoice.decided_by)}: {reason}"
    return f":white_check_mark: Approved by {mention(invoice.decided_by)}."


def decision_dm(invoice: Invoice) -> str:
    """To the coordinator who recorded it."""
    return f"{decided_line(invoice)}\n{invoice_summary(invoice)}"


def reject_modal(state: RejectState, invoice: Invoice) -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=ids.INVOICE_REJECT_VIEW,
        title="Reject invoice",
        submit="Reject",
        close="Cancel",
        private_metadata=state.model_dump_json(),
        blocks=[
            section(invoice_summary(invoice)),
            InputBlock(
                block_id=ids.INVOICE_REASON_BLOCK,
                label="Why is it rejected?",
                element=PlainTextInputElement(
                    action_id=ids.INVOICE_REASON_INPUT, multiline=True, max_length=500
                ),
            ),
        ],
    ).to_dict()


def costs_text(release: Release, costs: Sequence[Costs]) -> str:
    if not costs:
        return f"{escape(release.catno)}: no budget, orders or invoices yet."
    lines = [f"*Costs of {escape(release.catno)}* {fit(release.title, 60)}"]
    for row in costs:
        budget = money(row.budget, row.currency) if row.budget is not None else "no budget"
        line = (
            f"*{row.currency}* · budget {budget} · committed {money(row.committed, row.currency)}"
            f" · invoiced {money(row.invoiced, row.currency)} · paid {money(row.paid, row.currency)}"
        )
        if row.remaining is not None:
            word = "left" if row.remaining >= 0 else "over budget"
            line += f" · {money(abs(row.remaining), row.currency)} {word}"
        lines.append(line)
    lines.append("_Each currency on its own: nothing is converted._")
    return "\n".join(lines)
