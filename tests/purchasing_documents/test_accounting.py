"""The accountant's CSV: parsed back with csv.DictReader, values as written, no formulas."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.purchasing.accounting import (
    INVOICE_COLUMNS,
    ORDER_LINE_COLUMNS,
    InvoiceRow,
    OrderLineRow,
    invoice_rows,
    order_line_rows,
    spreadsheet_safe,
)


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


VENDOR_INVOICE = InvoiceRow(
    number="OM-7781",
    vendor="Optimal Media GmbH",
    direction="in",
    issued_on=date(2027, 1, 20),
    due=date(2027, 2, 19),
    currency="EUR",
    amount=Decimal("1075"),
    status="unpaid",
    order_number="PO-2027-0001",
    release_catno="SLV-014",
)
OWN_INVOICE = InvoiceRow(
    number="INV-2027-0001",
    vendor='Cargo Records, "UK"\nLtd',
    direction="out",
    issued_on=date(2027, 3, 1),
    due=None,
    currency="GBP",
    amount=Decimal("12345.6"),
    status="paid",
    order_number=None,
    release_catno=None,
)


def test_invoices_read_back_as_written() -> None:
    text = invoice_rows([VENDOR_INVOICE, OWN_INVOICE])
    assert text.splitlines()[0] == ",".join(INVOICE_COLUMNS)
    assert text.endswith("\r\n")
    first, second = parse(text)
    assert first == {
        "number": "OM-7781",
        "vendor": "Optimal Media GmbH",
        "direction": "in",
        "issued_on": "2027-01-20",
        "due": "2027-02-19",
        "currency": "EUR",
        "amount": "1075.00",
        "status": "unpaid",
        "order_number": "PO-2027-0001",
        "release_catno": "SLV-014",
    }
    assert second["vendor"] == 'Cargo Records, "UK"\nLtd'  # commas, quotes, newlines survive
    assert second["amount"] == "12345.60"  # no thousands separator
    assert (second["due"], second["order_number"], second["release_catno"]) == ("", "", "")
    assert Decimal(second["amount"]) == OWN_INVOICE.amount


def test_order_lines_carry_an_exact_line_total() -> None:
    lines = [
        OrderLineRow(
            "PO-2027-0001", "issued", "Optimal Media GmbH", "SLV-014", "LP pressing 140g",
            Decimal("500"), "piece", Decimal("2.15"), "EUR",
        ),
        OrderLineRow(
            "PO-2027-0001", "issued", "Optimal Media GmbH", "SLV-014", "Inner sleeves",
            Decimal("3"), None, Decimal("0.125"), "EUR",
        ),
        OrderLineRow(
            "PO-2027-0002", "draft", "Jo Illustrator", None, "Cover art",
            Decimal("12.50"), "hour", Decimal("0.10"), "GBP",
        ),
    ]  # fmt: skip
    text = order_line_rows(lines)
    assert text.splitlines()[0] == ",".join(ORDER_LINE_COLUMNS)
    rows = parse(text)
    assert [r["line_total"] for r in rows] == ["1075.00", "0.38", "1.25"]
    assert [r["quantity"] for r in rows] == ["500", "3", "12.5"]
    assert [r["unit_price"] for r in rows] == ["2.15", "0.125", "0.10"]
    assert rows[1]["unit"] == ""
    assert rows[2]["supplier"] == "Jo Illustrator"
    assert rows[2]["release_catno"] == ""
    assert rows[2]["currency"] == "GBP"
    for row, line in zip(rows, lines, strict=True):
        assert Decimal(row["line_total"]) == line.line_total


def test_no_rows_is_a_header_alone() -> None:
    assert invoice_rows([]) == ",".join(INVOICE_COLUMNS) + "\r\n"
    assert parse(order_line_rows(iter([]))) == []


@pytest.mark.parametrize(
    "hostile",
    ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1"],
)
def test_formula_starts_are_neutralised(hostile: str) -> None:
    invoice = InvoiceRow(
        hostile, hostile, "in", date(2027, 1, 1), None, "EUR", Decimal("-5"),
        hostile, hostile, hostile,
    )  # fmt: skip
    (row,) = parse(invoice_rows([invoice]))
    for key in ("number", "vendor", "status", "order_number", "release_catno"):
        assert row[key] == "'" + hostile
    assert row["amount"] == "-5.00"  # a number we wrote, not text a user typed
    line = OrderLineRow(
        hostile, hostile, hostile, hostile, hostile, Decimal("1"), hostile, Decimal("1"), "EUR"
    )
    (row,) = parse(order_line_rows([line]))
    for key in ("order_number", "status", "supplier", "release_catno", "item", "unit"):
        assert row[key] == "'" + hostile


def test_ordinary_text_is_left_alone() -> None:
    for text in ("Björk", "a=b", "Sigur Rós — 'Takk'", "100% cotton", " =not first"):
        assert spreadsheet_safe(text) == text
    assert spreadsheet_safe(None) == ""


@given(st.text())
def test_no_cell_starts_a_formula_and_nothing_is_lost(text: str) -> None:
    safe = spreadsheet_safe(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe in (text, "'" + text)


def test_non_decimal_amounts_are_refused() -> None:
    bad = InvoiceRow("N", "V", "in", date(2027, 1, 1), None, "EUR", 1.5, "s", None, None)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        invoice_rows([bad])
