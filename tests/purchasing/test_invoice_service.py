"""Invoices: the three-way match and its 1 % tolerance, approval above the limit by exactly
one `management` decision however many click, payment, and the label's own gap-free invoices."""

from __future__ import annotations

import threading
from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bot.core.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    SleeveError,
    ValidationError,
)
from bot.domain.actors import Actor
from bot.purchasing import invoices, orders
from bot.purchasing.freelance import new_freelance_order
from bot.purchasing.lines import LineInput
from bot.purchasing.own_invoices import issue_own_invoice
from bot.storage.audit_models import AuditEntry
from bot.storage.db import Database
from bot.storage.purchasing_models import Invoice, PurchaseOrder, PurchaseOrderLine
from tests.purchasing.support import (
    CORA,
    LIMIT,
    MANAGERS,
    MIA,
    MOE,
    NOW,
    TODAY,
    add_asset,
    add_freelancer,
    add_vendor,
    assign,
    set_stage,
)

PRESSING = LineInput(item="LP pressing 140g", quantity="500", price="2.15")  # 1075.00


def issued_order(db: Database, vendor_id: int | None = None, *, receive: bool = False) -> str:
    vendor_id = vendor_id or add_vendor(db)
    with db.write() as session:
        order = orders.new_order(
            session, actor=CORA, vendor_id=vendor_id, line=PRESSING, now=NOW, today=TODAY
        )
        orders.issue_order(session, actor=CORA, number=order.number, now=NOW)
        if receive:
            orders.receive_order(session, actor=CORA, number=order.number, now=NOW)
        return order.number


def record(db: Database, order: str, number: str = "OM-7781", amount: str = "1075.00", **kw):  # type: ignore[no-untyped-def]
    options = {"limit": LIMIT, "now": NOW, "today": TODAY, **kw}
    with db.write() as session:
        return invoices.record_invoice(
            session, actor=CORA, order_number=order, number=number, amount=amount, **options
        )


def an_order(total: str, *, currency: str = "EUR", status: str = "issued") -> PurchaseOrder:
    line = PurchaseOrderLine(position=1, item="x", quantity=Decimal(1), unit_price=Decimal(total))
    return PurchaseOrder(currency=currency, status=status, vendor_id=1, lines=[line])


@pytest.mark.parametrize(
    ("amount", "flagged"),
    [
        ("1010.00", False),
        ("1010.01", True),
        ("990.00", False),
        ("989.99", True),
        ("1000.00", False),
    ],
)
def test_the_total_may_differ_by_one_percent_either_way(amount: str, flagged: bool) -> None:
    flags = invoices.match(an_order("1000.00"), Decimal(amount), "EUR", received=True)
    assert flags == (["total"] if flagged else [])


def test_a_mismatch_of_every_kind_is_flagged() -> None:
    order = an_order("1075.00", currency="EUR")
    assert invoices.match(order, Decimal("1075.00"), "GBP", received=False) == [
        "currency",
        "not_received",
    ]
    assert invoices.match(order, Decimal("2000"), "GBP", received=False) == [
        "currency",
        "total",
        "not_received",
    ]


def test_a_matching_invoice_is_recorded_with_no_flags_and_due_by_the_vendors_terms(
    db: Database,
) -> None:
    order = issued_order(db, receive=True)
    invoice = record(db, order, amount="1075.00", issued_on=date(2027, 1, 2))
    assert (invoice.status, invoice.flags, invoice.currency) == ("awaiting_approval", [], "EUR")
    assert invoice.due == date(2027, 2, 1)  # 2 January + net 30
    assert invoice.amount == Decimal("1075.00")


def test_an_invoice_before_the_goods_is_flagged_not_received(db: Database) -> None:
    invoice = record(db, issued_order(db), amount="999.00", currency="gbp")
    assert invoice.flags == ["currency", "total", "not_received"]
    assert invoice.match_flags == "currency,total,not_received"
    assert invoice.status == "recorded"


def test_approval_is_needed_only_strictly_over_the_limit(db: Database) -> None:
    order = issued_order(db)
    assert record(db, order, "A-1", amount="1000.00").status == "recorded"
    assert record(db, order, "A-2", amount="1000.01").status == "awaiting_approval"


