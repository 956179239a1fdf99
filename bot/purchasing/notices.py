"""E-mail to a vendor: an issued purchase order with its PDF attached, and its
cancellation. Vendors are never in the workspace, so mail is how they hear; without a mail
server (or an address) the coordinator is told in the reply, not the thread."""

from __future__ import annotations

import base64
from datetime import datetime

from sqlalchemy.orm import Session

from bot.mail.compose import order_subject_for
from bot.purchasing.documents import Document, filename
from bot.purchasing.paperwork import pdf_bytes
from bot.runtime import Runtime
from bot.slack.replies import Attachment, Mail, Outgoing
from bot.storage.mail_models import MailLog
from bot.storage.purchasing_models import PurchaseOrder


def unmailed_reason(runtime: Runtime, order: PurchaseOrder) -> str | None:
    """Why the vendor of ``order`` can't be mailed, or None when they can."""
    if order.vendor is None:
        return None  # a freelancer's order: their news goes with the asset
    if runtime.mailer is None:
        return "no mail server is set, so the vendor was not mailed"
    if not order.vendor.email:
        return f"{order.vendor.label} has no e-mail address, so it was not mailed"
    return None


def vendor_mail(
    session: Session,
    runtime: Runtime,
    order: PurchaseOrder,
    mail_kind: str,
    *,
    now: datetime,
    document: Document | None = None,
    reason: str = "",
) -> list[Outgoing]:
    """``po_issued`` (the PDF attached) or ``po_cancelled`` for the order's vendor."""
    vendor = order.vendor
    if vendor is None or unmailed_reason(runtime, order) is not None or not vendor.email:
        return []
    label = runtime.settings.label_name
    subject = order_subject_for(mail_kind, order.number, label)
    context = {"vendor_name": vendor.name, "po_number": order.number, "label_name": label}
    attachments = []
    if mail_kind == "po_issued" and document is not None:
        pdf = base64.b64encode(pdf_bytes(document)).decode("ascii")
        attachments.append(
            Attachment(filename=filename(document), mimetype="application/pdf", content_b64=pdf)
        )
    if reason:
        context["reason"] = reason
    log = MailLog(
        order_id=order.id,
        to_address=vendor.email,
        mail_kind=mail_kind,
        subject=subject[:300],
        queued_at=now,
    )
    session.add(log)
    session.flush()
    return [
        Mail(
            mail_kind=mail_kind,
            to_address=vendor.email,
            to_name=vendor.name,
            subject=subject,
            context=context,
            attachments=attachments,
            log_id=log.id,
        )
    ]
