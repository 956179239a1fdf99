"""Unpaid invoices past due in personal digests: in the DMs of coordinators and management,
with the amount and the mismatches in words; never for anyone else, never in a channel."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bot.devtools.workspace import Workspace
from bot.digests.content import build_personal
from bot.digests.messages import personal_digest
from bot.purchasing import invoices, orders
from bot.purchasing.lines import LineInput
from bot.purchasing.own_invoices import issue_own_invoice
from bot.slack.limits import check_message
from bot.storage.db import Database
from bot.storage.purchasing_models import Invoice
from tests.conftest import TODAY
from tests.digest_support import add_assets, digests, sweeper
from tests.digests_critical.support import counting_selects
from tests.helpers import ack
from tests.purchasing.support import CORA, LIMIT, add_vendor
from tests.purchasing.support import MOE as MOE_ACTOR

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # the workspace's clock: Thursday 26 Nov
ISSUED = date(2026, 10, 1)
PRESSING = LineInput(item="LP pressing 140g", quantity="500", price="2.15")  # 1075.00
MOE, MIA, SAM = "U0MOE", "U0MIA", "U0SAM"  # management, marketing, in no department


def issued_order(db: Database, vendor_id: int) -> str:
    with db.write() as session:
        order = orders.new_order(
            session, actor=CORA, vendor_id=vendor_id, line=PRESSING, now=NOW, today=ISSUED
        )
        orders.issue_order(session, actor=CORA, number=order.number, now=NOW)
        return order.number


def record(db: Database, order: str, number: str, amount: str, due: date) -> Invoice:
    with db.write() as session:
        return invoices.record_invoice(
            session,
            actor=CORA,
            order_number=order,
            number=number,
            amount=amount,
            issued_on=ISSUED,
            due=due,
            limit=LIMIT,
            now=NOW,
            today=TODAY,
        )


def seed_invoices(ws: Workspace) -> str:
    """One supplier's invoice 26 days late and mismatched, one of the label's own 26 days
    late, and three that must not show: paid, due today, not due yet."""
    db = ws.runtime.db
    order = issued_order(db, add_vendor(db))
    # 1100.00 against 1075.00 is over 1 % off, and the goods aren't received yet.
    record(db, order, "OM-7781", "1100.00", date(2026, 10, 31))
    record(db, order, "OM-7790", "75.00", TODAY)  # due today: not late yet
    record(db, order, "OM-7791", "75.00", TODAY + timedelta(days=5))
    record(db, order, "OM-7700", "75.00", date(2026, 10, 2))
    distributor = add_vendor(db, "Distro One", kind="distributor", currency="GBP")
    with db.write() as session:
        invoices.mark_paid(
            session, actor=CORA, number="OM-7700", paid_on=TODAY, now=NOW, today=TODAY
        )
        stock = [LineInput(item="LP stock", quantity="200", price="9.50")]
        issue_own_invoice(
            session, actor=CORA, vendor_id=distributor, lines=stock, now=NOW, today=ISSUED
        )
    return order


def shown(blocks: Any) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_purchasers_get_overdue_invoices_in_their_dm_and_no_one_else_does(
    workspace: Workspace,
) -> None:
    order = seed_invoices(workspace)
    # Mia and Sam have late work of their own; Cora and Moe have none, only invoices.
    add_assets(
        workspace,
        {"title": "Late poster", "due": TODAY - timedelta(days=2), "owner_id": MIA},
        {"title": "Late flyer", "due": TODAY - timedelta(days=3), "owner_id": SAM},
    )
    for user in (CORA.user_id, MOE, MIA, SAM):
        workspace.command(user, "/digest", "me on")
    assert "cheduled" in ack(workspace.command(CORA.user_id, "/digest", "schedule 09:00"))["text"]
    report = sweeper(workspace).run()
    assert len(report.posted) == 5, report.lines()  # the channel and four DMs

    by_channel = {m.channel: m for m in digests(workspace)}
    for purchaser in (CORA.user_id, MOE):
        dm = by_channel[workspace.fake.dm_channel(purchaser)]
        body = shown(dm.blocks)
        assert dm.text.endswith(", 2 unpaid invoices past due")
        assert "*Unpaid invoices past due* (2)" in body
        assert (
            f"• *OM-7781* from Optimal Media · {order} · due Sat 31 Oct · *26 days late* · "
            "1,100.00 EUR · _total differs from the order, not yet received_"
        ) in body
        assert (
            "• *INV-2026-0001* to Distro One · due Sat 31 Oct · *26 days late* · 1,900.00 GBP"
            in (body)
        )
        assert not any(n in body for n in ("OM-7700", "OM-7790", "OM-7791"))  # paid, not late
        assert "Late poster" not in body
    for other in (MIA, SAM):
        body = shown(by_channel[workspace.fake.dm_channel(other)].blocks)
        assert "Late" in body and "invoice" not in body.lower()
        assert not any(word in body for word in ("OM-7781", "EUR", "GBP", "1,100.00"))
    channel = by_channel[workspace.channel]
    everything = channel.text + shown(channel.blocks)
    assert "Late poster" in everything
    for secret in ("OM-7781", "INV-2026", "1,100.00", "1100", "EUR", "GBP", "nvoice"):
        assert secret not in everything, secret


def test_a_purchaser_with_late_work_gets_both_and_paid_invoices_leave_the_digest(
    workspace: Workspace,
) -> None:
    seed_invoices(workspace)
    add_assets(workspace, {"title": "Late poster", "due": TODAY - timedelta(days=2)})  # Cora's
    with workspace.runtime.db.read() as session:
        (mine,) = build_personal(session, user_ids=[CORA.user_id], day=TODAY, invoices=True)
        (nothing_asked,) = build_personal(session, user_ids=[CORA.user_id], day=TODAY)
    assert (mine.overdue.total, mine.invoices.total) == (1, 2)
    assert nothing_asked.invoices.total == 0  # only the sweep's DMs ask for invoices
    with workspace.runtime.db.write() as session:
        waiting = invoices.find_invoice(session, "OM-7781")  # over the limit: approved first
        invoices.decide_invoice(
            session, actor=MOE_ACTOR, invoice_id=waiting.id, approve=True, now=NOW
        )
        for number in ("OM-7781", "INV-2026-0001"):
            invoices.mark_paid(session, actor=CORA, number=number, now=NOW, today=TODAY)
    with workspace.runtime.db.read() as session:
        (mine,) = build_personal(session, user_ids=[CORA.user_id], day=TODAY, invoices=True)
        assert build_personal(session, user_ids=[MOE], day=TODAY, invoices=True) == []
    assert (mine.overdue.total, mine.invoices.total) == (1, 0)
    assert "nvoice" not in shown(personal_digest(mine))


def test_hundreds_of_late_invoices_fit_in_a_dm_in_a_constant_number_of_queries(
    workspace: Workspace,
) -> None:
    db = workspace.runtime.db
    order = issued_order(db, add_vendor(db))
    record(db, order, "FIRST", "1075.00", date(2026, 10, 31))
    with db.read() as session, counting_selects(workspace) as few:
        build_personal(session, user_ids=[CORA.user_id, MOE, MIA], day=TODAY, invoices=True)
    first = record(db, order, "MODEL", "1075.00", date(2026, 11, 1))
    copy = {
        column.key: getattr(first, column.key)
        for column in Invoice.__table__.columns
        if column.key != "id"
    }
    with db.write() as session:
        session.execute(
            Invoice.__table__.insert(),
            [
                copy
                | {
                    "number": f"OM-{n:05d}-" + "x" * 40,
                    "amount": Decimal("1234567.89"),
                    "due": date(2026, 9, 1) + timedelta(days=n % 80),
                }
                for n in range(500)
            ],
        )
    with db.read() as session, counting_selects(workspace) as many:
        digests_ = build_personal(
            session, user_ids=[CORA.user_id, MOE, MIA], day=TODAY, invoices=True
        )
    assert len(many) == len(few) == 3  # purchasers, invoices, people's own work
    assert [d.user_id for d in digests_] == [CORA.user_id, MOE]
    text, blocks = personal_digest(digests_[0])
    check_message(text=text, blocks=blocks)
    body = shown(blocks)
    assert "*Unpaid invoices past due* (502)" in body
    assert "more: `/invoice list overdue`" in body
    assert "1,234,567.89 EUR" in body and "86 days late" in body  # the most overdue first
