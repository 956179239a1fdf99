"""What an invoice over the limit owes Slack: a DM to each management member with the
approve and reject buttons, each copy remembered, so the one decision redraws them all and
tells the coordinator who recorded it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.departments.service import list_departments
from bot.purchasing import messages as views
from bot.slack.replies import Outgoing, Post, Update
from bot.storage.purchasing_models import Invoice, InvoiceApprovalMessage

MANAGEMENT = "management"
APPROVAL_DM = "invoice_approval"  # the recorder of each DM's channel and ts


def approval_posts(session: Session, invoice: Invoice, limit: Decimal) -> list[Outgoing]:
    """One DM per listed management member; empty when the department lists nobody."""
    management = next((d for d in list_departments(session) if d.key == MANAGEMENT), None)
    members = sorted(management.members) if management is not None else []
    text, blocks = views.approval_request(invoice, limit)
    posts: list[Outgoing] = []
    for user_id in members:
        copy = InvoiceApprovalMessage(invoice_id=invoice.id, user_id=user_id)
        session.add(copy)
        session.flush()
        posts.append(
            Post(
                channel=user_id,
                open_dm=True,
                text=text,
                blocks=blocks,
                record=APPROVAL_DM,
                record_id=copy.id,
            )
        )
    return posts


def record_message(session: Session, copy_id: int, channel_id: str, ts: str) -> None:
    copy = session.get(InvoiceApprovalMessage, copy_id)
    if copy is not None:
        copy.channel_id, copy.ts = channel_id, ts


def after_decision(session: Session, invoice: Invoice, limit: Decimal) -> list[Outgoing]:
    """Every copy redrawn without buttons, and the news to the coordinator who recorded it."""
    copies = session.scalars(
        select(InvoiceApprovalMessage).where(
            InvoiceApprovalMessage.invoice_id == invoice.id,
            InvoiceApprovalMessage.ts.is_not(None),
        )
    )
    text, blocks = views.approval_request(invoice, limit)
    items: list[Outgoing] = [
        Update(channel=copy.channel_id, ts=copy.ts, text=text, blocks=blocks)
        for copy in copies
        if copy.channel_id and copy.ts
    ]
    items.append(Post(channel=invoice.created_by, open_dm=True, text=views.decision_dm(invoice)))
    return items