def test_freelance_work_is_received_once_its_asset_is_approved(db: Database) -> None:
    asset_id = add_asset(db)
    freelancer_id = add_freelancer(db, [("450", "GBP", "asset", date(2026, 1, 1))])
    assign(db, asset_id, freelancer_id)
    with db.write() as session:
        order = new_freelance_order(
            session,
            actor=CORA,
            freelancer_id=freelancer_id,
            asset_id=asset_id,
            tz=UTC,
            now=NOW,
            today=TODAY,
        )
        orders.issue_order(session, actor=CORA, number=order.number, now=NOW)
    assert record(db, order.number, "J-1", amount="450").flags == ["not_received"]
    set_stage(db, asset_id, "on_hold", held_from="design")
    assert record(db, order.number, "J-2", amount="450").flags == ["not_received"]
    for stage in ("approved", "prepress", "manufacturing", "qc", "done"):
        set_stage(db, asset_id, stage)
        assert record(db, order.number, f"J-{stage}", amount="450").flags == []
    set_stage(db, asset_id, "on_hold", held_from="approved")
    assert record(db, order.number, "J-held", amount="450").flags == []


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"amount": "1,075.00"}, ValidationError, r"digits and a dot only"),
        ({"amount": "0"}, ValidationError, r"more than zero"),
        ({"currency": "EURO"}, ValidationError, r"ISO 4217"),
        ({"number": " "}, ValidationError, r"`number` can't be empty"),
        ({"due": date(2026, 12, 1)}, ValidationError, r"before the invoice date"),
        ({"issued_on": TODAY + timedelta(days=1)}, ValidationError, r"in the future"),
        ({"order": "PO-2027-0099"}, NotFoundError, r"no order"),
    ],
)
def test_bad_invoices_are_refused(
    db: Database, kwargs: dict, error: type[SleeveError], message: str
) -> None:
    options = dict(kwargs)  # shared by both backends' runs
    order = options.pop("order", None) or issued_order(db)
    with pytest.raises(error, match=message):
        record(db, order, **options)


def test_draft_and_cancelled_orders_take_no_invoice(db: Database) -> None:
    vendor_id = add_vendor(db)
    with db.write() as session:
        draft = orders.new_order(
            session, actor=CORA, vendor_id=vendor_id, line=PRESSING, now=NOW, today=TODAY
        )
    with pytest.raises(ConflictError, match="still a draft"):
        record(db, draft.number)
    with db.write() as session:
        orders.cancel_order(session, actor=CORA, number=draft.number, reason="dup", now=NOW)
    with pytest.raises(ConflictError, match=r"was cancelled \(`dup`\)"):
        record(db, draft.number)


def test_the_same_supplier_number_is_recorded_once_in_any_case(db: Database) -> None:
    vendor_id = add_vendor(db)
    first, second = issued_order(db, vendor_id), issued_order(db, vendor_id)
    record(db, first, "OM-7781")
    with pytest.raises(ConflictError, match=f"already recorded against {first}"):
        record(db, second, "om-7781")
    # Another vendor may use the same number.
    assert record(db, issued_order(db, add_vendor(db, "GZ Media")), "OM-7781").id


def test_a_received_order_billed_in_full_closes_by_itself(db: Database) -> None:
    order = issued_order(db, receive=True)
    record(db, order, "P-1", amount="500.00")
    with db.read() as session:
        assert orders.get_order_by_number(session, order).status == "received"
    record(db, order, "P-2", amount="565.00")  # 1065.00: within 1 % of 1075.00
    with db.read() as session:
        assert orders.get_order_by_number(session, order).status == "closed"


def decide(db: Database, invoice_id: int, actor: Actor = MOE, *, approve: bool = True, **kw):  # type: ignore[no-untyped-def]
    with db.write() as session:
        return invoices.decide_invoice(
            session, actor=actor, invoice_id=invoice_id, approve=approve, now=NOW, **kw
        )


def test_only_management_decides_and_a_rejection_needs_a_reason(db: Database) -> None:
    invoice = record(db, issued_order(db))
    with pytest.raises(PermissionDenied, match="Only members of `management`"):
        decide(db, invoice.id, CORA)
    with pytest.raises(ValidationError, match="`reason` can't be empty"):
        decide(db, invoice.id, approve=False)
    rejected = decide(db, invoice.id, approve=False, reason="wrong quantity")
    assert (rejected.status, rejected.decided_by, rejected.reject_reason) == (
        "rejected",
        MOE.user_id,
        "wrong quantity",
    )
    with pytest.raises(ConflictError, match=r"already rejected by <@U0MOE>"):
        decide(db, invoice.id, Actor(user_id=MANAGERS[0], is_coordinator=False))


def test_an_invoice_under_the_limit_needs_no_decision(db: Database) -> None:
    invoice = record(db, issued_order(db), amount="10.00")
    with pytest.raises(ConflictError, match="doesn't need an approval"):
        decide(db, invoice.id)


def test_many_clicks_at_once_record_exactly_one_decision(db: Database) -> None:
    invoice = record(db, issued_order(db))
    clickers = MANAGERS if db.engine.dialect.name == "postgresql" else MANAGERS[:6]
    start = threading.Barrier(len(clickers))
    won: list[str] = []
    refused: list[str] = []

    def click(user_id: str) -> None:
        start.wait()
        try:
            decide(db, invoice.id, Actor(user_id=user_id, is_coordinator=False))
            won.append(user_id)
        except ConflictError as exc:
            refused.append(exc.message)

    threads = [threading.Thread(target=click, args=(user,)) for user in clickers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1 and len(refused) == len(clickers) - 1
    assert all(f"already approved by <@{won[0]}>" in message for message in refused)
    with db.read() as session:
        stored = session.get(Invoice, invoice.id)
        decisions = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "approved")
        )
    assert stored is not None and stored.decided_by == won[0] and decisions == 1


