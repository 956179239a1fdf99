"""The label's own invoices, INV-<year>-<nnnn> (gap-free within the year), for stock sold
to a distributor: lines typed, the total summed exactly, due by the vendor's terms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.core.errors import ConflictError, ValidationError, echo
from bot.domain import money
from bot.domain.actors import Actor
from bot.purchasing import numbering
from bot.purchasing.access import require_purchasing
from bot.purchasing.invoices import audit_invoice
from bot.purchasing.lines import MAX_LINES, LineInput, check_total, clean_line
from bot.purchasing.rules import ZERO
from bot.purchasing.vendors import get_vendor
from bot.storage.purchasing_models import Invoice, InvoiceLine


def issue_own_invoice(
    session: Session,
    *,
    actor: Actor,
    vendor_id: int,
    lines: Sequence[LineInput],
    currency: str | None = None,
    now: datetime,
    today: date,
) -> Invoice:
    """`/invoice issue V-3 item:… qty:… price:…`: the label's own INV-<year>-<nnnn>."""
    require_purchasing(session, actor, "issue invoices")
    if not lines:
        raise ValidationError('An invoice needs a line, e.g. item:"LP stock" qty:200 price:9.50.')
    if len(lines) > MAX_LINES:
        raise ValidationError(f"An invoice holds at most {MAX_LINES} lines.")
    cleaned = [clean_line(line) for line in lines]
    total = sum((line.total for line in cleaned), ZERO)
    check_total(total)
    if total <= 0:
        raise ValidationError("The lines come to 0.00; an invoice must ask for something.")
    code = money.parse_currency(currency) if currency else None
    vendor = get_vendor(session, vendor_id)
    if not vendor.active:
        raise ConflictError(f"{vendor.label} {echo(vendor.name)} is archived; restore it first.")
    seq = numbering.next_number(session, numbering.INVOICES, today.year)
    invoice = Invoice(
        direction="out",
        number=numbering.format_number(numbering.INVOICES, today.year, seq),
        series_year=today.year,
        seq=seq,
        vendor=vendor,
        amount=total,
        currency=code or vendor.currency,
        issued_on=today,
        due=today + timedelta(days=vendor.terms_days),
        status="recorded",
        match_flags="",
        created_by=actor.user_id,
        created_at=now,
        lines=[
            InvoiceLine(position=n, item=ln.item, quantity=ln.quantity, unit_price=ln.unit_price)
            for n, ln in enumerate(cleaned, start=1)
        ],
    )
    session.add(invoice)
    session.flush()
    audit_invoice(session, actor, invoice, "issue", now, vendor=vendor.label, amount=str(total))
    return invoice
