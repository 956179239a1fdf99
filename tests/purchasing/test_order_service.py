"""Purchase orders: numbered at creation, exact decimals, the status machine, freelance work
priced from the agreement in force on the day of the assignment, and every refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.core.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    SleeveError,
    ValidationError,
)
from bot.purchasing import orders
from bot.purchasing.freelance import new_freelance_order
from bot.purchasing.lines import LineInput, parse_price, parse_quantity
from bot.purchasing.vendors import set_active
from bot.storage.audit_models import AuditEntry
from bot.storage.db import Database
from bot.storage.purchasing_models import PurchaseOrder
from tests.purchasing.support import (
    CORA,
    MIA,
    MOE,
    NOW,
    TODAY,
    add_asset,
    add_freelancer,
    add_release,
    add_vendor,
    assign,
)

UTC_TZ = ZoneInfo("UTC")
PRESSING = LineInput(item="LP pressing 140g", quantity="500", price="2.15")


def new(db: Database, vendor_id: int, line: LineInput = PRESSING, **kwargs) -> PurchaseOrder:  # type: ignore[no-untyped-def]
    options = {"now": NOW, "today": TODAY, **kwargs}
    with db.write() as session:
        return orders.new_order(session, actor=CORA, vendor_id=vendor_id, line=line, **options)


def load(db: Database, number: str) -> PurchaseOrder:
    with db.read() as session:
        return orders.get_order_by_number(session, number)


def test_an_order_is_numbered_at_creation_in_the_vendors_currency(db: Database) -> None:
    vendor_id = add_vendor(db)
    add_release(db)
    order = new(db, vendor_id, release="slv-014", expected=date(2027, 2, 1))
    assert (order.number, order.status, order.currency) == ("PO-2027-0001", "draft", "EUR")
    stored = load(db, "po-2027-0001")
    assert stored.release is not None and stored.release.catno == "SLV-014"
    assert stored.expected == date(2027, 2, 1)
    assert stored.supplier_label == "V-1" and stored.supplier_name == "Optimal Media"


def test_amounts_are_exact_decimals_from_the_text_to_the_column_and_back(db: Database) -> None:
    vendor_id = add_vendor(db)
    new(db, vendor_id)
    with db.write() as session:
        line = LineInput(item="Sleeve stickers", quantity="3", price="0.10")
        orders.add_line(session, actor=CORA, number="PO-2027-0001", line=line, now=NOW)
    order = load(db, "PO-2027-0001")
    first, second = order.lines
    assert (first.quantity, first.unit_price, first.total) == (
        Decimal("500.000"),
        Decimal("2.15"),
        Decimal("1075.00"),
    )
    assert second.total == Decimal("0.30") and second.position == 2
    assert orders.order_total(order) == Decimal("1075.30")
    assert all(type(v) is Decimal for v in (first.quantity, first.unit_price))


def test_line_totals_round_half_up_to_the_cent(db: Database) -> None:
    vendor_id = add_vendor(db)
    new(db, vendor_id, LineInput(item="Studio time", quantity="0.125", price="0.20"))
    assert load(db, "PO-2027-0001").lines[0].total == Decimal("0.03")  # 0.025 -> 0.03


def test_another_currency_can_be_named(db: Database) -> None:
    assert new(db, add_vendor(db), currency="usd").currency == "USD"


@pytest.mark.parametrize(
    ("line", "kwargs", "message"),
    [
        (LineInput("LP", "0", "2.15"), {}, r"`qty` must be more than zero"),
        (LineInput("LP", "-5", "2.15"), {}, r"`qty` should be a number"),
        (LineInput("LP", "12,5", "2.15"), {}, r"digits and a dot only"),
        (LineInput("LP", "1.2345", "2.15"), {}, r"at most 3 decimals"),
        (LineInput("LP", "500", "12,50"), {}, r"`price` should be an amount .* digits and a dot"),
        (LineInput("LP", "500", "-1"), {}, r"`price` should be an amount"),
        (LineInput("LP", "500", "2.155"), {}, r"at most 2 decimals"),
        (LineInput("  ", "500", "2.15"), {}, r"`item` can't be empty"),
        (PRESSING, {"currency": "EUX"}, r"ISO 4217"),
        (PRESSING, {"expected": TODAY - timedelta(days=1)}, r"already past"),
        (LineInput("LP", "999999999", "9999999999"), {}, r"more than Sleeve holds"),
    ],
)
def test_bad_lines_and_options_are_refused_and_nothing_is_numbered(
    db: Database, line: LineInput, kwargs: dict, message: str
) -> None:
    vendor_id = add_vendor(db)
    with pytest.raises(ValidationError, match=message):
        new(db, vendor_id, line, **kwargs)
    assert new(db, vendor_id).number == "PO-2027-0001"  # nothing was taken


def test_archived_vendors_and_cancelled_or_unknown_releases_take_no_orders(db: Database) -> None:
    vendor_id = add_vendor(db)
    add_release(db, "SLV-099", cancelled=True)
    with pytest.raises(ConflictError, match="cancelled"):
        new(db, vendor_id, release="SLV-099")
    with pytest.raises(NotFoundError, match="no release"):
        new(db, vendor_id, release="SLV-404")
    with db.write() as session:
        set_active(session, actor=CORA, vendor_id=vendor_id, active=False, now=NOW)
    with pytest.raises(ConflictError, match=r"archived.*`/vendor restore V-1`"):
        new(db, vendor_id)
    with pytest.raises(NotFoundError, match="no vendor V-9"):
        new(db, 9)


def test_numbers_follow_the_year_of_today(db: Database) -> None:
    vendor_id = add_vendor(db)
    assert new(db, vendor_id, today=date(2027, 12, 31)).number == "PO-2027-0001"
    assert new(db, vendor_id, today=date(2027, 12, 31)).number == "PO-2027-0002"
    assert new(db, vendor_id, today=date(2028, 1, 1)).number == "PO-2028-0001"


def act(db: Database, verb: str, number: str = "PO-2027-0001", **kwargs) -> PurchaseOrder:  # type: ignore[no-untyped-def]
    function = getattr(orders, f"{verb}_order")
    with db.write() as session:
        return function(session, actor=CORA, number=number, now=NOW, **kwargs)


def test_an_order_goes_draft_issued_received_closed_and_each_step_is_audited(
    db: Database,
) -> None:
    new(db, add_vendor(db))
    assert act(db, "issue").status == "issued"
    assert act(db, "receive").status == "received"
    closed = act(db, "close")
    assert closed.status == "closed" and closed.closed_by == CORA.user_id
    with db.read() as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == "order", AuditEntry.entity_id == "PO-2027-0001")
                .order_by(AuditEntry.id)
            )
        )
    assert actions == ["create", "issued", "received", "closed"]


def test_illegal_moves_are_refused_naming_where_they_can_start(db: Database) -> None:
    new(db, add_vendor(db))
    with pytest.raises(ConflictError, match="is draft; only an order that is issued"):
        act(db, "receive")
    with pytest.raises(ConflictError, match="is draft; only an order that is received"):
        act(db, "close")
    act(db, "issue")
    with pytest.raises(ConflictError, match="is issued; only an order that is draft"):
        act(db, "issue")
    line = LineInput("Extra", "1", "1")
    with pytest.raises(ConflictError, match="only to a draft"), db.write() as session:
        orders.add_line(session, actor=CORA, number="PO-2027-0001", line=line, now=NOW)


def test_a_cancelled_order_keeps_its_number_and_its_reason(db: Database) -> None:
    vendor_id = add_vendor(db)
    new(db, vendor_id)
    with pytest.raises(ValidationError, match="`reason` can't be empty"):
        act(db, "cancel", reason="  ")
    cancelled = act(db, "cancel", reason="wrong weight")
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "wrong weight")
    with pytest.raises(ConflictError, match="is cancelled"):
        act(db, "cancel", reason="again")
    assert new(db, vendor_id).number == "PO-2027-0002"
    with db.read() as session:
        listed = orders.list_orders(session, actor=CORA)
        everything = orders.list_orders(session, actor=CORA, open_only=False)
    assert [o.number for o in listed] == ["PO-2027-0002"]
    assert [o.number for o in everything] == ["PO-2027-0002", "PO-2027-0001"]


def test_an_unknown_order_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError, match="no order `PO-2027-0042`"), db.read() as session:
        orders.get_order_by_number(session, "PO-2027-0042")


def test_only_coordinators_and_management_may_order(db: Database) -> None:
    vendor_id = add_vendor(db)
    with pytest.raises(PermissionDenied, match="coordinators and management"), db.write() as s:
        orders.new_order(s, actor=MIA, vendor_id=vendor_id, line=PRESSING, now=NOW, today=TODAY)
    with db.write() as session:
        order = orders.new_order(
            session, actor=MOE, vendor_id=vendor_id, line=PRESSING, now=NOW, today=TODAY
        )
    with pytest.raises(PermissionDenied), db.write() as session:
        orders.issue_order(session, actor=MIA, number=order.number, now=NOW)
    with pytest.raises(PermissionDenied), db.read() as session:
        orders.list_orders(session, actor=MIA)


# Freelance work: an hourly rate that went up on 2 January.
RATES = [
    ("60", "EUR", "hour", date(2026, 12, 1)),
    ("70", "EUR", "hour", date(2027, 1, 2)),
]


def freelance(db: Database, freelancer_id: int, asset_id: int, **kwargs) -> PurchaseOrder:  # type: ignore[no-untyped-def]
    options = {"tz": UTC_TZ, "now": NOW, "today": TODAY, **kwargs}
    with db.write() as session:
        return new_freelance_order(
            session, actor=CORA, freelancer_id=freelancer_id, asset_id=asset_id, **options
        )


def test_freelance_work_is_priced_from_the_rate_on_the_day_of_the_assignment(
    db: Database,
) -> None:
    release_id = add_release(db)
    asset_id = add_asset(db, release_id=release_id)
    freelancer_id = add_freelancer(db, RATES)
    assign(db, asset_id, freelancer_id, at=datetime(2027, 1, 1, 15, 0, tzinfo=UTC))
    order = freelance(db, freelancer_id, asset_id, hours="12.5")
    stored = load(db, order.number)
    (line,) = stored.lines
    assert (line.quantity, line.unit_price, line.unit) == (Decimal("12.5"), Decimal("60"), "hour")
    assert orders.order_total(stored) == Decimal("750.00")
    assert stored.supplier_label == "F-1" and stored.currency == "EUR"
    assert [a.id for a in stored.assets] == [asset_id] and stored.release_id == release_id
    assert line.item == f"Front cover (A-{asset_id})"


def test_the_day_of_the_assignment_is_the_workspaces_day(db: Database) -> None:
    asset_id = add_asset(db)
    freelancer_id = add_freelancer(db, RATES)
    # 23:30 UTC on 1 January is already 2 January in Tokyo, when the new rate applies.
    assign(db, asset_id, freelancer_id, at=datetime(2027, 1, 1, 23, 30, tzinfo=UTC))
    order = freelance(db, freelancer_id, asset_id, hours="10", tz=ZoneInfo("Asia/Tokyo"))
    assert load(db, order.number).lines[0].unit_price == Decimal("70.00")


def test_per_asset_work_is_one_unit(db: Database) -> None:
    asset_id = add_asset(db)
    freelancer_id = add_freelancer(db, [("450", "GBP", "asset", date(2026, 1, 1))])
    assign(db, asset_id, freelancer_id)
    order = load(db, freelance(db, freelancer_id, asset_id).number)
    assert order.lines[0].quantity == Decimal("1.000")
    assert (orders.order_total(order), order.currency) == (Decimal("450.00"), "GBP")
    another = add_asset(db)
    assign(db, another, freelancer_id)
    with pytest.raises(ValidationError, match="paid per asset: the order is for one asset"):
        freelance(db, freelancer_id, another, hours="3")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, r"paid per hour: say how many hours, e.g. hours:12\."),
        ({"days": "2"}, r"say how many hours.*\(not days\)"),
        ({"hours": "0"}, r"`hours` must be more than zero"),
        ({"hours": "1,5"}, r"digits and a dot only"),
    ],
)
def test_hourly_work_needs_a_number_of_hours(db: Database, kwargs: dict, message: str) -> None:
    asset_id = add_asset(db)
    freelancer_id = add_freelancer(db, RATES)
    assign(db, asset_id, freelancer_id)
    with pytest.raises(ValidationError, match=message):
        freelance(db, freelancer_id, asset_id, **kwargs)


def test_freelance_orders_need_an_assignment_an_agreement_and_are_made_once(
    db: Database,
) -> None:
    asset_id = add_asset(db)
    freelancer_id = add_freelancer(db, RATES)
    with pytest.raises(ConflictError, match=r"never assigned to A-1; `/asset assign A-1 F-1`"):
        freelance(db, freelancer_id, asset_id, hours="1")
    assign(db, asset_id, freelancer_id, at=datetime(2026, 11, 1, 12, 0, tzinfo=UTC))
    with pytest.raises(ConflictError, match="no rate agreement on 2026-11-01"):
        freelance(db, freelancer_id, asset_id, hours="1")
    assign(db, asset_id, freelancer_id)
    first = freelance(db, freelancer_id, asset_id, hours="1")
    with pytest.raises(ConflictError, match=f"already on {first.number}"):
        freelance(db, freelancer_id, asset_id, hours="1")
    act(db, "cancel", first.number, reason="wrong hours")
    assert freelance(db, freelancer_id, asset_id, hours="2").number == "PO-2027-0002"


@given(st.text(max_size=16))
def test_every_quantity_text_gives_a_positive_decimal_or_a_validation_error(text: str) -> None:
    try:
        quantity = parse_quantity(text)
    except SleeveError as exc:
        assert isinstance(exc, ValidationError)
        return
    assert quantity > 0 and quantity == Decimal(text.strip())


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2))
def test_every_two_decimal_price_reads_back_exactly(price: Decimal) -> None:
    assert parse_price(str(price)) == price
    assert parse_price(f"{price:f}") == price


@given(st.integers(1, 10**6), st.integers(0, 99), st.integers(0, 9))
def test_a_comma_is_refused_as_a_decimal_separator(whole: int, cents: int, digit: int) -> None:
    with pytest.raises(ValidationError, match="digits and a dot only"):
        parse_price(f"{whole},{cents:02d}")
    with pytest.raises(ValidationError, match="digits and a dot only"):
        parse_quantity(f"{whole},{digit}")
