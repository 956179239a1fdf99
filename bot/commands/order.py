"""/order: purchase orders to vendors and freelancers. Coordinators and management only.

Figures appear in the ephemeral ack and in the PDF sent to the issuer by DM; the release's
thread (or each asset's) hears only that an order was issued, and to whom.
"""

from __future__ import annotations

from bot.assets.service import home_thread
from bot.commands.dispatch import Handler, Invocation, expect_args
from bot.commands.parser import parse_id
from bot.commands.values import date_option, required
from bot.core.errors import UsageError, echo
from bot.departments.work import Work
from bot.purchasing import messages as views
from bot.purchasing import orders
from bot.purchasing.freelance import new_freelance_order
from bot.purchasing.lines import LineInput
from bot.purchasing.notices import unmailed_reason, vendor_mail
from bot.purchasing.paperwork import dm_pdf, order_document
from bot.slack.replies import Outgoing, Post, Reply
from bot.storage.purchasing_models import PurchaseOrder

LINE_EXAMPLE = 'item:"LP pressing 140g" qty:500 price:2.15'


def _line(invocation: Invocation) -> LineInput:
    return LineInput(
        item=required(invocation, "item", LINE_EXAMPLE),
        quantity=required(invocation, "qty", LINE_EXAMPLE),
        price=required(invocation, "price", LINE_EXAMPLE),
    )


def _number(invocation: Invocation) -> str:
    (number,) = expect_args(invocation, 1)
    return number


def _shown(order: PurchaseOrder, said: str) -> Reply:
    return Reply(text=f"{said}\n{views.order_detail(order, orders.order_total(order))}")


def new(work: Work, invocation: Invocation) -> Reply:
    (supplier,) = expect_args(invocation, 1)
    expected = date_option(invocation, "due", work.today)
    if supplier.upper().startswith("F-"):
        order = new_freelance_order(
            work.session,
            actor=work.actor,
            freelancer_id=parse_id(supplier, prefix="F", field="freelancer"),
            asset_id=parse_id(
                required(invocation, "asset", "asset:A-3"), prefix="A", field="asset"
            ),
            hours=invocation.options.get("hours"),
            days=invocation.options.get("days"),
            expected=expected,
            tz=work.runtime.tz,
            now=work.now,
            today=work.today,
        )
    elif supplier.upper().startswith("V-"):
        order = orders.new_order(
            work.session,
            actor=work.actor,
            vendor_id=parse_id(supplier, prefix="V", field="vendor"),
            line=_line(invocation),
            currency=invocation.options.get("currency"),
            release=invocation.options.get("release"),
            expected=expected,
            now=work.now,
            today=work.today,
        )
    else:
        raise UsageError(
            f"An order goes to a vendor (V-1) or a freelancer (F-2), not {echo(supplier)}. "
            f"Usage: `{invocation.usage()}`"
        )
    return _shown(order, f"Drafted {order.number}; `/order issue {order.number}` sends it.")


def add(work: Work, invocation: Invocation) -> Reply:
    order = orders.add_line(
        work.session,
        actor=work.actor,
        number=_number(invocation),
        line=_line(invocation),
        now=work.now,
    )
    return _shown(order, f"Added a line to {order.number}.")


def _thread_notes(order: PurchaseOrder) -> list[Outgoing]:
    """ "PO-… issued to …" where the work is followed: the release's thread, or each asset's."""
    note = views.issued_note(order)
    if order.release is not None:
        places = [(order.release.channel_id, order.release.card_ts)]
    else:
        places = [home_thread(asset) for asset in order.assets]
    unique = dict.fromkeys((channel, ts) for channel, ts in places if channel)
    return [Post(channel=channel, thread_ts=ts, text=note) for channel, ts in unique]


def issue(work: Work, invocation: Invocation) -> Reply:
    order = orders.issue_order(
        work.session, actor=work.actor, number=_number(invocation), now=work.now
    )
    document = order_document(order, work.runtime.settings, work.today)
    pdf = dm_pdf(document, work.user_id, f"{order.number} to {order.supplier_name}")
    mail = vendor_mail(
        work.session, work.runtime, order, "po_issued", now=work.now, document=document
    )
    said = f"Issued {order.number}; its PDF is in your DMs with Sleeve"
    said += f", and mailed to {order.vendor.email}." if mail and order.vendor else "."
    if (why := unmailed_reason(work.runtime, order)) is not None:
        said += f" Note: {why}."
    reply = _shown(order, said)
    return Reply(text=reply.text, outbox=[pdf, *mail, *_thread_notes(order)])


def receive(work: Work, invocation: Invocation) -> Reply:
    order = orders.receive_order(
        work.session, actor=work.actor, number=_number(invocation), now=work.now
    )
    return Reply(text=f"{order.number}: goods received; invoices against it can now match.")


def cancel(work: Work, invocation: Invocation) -> Reply:
    order = orders.cancel_order(
        work.session,
        actor=work.actor,
        number=_number(invocation),
        reason=required(invocation, "reason", 'reason:"plant closed"'),
        now=work.now,
    )
    mail = (
        vendor_mail(
            work.session,
            work.runtime,
            order,
            "po_cancelled",
            now=work.now,
            reason=order.cancel_reason or "",
        )
        if order.issued_at is not None
        else []
    )
    said = f"Cancelled {order.number}; it keeps its number."
    if mail:
        said += f" The vendor is told by mail ({order.vendor.email if order.vendor else ''})."
    return Reply(text=said, outbox=mail)


def list_(work: Work, invocation: Invocation) -> Reply:
    unknown = [word for word in invocation.args if word.lower() not in ("open", "all")]
    if unknown:
        raise UsageError(f"`/order list` doesn't understand {echo(unknown[0])}; try `open`.")
    open_only = "all" not in (word.lower() for word in invocation.args)
    found = orders.list_orders(work.session, actor=work.actor, open_only=open_only)
    lines = [views.order_line(order, orders.order_total(order)) for order in found]
    title = "Open orders" if open_only else "Orders"
    text, blocks = views.listing(title, lines, "No orders yet: `/order new V-1 …`.")
    return Reply(text=text, blocks=blocks)


def show(work: Work, invocation: Invocation) -> Reply:
    order = orders.show_order(work.session, actor=work.actor, number=_number(invocation))
    return Reply(text=views.order_detail(order, orders.order_total(order)))


HANDLERS: dict[str, Handler] = {
    "new": new,
    "add": add,
    "issue": issue,
    "receive": receive,
    "cancel": cancel,
    "list": list_,
    "show": show,
}
