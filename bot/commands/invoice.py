"""/invoice: suppliers' invoices matched against their orders, approval of large ones by
management (by DM), payment, and the label's own invoices. Coordinators and management only;
figures go only into the ephemeral ack and DMs."""

from __future__ import annotations

from bot.commands.dispatch import Handler, Invocation, expect_args
from bot.commands.parser import parse_id
from bot.commands.values import date_option, required
from bot.core.errors import UsageError, echo
from bot.departments.work import Work
from bot.purchasing import invoices
from bot.purchasing import messages as views
from bot.purchasing.approval import approval_posts
from bot.purchasing.lines import LineInput
from bot.purchasing.own_invoices import issue_own_invoice
from bot.purchasing.paperwork import dm_pdf, invoice_document
from bot.slack.replies import Reply

RECORD_EXAMPLE = 'number:"OM-7781" amount:1075.00'


def record(work: Work, invocation: Invocation) -> Reply:
    (order_number,) = expect_args(invocation, 1)
    limit = work.runtime.settings.invoice_approval_limit
    invoice = invoices.record_invoice(
        work.session,
        actor=work.actor,
        order_number=order_number,
        number=required(invocation, "number", RECORD_EXAMPLE),
        amount=required(invocation, "amount", RECORD_EXAMPLE),
        currency=invocation.options.get("currency"),
        due=date_option(invocation, "due", work.today),
        issued_on=date_option(invocation, "date", work.today),
        limit=limit,
        now=work.now,
        today=work.today,
    )
    text = views.recorded_reply(invoice, limit)
    if invoice.status != "awaiting_approval":
        return Reply(text=text)
    asks = approval_posts(work.session, invoice, limit)
    if not asks:
        text += (
            "\n:warning: No one is listed in management to approve it: "
            "`/dept set management members:@…`."
        )
    return Reply(text=text, outbox=asks)


def paid(work: Work, invocation: Invocation) -> Reply:
    (number,) = expect_args(invocation, 1)
    invoice = invoices.mark_paid(
        work.session,
        actor=work.actor,
        number=number,
        paid_on=date_option(invocation, "date", work.today),
        order_number=invocation.options.get("order"),
        now=work.now,
        today=work.today,
    )
    return Reply(text=f"Paid: {views.invoice_summary(invoice)}.")


def issue(work: Work, invocation: Invocation) -> Reply:
    (vendor,) = expect_args(invocation, 1)
    line = LineInput(
        item=required(invocation, "item", 'item:"LP stock" qty:200 price:9.50'),
        quantity=required(invocation, "qty", "qty:200"),
        price=required(invocation, "price", "price:9.50"),
    )
    invoice = issue_own_invoice(
        work.session,
        actor=work.actor,
        vendor_id=parse_id(vendor, prefix="V", field="vendor"),
        lines=[line],
        currency=invocation.options.get("currency"),
        now=work.now,
        today=work.today,
    )
    document = invoice_document(invoice, work.runtime.settings)
    pdf = dm_pdf(document, work.user_id, f"{invoice.number} to {invoice.vendor.name}")
    said = f"Issued {views.invoice_summary(invoice)}; its PDF is in your DMs with Sleeve."
    return Reply(text=said, outbox=[pdf])


def list_(work: Work, invocation: Invocation) -> Reply:
    words = {word.lower() for word in invocation.args}
    unknown = words - {"unpaid", "overdue"}
    if unknown:
        raise UsageError(f"`/invoice list` doesn't understand {echo(sorted(unknown)[0])}.")
    found = invoices.list_invoices(
        work.session,
        actor=work.actor,
        unpaid="unpaid" in words,
        overdue="overdue" in words,
        today=work.today,
    )
    lines = [views.invoice_line(invoice, work.today) for invoice in found]
    text, blocks = views.listing("Invoices", lines, "No invoices to show.")
    return Reply(text=text, blocks=blocks)


HANDLERS: dict[str, Handler] = {"record": record, "paid": paid, "issue": issue, "list": list_}
