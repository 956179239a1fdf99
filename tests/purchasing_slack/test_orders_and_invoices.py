"""Vendors, orders and invoices through signed requests: each verb and its refusals, the
PDF sent by DM, the approval of a large invoice by management, and no figure in a channel."""

from __future__ import annotations

import json
import threading
from decimal import Decimal

from sqlalchemy import func, select

from bot.devtools.workspace import Workspace
from bot.slack import ids
from bot.storage.audit_models import AuditEntry
from bot.storage.purchasing_models import Invoice, PurchaseOrder
from tests.helpers import CORA, MIA, ack
from tests.purchasing_slack.support import (
    AMOUNT,
    MOE,
    channel_texts,
    click_invoice,
    dm_messages,
    pdf_text,
    say,
    vendor_and_order,
)


def test_orders_refuse_what_is_wrong_and_leave_nothing_half_written(
    workspace: Workspace,
) -> None:
    vendor_and_order(workspace)
    assert "Only coordinators and management" in say(workspace, "/vendor", "list", user=MIA)
    assert "Only coordinators and management" in say(
        workspace, "/order", 'new V-1 item:"Test" qty:1 price:1.00', user=MIA
    )
    assert "digits and a dot only" in say(
        workspace, "/order", 'new V-1 item:"LP" qty:500 price:12,50'
    )
    assert "ISO 4217" in say(
        workspace, "/order", 'new V-1 item:"LP" qty:500 price:2.15 currency:XYZ'
    )
    assert "qty" in say(workspace, "/order", 'new V-1 item:"LP" qty:-5 price:2.15')
    say(workspace, "/vendor", "archive V-1")
    assert "archived" in say(workspace, "/order", 'new V-1 item:"LP" qty:5 price:2.15')
    with workspace.runtime.db.read() as session:
        assert session.scalar(select(func.count()).select_from(PurchaseOrder)) == 1
    say(workspace, "/vendor", "restore V-1")
    assert (
        "cancelled" in say(workspace, "/order", 'cancel PO-2026-0001 reason:"wrong plant"').lower()
    )
    refused = say(workspace, "/invoice", 'record PO-2026-0001 number:"OM-1" amount:10.00')
    assert "cancelled" in refused.lower(), refused
    second = say(workspace, "/order", 'new V-1 item:"LP" qty:5 price:2.00')
    assert "PO-2026-0002" in second  # the cancelled order kept its number


def test_issuing_sends_the_pdf_by_dm_and_the_thread_hears_no_figure(
    workspace: Workspace,
) -> None:
    vendor_and_order(workspace)
    said = say(workspace, "/order", "issue PO-2026-0001")
    assert "Issued PO-2026-0001" in said and "1,075.00 EUR" in said
    (dm,) = [m for m in dm_messages(workspace, CORA) if m.files]
    text = pdf_text(workspace.fake.uploaded(dm.files[0]["id"]))
    assert "PO-2026-0001" in text and "LP pressing 140g" in text
    assert "1,075.00" in text and "DE123456789" in text
    notes = [t for t in channel_texts(workspace) if "PO-2026-0001" in t]
    assert len(notes) == 1 and "issued to Optimal Media" in notes[0]
    assert all(not AMOUNT.search(text) for text in channel_texts(workspace))


