"""Purchase orders and the label's own invoices as PDFs, sent to the person who issued them
by DM (Slack's upload v2 methods, through the outbox): the only place their figures leave
Sleeve besides ephemeral replies."""

from __future__ import annotations

import base64
from datetime import date

from bot.core.errors import ConflictError
from bot.core.settings import Settings
from bot.purchasing.documents import Document, DocumentLine, Party, filename
from bot.slack.replies import Upload
from bot.storage.freelancer_models import Freelancer
from bot.storage.purchasing_models import Invoice, PurchaseOrder, Vendor


def label_party(settings: Settings) -> Party:
    """The label as the issuer; refused until an admin has named it (a PO or an invoice
    without its issuer's name is no document)."""
    if not settings.label_name.strip():
        raise ConflictError(
            "Purchase orders and invoices print the label's name, and none is set: an admin "
            "must set SLEEVE_LABEL_NAME (and SLEEVE_LABEL_ADDRESS); nothing was issued."
        )
    return Party(
        name=settings.label_name,
        address_lines=settings.label_address_lines,
        tax_id=settings.label_tax_id,
        email=None,
    )


def supplier_party(supplier: Vendor | Freelancer | None) -> Party:
    if supplier is None:
        return Party(name="", address_lines=(), tax_id=None, email=None)
    address = getattr(supplier, "address", None) or ""
    return Party(
        name=supplier.name,
        address_lines=tuple(line.strip() for line in address.splitlines() if line.strip()),
        tax_id=getattr(supplier, "tax_id", None),
        email=supplier.email,
    )


def order_document(order: PurchaseOrder, settings: Settings, issued_on: date) -> Document:
    terms = order.vendor.terms_days if order.vendor is not None else None
    reference = None
    if order.release is not None:
        reference = f"{order.release.catno} {order.release.title}"
    return Document(
        kind="purchase_order",
        number=order.number,
        issued_on=issued_on,
        issuer=label_party(settings),
        recipient=supplier_party(order.vendor or order.freelancer),
        currency=order.currency,
        lines=tuple(
            DocumentLine(line.item, line.quantity, line.unit_price, line.unit)
            for line in order.lines
        ),
        terms_days=terms,
        due=order.expected,
        reference=reference,
        notes=None,
        cancelled=order.status == "cancelled",
    )


def invoice_document(invoice: Invoice, settings: Settings) -> Document:
    terms = invoice.vendor.terms_days if invoice.vendor is not None else None
    return Document(
        kind="invoice",
        number=invoice.number,
        issued_on=invoice.issued_on,
        issuer=label_party(settings),
        recipient=supplier_party(invoice.vendor),
        currency=invoice.currency,
        lines=tuple(
            DocumentLine(line.item, line.quantity, line.unit_price) for line in invoice.lines
        ),
        terms_days=terms,
        due=invoice.due,
        reference=None,
        notes=None,
        cancelled=invoice.status == "cancelled",
    )


def dm_pdf(document: Document, user_id: str, comment: str) -> Upload:
    """The PDF as a file in the app's DM with ``user_id``."""
    return Upload(
        channel=user_id,
        open_dm=True,
        filename=filename(document),
        title=document.number,
        content_b64=base64.b64encode(pdf_bytes(document)).decode("ascii"),
        comment=comment,
    )


def pdf_bytes(document: Document) -> bytes:
    from bot.purchasing.rendering import render_pdf  # the PDF library, only when rendering

    return render_pdf(document)