def pay(db: Database, number: str, actor: Actor = CORA, **kw) -> Invoice:  # type: ignore[no-untyped-def]
    options = {"now": NOW, "today": TODAY, **kw}
    with db.write() as session:
        return invoices.mark_paid(session, actor=actor, number=number, **options)


def test_an_invoice_is_paid_once_and_not_while_waiting_or_rejected(db: Database) -> None:
    order = issued_order(db)
    big, small = record(db, order, "BIG-1"), record(db, order, "SMALL-1", amount="5")
    with pytest.raises(ConflictError, match="waits for a `management` approval"):
        pay(db, "BIG-1")
    decide(db, big.id, approve=False, reason="duplicate")
    with pytest.raises(ConflictError, match=r"rejected by <@U0MOE> \(`duplicate`\)"):
        pay(db, "big-1")
    with pytest.raises(ValidationError, match="in the future"):
        pay(db, "SMALL-1", paid_on=TODAY + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        pay(db, "SMALL-1", MIA)
    paid = pay(db, "small-1", MOE, paid_on=date(2027, 1, 3))
    assert (paid.status, paid.paid_on, paid.paid_by) == ("paid", date(2027, 1, 3), MOE.user_id)
    with pytest.raises(ConflictError, match="already marked paid on 2027-01-03"):
        pay(db, "SMALL-1")
    assert small.id == paid.id


def test_an_approved_invoice_can_be_paid(db: Database) -> None:
    invoice = record(db, issued_order(db))
    decide(db, invoice.id)
    assert pay(db, "OM-7781").status == "paid"


def test_two_suppliers_sharing_a_number_are_told_apart_by_the_order(db: Database) -> None:
    first = issued_order(db)
    second = issued_order(db, add_vendor(db, "GZ Media"))
    record(db, first, "1001", amount="5")
    record(db, second, "1001", amount="6")
    with pytest.raises(ValidationError, match=f"number of 2 invoices.*order:{first}"):
        pay(db, "1001")
    assert pay(db, "1001", order_number=second.lower()).amount == Decimal("6.00")
    with pytest.raises(NotFoundError, match="no invoice `9999`"):
        pay(db, "9999")


def own(db: Database, vendor_id: int, *lines: LineInput, today: date = TODAY) -> Invoice:
    with db.write() as session:
        return issue_own_invoice(
            session, actor=CORA, vendor_id=vendor_id, lines=list(lines), now=NOW, today=today
        )


def test_the_labels_own_invoices_are_numbered_without_gaps_and_summed_exactly(
    db: Database,
) -> None:
    vendor_id = add_vendor(db, "Northside Distribution", kind="distributor", terms="14")
    first = own(db, vendor_id, LineInput("LP stock", "200", "9.50"), LineInput("Tax", "3", "0.10"))
    assert (first.number, first.direction, first.status) == ("INV-2027-0001", "out", "recorded")
    assert first.amount == Decimal("1900.30") and first.due == TODAY + timedelta(days=14)
    with pytest.raises(ValidationError, match="digits and a dot only"):
        own(db, vendor_id, LineInput("LP stock", "200", "9,50"))
    with pytest.raises(ValidationError, match="needs a line"):
        own(db, vendor_id)
    with pytest.raises(ValidationError, match=r"come to 0\.00"):
        own(db, vendor_id, LineInput("Samples", "2", "0"))
    assert own(db, vendor_id, LineInput("CD stock", "1", "5")).number == "INV-2027-0002"
    with db.read() as session:
        stored = invoices.find_invoice(session, "inv-2027-0001")
        assert [line.total for line in stored.lines] == [Decimal("1900.00"), Decimal("0.30")]


def test_lists_show_unpaid_and_overdue_invoices(db: Database) -> None:
    order = issued_order(db)
    record(db, order, "OLD", amount="5", issued_on=date(2026, 11, 1), due=date(2026, 12, 1))
    record(db, order, "NEW", amount="5")
    record(db, order, "PAID", amount="5", issued_on=date(2026, 11, 2), due=date(2026, 12, 2))
    pay(db, "PAID")
    with db.read() as session:
        everything = invoices.list_invoices(session, actor=CORA, today=TODAY)
        unpaid = invoices.list_invoices(session, actor=MOE, unpaid=True, today=TODAY)
        overdue = invoices.list_invoices(session, actor=CORA, overdue=True, today=TODAY)
        for_digest = invoices.overdue_unpaid(session, TODAY)
    assert [i.number for i in everything] == ["OLD", "PAID", "NEW"]
    assert [i.number for i in unpaid] == ["OLD", "NEW"]
    assert [i.number for i in overdue] == [i.number for i in for_digest] == ["OLD"]


def test_an_order_with_a_paid_invoice_cannot_be_cancelled(db: Database) -> None:
    order = issued_order(db)
    record(db, order, amount="5")
    pay(db, "OM-7781")
    with pytest.raises(ConflictError, match="has a paid invoice"), db.write() as session:
        orders.cancel_order(session, actor=CORA, number=order, reason="too late", now=NOW)