def test_a_large_invoice_waits_for_one_management_decision(workspace: Workspace) -> None:
    vendor_and_order(workspace)
    say(workspace, "/dept", f"set management members:<@{MOE}>")
    say(workspace, "/order", "issue PO-2026-0001")
    said = say(workspace, "/invoice", 'record PO-2026-0001 number:"OM-7781" amount:1075.00')
    assert "not yet received" in said and "management is asked" in said
    (ask,) = [m for m in dm_messages(workspace, MOE) if m.blocks]
    assert "1,075.00 EUR" in json.dumps(ask.blocks)
    assert "approv" in say(workspace, "/invoice", "paid OM-7781")  # not before the decision
    ack(click_invoice(workspace, MIA, ask))  # not in management
    workspace.settle()
    assert "management" in workspace.fake.ephemerals(MIA)[-1].text
    clicks = [threading.Thread(target=click_invoice, args=(workspace, MOE, ask)) for _ in range(20)]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join()
    workspace.settle()
    with workspace.runtime.db.read() as session:
        invoice = session.scalar(select(Invoice))
        assert invoice is not None and invoice.status == "approved"
        decisions = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "approved")
        )
    assert decisions == 1
    already = [e.text for e in workspace.fake.ephemerals(MOE) if "already approved" in e.text]
    assert len(already) == 19
    (redrawn,) = [m for m in dm_messages(workspace, MOE) if m.blocks]
    assert "Approved by <@U0MOE>" in json.dumps(redrawn.blocks)
    assert not any(b["type"] == "actions" for b in redrawn.blocks or [])
    assert any("Approved by" in m.text for m in dm_messages(workspace, CORA))
    assert "Paid" in say(workspace, "/invoice", "paid OM-7781")
    costs = say(workspace, "/release", "costs SLV-014")
    assert "committed 1,075.00 EUR" in costs and "paid 1,075.00 EUR" in costs
    assert all(not AMOUNT.search(text) for text in channel_texts(workspace))


def test_a_rejection_asks_why_and_tells_the_coordinator(workspace: Workspace) -> None:
    vendor_and_order(workspace)
    say(workspace, "/dept", f"set management members:<@{MOE}>")
    say(workspace, "/order", "issue PO-2026-0001")
    say(workspace, "/order", "receive PO-2026-0001")
    said = say(workspace, "/invoice", 'record PO-2026-0001 number:"OM-9" amount:1200.00')
    assert "more than 1 % off" in said
    (ask,) = [m for m in dm_messages(workspace, MOE) if m.blocks]
    ack(click_invoice(workspace, MOE, ask, ids.INVOICE_REJECT))
    workspace.settle()
    form = workspace.fake.views[-1].view
    assert form["callback_id"] == ids.INVOICE_REJECT_VIEW
    reason = {
        ids.INVOICE_REASON_BLOCK: {
            ids.INVOICE_REASON_INPUT: {"type": "plain_text_input", "value": "125 € too much"}
        }
    }
    ack(workspace.driver.submit(MOE, form, reason))
    workspace.settle()
    with workspace.runtime.db.read() as session:
        invoice = session.scalar(select(Invoice))
        assert invoice is not None and invoice.status == "rejected"
        assert invoice.amount == Decimal("1200.00")
    told = [m.text for m in dm_messages(workspace, CORA) if "Rejected" in m.text]
    assert told and "125 € too much" in told[0]
    assert "rejected" in say(workspace, "/invoice", "paid OM-9").lower()


def test_freelance_work_is_priced_from_the_rate_in_force_at_assignment(
    workspace: Workspace,
) -> None:
    vendor_and_order(workspace)
    say(workspace, "/freelancer", "rate F-1 60 per:hour currency:GBP from:2026-11-01")
    say(workspace, "/asset", "assign A-1 F-1")
    # A raise from next month: not in force on the day of the assignment.
    say(workspace, "/freelancer", "rate F-1 75 per:hour currency:GBP from:2026-12-01")
    assert "hours" in say(workspace, "/order", "new F-1 asset:A-1")
    said = say(workspace, "/order", "new F-1 asset:A-1 hours:12")
    assert "PO-2026-0002" in said and "720.00 GBP" in said, said
    issued = say(workspace, "/order", "issue PO-2026-0002")
    assert "Issued PO-2026-0002" in issued
    notes = [t for t in channel_texts(workspace) if "PO-2026-0002" in t]
    assert len(notes) == 1 and "issued to Fay" in notes[0]


def test_nothing_is_issued_until_the_label_is_named(workspace: Workspace) -> None:
    vendor_and_order(workspace)
    unnamed = workspace.runtime.settings.model_copy(update={"label_name": ""})
    workspace.runtime.settings = unnamed
    said = say(workspace, "/order", "issue PO-2026-0001")
    assert "SLEEVE_LABEL_NAME" in said
    with workspace.runtime.db.read() as session:
        order = session.scalar(select(PurchaseOrder))
        assert order is not None and order.status == "draft"
    assert not [m for m in dm_messages(workspace, CORA) if m.files]
