"""A release's costs per currency: budget, committed, invoiced and paid, never converted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.core.errors import NotFoundError, PermissionDenied, ValidationError
from bot.purchasing import costs, invoices, orders
from bot.purchasing.lines import LineInput
from bot.storage.audit_models import AuditEntry
from bot.storage.db import Database
from tests.purchasing.support import CORA, LIMIT, MIA, MOE, NOW, TODAY, add_release, add_vendor


def budget(db: Database, amount: str, currency: str, catno: str = "SLV-014") -> None:
    with db.write() as session:
        costs.set_budget(
            session, actor=CORA, catno=catno, amount=amount, currency=currency, now=NOW
        )


def order(db: Database, vendor_id: int, qty: str, price: str, *, status: str, **kw) -> str:  # type: ignore[no-untyped-def]
    line = LineInput(item="LP pressing", quantity=qty, price=price)
    with db.write() as session:
        made = orders.new_order(
            session, actor=CORA, vendor_id=vendor_id, line=line, now=NOW, today=TODAY, **kw
        )
        steps = {"draft": [], "issued": ["issue"], "received": ["issue", "receive"]}
        steps["cancelled"] = ["cancel"]
        for step in steps[status]:
            extra = {"reason": "changed plans"} if step == "cancel" else {}
            getattr(orders, f"{step}_order")(
                session, actor=CORA, number=made.number, now=NOW, **extra
            )
        return made.number


def invoice(db: Database, number: str, ref: str, amount: str, currency: str | None = None):  # type: ignore[no-untyped-def]
    with db.write() as session:
        return invoices.record_invoice(
            session,
            actor=CORA,
            order_number=number,
            number=ref,
            amount=amount,
            currency=currency,
            limit=LIMIT,
            now=NOW,
            today=TODAY,
        )


def release_costs(db: Database, catno: str = "SLV-014") -> dict[str, costs.Costs]:
    with db.read() as session:
        _, found = costs.costs_for(session, actor=MOE, catno=catno)
    return {c.currency: c for c in found}


def test_a_budget_is_set_per_currency_and_replaced_when_set_again(db: Database) -> None:
    add_release(db)
    budget(db, "4500", "gbp")
    budget(db, "4600.50", "GBP")
    budget(db, "1000", "EUR")
    found = release_costs(db)
    assert (found["GBP"].budget, found["EUR"].budget) == (Decimal("4600.50"), Decimal("1000.00"))
    assert found["GBP"].committed == Decimal("0.00") and found["GBP"].remaining == Decimal(
        "4600.50"
    )
    with db.read() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "budget")))
    assert [e.entity_id for e in entries] == ["SLV-014"] * 3
    assert entries[1].before == {"currency": "GBP", "amount": "4500.00"}


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [("4,500", "GBP", "digits and a dot only"), ("4500", "POUNDS", "ISO 4217")],
)
def test_a_bad_budget_is_refused(db: Database, amount: str, currency: str, message: str) -> None:
    add_release(db)
    with pytest.raises(ValidationError, match=message):
        budget(db, amount, currency)


def test_costs_count_issued_orders_invoices_and_payments_per_currency(db: Database) -> None:
    add_release(db)
    add_release(db, "SLV-015")
    plant = add_vendor(db)
    printer = add_vendor(db, "Print Co", currency="GBP")
    budget(db, "4500", "GBP")
    order(db, plant, "500", "2.15", status="received", release="SLV-014")  # 1075.00 EUR
    order(db, plant, "3", "0.10", status="issued", release="SLV-014")  # 0.30 EUR
    order(db, plant, "1", "999", status="draft", release="SLV-014")  # not committed yet
    order(db, plant, "1", "999", status="cancelled", release="SLV-014")
    order(db, plant, "1", "999", status="issued", release="SLV-015")  # another release
    posters = order(db, printer, "250", "1.20", status="issued", release="SLV-014")  # 300 GBP
    invoice(db, "PO-2027-0001", "OM-1", "1075.00")  # waits for approval: still invoiced
    invoice(db, "PO-2027-0002", "OM-2", "0.30")
    rejected = invoice(db, posters, "P-1", "1300.00")
    with db.write() as session:
        invoices.decide_invoice(
            session, actor=MOE, invoice_id=rejected.id, approve=False, reason="typo", now=NOW
        )
    invoice(db, posters, "P-2", "300.00")
    with db.write() as session:
        invoices.mark_paid(session, actor=CORA, number="P-2", now=NOW, today=TODAY)
    found = release_costs(db)
    assert list(found) == ["EUR", "GBP"]
    eur, gbp = found["EUR"], found["GBP"]
    assert (eur.budget, eur.committed, eur.invoiced, eur.paid) == (
        None,
        Decimal("1075.30"),
        Decimal("1075.30"),
        Decimal("0.00"),
    )
    assert (gbp.budget, gbp.committed, gbp.invoiced, gbp.paid) == (
        Decimal("4500.00"),
        Decimal("300.00"),
        Decimal("300.00"),
        Decimal("300.00"),
    )
    assert gbp.remaining == Decimal("4200.00") and eur.remaining is None


def test_an_invoice_in_another_currency_is_counted_in_its_own(db: Database) -> None:
    add_release(db)
    plant = add_vendor(db)
    number = order(db, plant, "1", "100", status="issued", release="SLV-014")
    invoice(db, number, "OM-1", "90.00", currency="USD")
    found = release_costs(db)
    assert found["EUR"].committed == Decimal("100.00") and found["EUR"].invoiced == 0
    assert found["USD"].invoiced == Decimal("90.00") and found["USD"].committed == 0


def test_costs_are_for_coordinators_and_management_of_a_known_release(db: Database) -> None:
    add_release(db)
    with pytest.raises(PermissionDenied), db.read() as session:
        costs.costs_for(session, actor=MIA, catno="SLV-014")
    with pytest.raises(PermissionDenied), db.write() as session:
        costs.set_budget(session, actor=MIA, catno="SLV-014", amount="1", currency="EUR", now=NOW)
    with pytest.raises(NotFoundError, match="no release"):
        release_costs(db, "SLV-404")
