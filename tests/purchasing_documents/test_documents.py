"""Purchase orders and invoices rendered to real PDFs and read back with pdfplumber."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.money import format_money
from bot.purchasing.documents import (
    Document,
    DocumentLine,
    Party,
    filename,
    format_quantity,
    line_total,
    net,
    tax,
    total,
)
from bot.purchasing.pdf_layout import pdf_safe
from bot.purchasing.rendering import render_pdf

LABEL = Party(
    "Sleeve Records Ltd",
    ("1 Vinyl Street", "London E1 6AN", "United Kingdom"),
    "GB123456789",
    "orders@sleeve.example",
)
PLANT = Party(
    "Optimal Media GmbH",
    ("Glienholzweg 7", "17207 Röbel/Müritz", "Germany"),
    "DE812345678",
    "sales@optimal.example",
)
LINES = (
    DocumentLine("LP pressing 140g", Decimal("500"), Decimal("2.15"), "piece"),
    DocumentLine("Inner sleeves", Decimal("500"), Decimal("0.125"), "piece"),
    DocumentLine("Mastering", Decimal("12.5"), Decimal("62.50"), "hour"),
)
HEADER = "Item Quantity Unit Unit price Line total"


def make_doc(**changes: object) -> Document:
    doc = Document(
        kind="purchase_order",
        number="PO-2027-0001",
        issued_on=date(2027, 1, 5),
        issuer=LABEL,
        recipient=PLANT,
        currency="EUR",
        lines=LINES,
        terms_days=30,
        due=date(2027, 2, 4),
        reference="SLV-014 Homogenic (reissue)",
        notes="Deliver to the warehouse.\nCall before.",
        tax_rate=Decimal("19"),
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def read_pdf(data: bytes) -> tuple[list[str], dict[str, str]]:
    """The text of each page and the document information."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages], dict(pdf.metadata)


def row_text(line: DocumentLine, currency: str = "EUR") -> str:
    unit_price = f"{line.unit_price:,f} {currency}"
    if line.unit_price == line.unit_price.quantize(Decimal("0.01")):
        unit_price = format_money(line.unit_price, currency)
    parts = [line.item, format_quantity(line.quantity), line.unit or "", unit_price]
    return " ".join(p for p in parts if p) + " " + format_money(line_total(line), currency)


def test_a_purchase_order_shows_everything_an_invoice_must() -> None:
    doc = make_doc()
    pages, meta = read_pdf(render_pdf(doc))
    text = "\n".join(pages)
    lines = text.splitlines()
    assert lines[0] == "Purchase order"
    for expected in (
        "Number PO-2027-0001",
        "Date 2027-01-05",
        "Payment terms Net 30 days",
        "Due 2027-02-04",
        "Reference SLV-014 Homogenic (reissue)",
        "Sleeve Records Ltd Optimal Media GmbH",
        "London E1 6AN 17207 Röbel/Müritz",
        "Tax id: GB123456789 Tax id: DE812345678",
        "orders@sleeve.example sales@optimal.example",
        HEADER,
        "Deliver to the warehouse.",
        "Call before.",
    ):
        assert expected in lines, expected
    for line in LINES:
        assert row_text(line) in lines
    assert "Inner sleeves 500 piece 0.125 EUR 62.50 EUR" in lines
    assert "Mastering 12.5 hour 62.50 EUR 781.25 EUR" in lines
    assert net(doc) == Decimal("1918.75")
    assert tax(doc) == Decimal("364.56")  # 364.5625 rounded half-up
    assert total(doc) == Decimal("2283.31")
    assert "Net 1,918.75 EUR" in lines
    assert "Tax (19%) 364.56 EUR" in lines
    assert "Total 2,283.31 EUR" in lines
    assert "CANCELLED" not in text
    assert meta["Title"] == "PO-2027-0001"
    assert meta["Creator"] == "Sleeve"


def test_an_invoice_is_titled_and_addressed_as_one() -> None:
    doc = make_doc(kind="invoice", number="INV-2027-0003", terms_days=14, tax_rate=Decimal("0"))
    lines = "\n".join(read_pdf(render_pdf(doc))[0]).splitlines()
    assert lines[0] == "Invoice"
    assert "Number INV-2027-0003" in lines
    assert "From Bill to" in lines
    assert "Payment terms Net 14 days" in lines
    assert "Tax (0%) 0.00 EUR" in lines
    assert f"Total {format_money(net(doc), 'EUR')}" in lines
    assert filename(doc) == "INV-2027-0003.pdf"


def test_cents_are_exact_and_rounded_half_up() -> None:
    dime = DocumentLine("Stickers", Decimal("3"), Decimal("0.10"))
    assert line_total(dime) == Decimal("0.30")
    assert line_total(DocumentLine("x", Decimal("1"), Decimal("2.675"))) == Decimal("2.68")
    assert line_total(DocumentLine("x", Decimal("1"), Decimal("1.005"))) == Decimal("1.01")
    assert line_total(DocumentLine("x", Decimal("3"), Decimal("0.125"))) == Decimal("0.38")
    doc = make_doc(lines=(dime,), tax_rate=Decimal("5"))
    assert (net(doc), tax(doc), total(doc)) == (Decimal("0.30"), Decimal("0.02"), Decimal("0.32"))
    half = make_doc(
        lines=(DocumentLine("x", Decimal("1"), Decimal("0.50")),), tax_rate=Decimal("5")
    )
    assert tax(half) == Decimal("0.03")  # 0.025 goes up, not to the even 0.02
    lines = "\n".join(read_pdf(render_pdf(doc))[0]).splitlines()
    assert "Stickers 3 0.10 EUR 0.30 EUR" in lines
    assert "Net 0.30 EUR" in lines
    assert "Tax (5%) 0.02 EUR" in lines
    assert "Total 0.32 EUR" in lines


def test_sixty_lines_span_pages_with_the_header_on_each() -> None:
    many = tuple(
        DocumentLine(f"Test pressing batch {i:02d}", Decimal(10 + i), Decimal("3.33"), "piece")
        for i in range(60)
    )
    doc = make_doc(lines=many)
    pages, _ = read_pdf(render_pdf(doc))
    assert len(pages) >= 2
    for page in pages:
        assert HEADER in page.splitlines()
        assert "Purchase order PO-2027-0001 - page" in page
    lines = "\n".join(pages).splitlines()
    for line in many:
        assert lines.count(row_text(line)) == 1
    assert net(doc) == sum(line_total(line) for line in many)
    assert f"Total {format_money(total(doc), 'EUR')}" in lines


def test_long_item_names_wrap_inside_their_column() -> None:
    long_item = "Deluxe gatefold jacket with spot UV, " * 8
    doc = make_doc(lines=(DocumentLine(long_item.strip(), Decimal("300"), Decimal("1.90")),))
    with pdfplumber.open(io.BytesIO(render_pdf(doc))) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        item_words = [w for w in words if w["text"] in ("gatefold", "Deluxe")]
        assert len(item_words) >= 8
        assert all(w["x1"] < (15 + 68) * 72 / 25.4 for w in item_words)  # the item column
        assert all(w["x1"] <= page.width for w in words)
        text = page.extract_text()
    assert "300 1.90 EUR 570.00 EUR" in text


HOSTILE = (
    "Björk",
    "Sigur Rós — “Ágætis byrjun”",
    "東京事変 🎸",
    "Łódź Œuvre ﬁnal Ａ",
    "\u202eevil\u200b",
    "tab\there\x00nul\x1b[31m",
    "lone \ud800 surrogate",
    "x" * 3000,
    "line one\nline two\r\nline three",
    '=HYPERLINK("http://evil")',
    "",
)


def test_hostile_and_unicode_text_renders() -> None:
    party = Party(HOSTILE[1], HOSTILE, HOSTILE[2], HOSTILE[3])
    lines = tuple(DocumentLine(text, Decimal("1"), Decimal("1.00"), text) for text in HOSTILE)
    doc = make_doc(issuer=party, lines=lines, reference=HOSTILE[2], notes="\n".join(HOSTILE))
    pages, meta = read_pdf(render_pdf(doc))
    text = "\n".join(pages)
    assert "Björk" in text
    assert "Sigur Rós — “Ágætis byrjun”" in text
    assert "Lódz Œuvre final A" in text
    assert f"Total {format_money(total(doc), 'EUR')}" in text
    assert "\u202e" not in text
    assert meta["Author"] == HOSTILE[1]


def test_document_metadata_keeps_unicode_and_survives_a_lone_surrogate() -> None:
    issuer = Party("lone \ud800 surrogate", (), None, None)
    _, meta = read_pdf(render_pdf(make_doc(issuer=issuer, number="PO-東京-1")))
    assert meta["Author"] == "lone ? surrogate"
    assert meta["Title"] == "PO-東京-1"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("Björk", "Björk"),
        ("“Homogenic” — 1997 … €5", "“Homogenic” — 1997 … €5"),
        ("東京", "??"),
        ("Łódź", "Lódz"),
        ("ﬁne Ａ", "fine A"),
        ("e\u0301", "é"),
        ("\u202eevil\u200b", "evil"),
        ("a\nb\tc", "a b c"),
        ("\ud800", "?"),
    ],
)
def test_text_outside_winansi_folds_to_something_drawable(raw: str, safe: str) -> None:
    assert pdf_safe(raw) == safe
    safe.encode("cp1252")


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=200), st.text(max_size=60))
def test_any_text_renders(item: str, name: str) -> None:
    party = Party(name, (name, item), name, name)
    doc = make_doc(
        recipient=party,
        lines=(DocumentLine(item, Decimal("2"), Decimal("0.10"), name),),
        reference=name,
        notes=item,
    )
    data = render_pdf(doc)
    assert data.startswith(b"%PDF-")
    pdf_safe(item, multiline=True).encode("cp1252")


def test_a_cancelled_document_keeps_its_number_and_says_so() -> None:
    many = tuple(DocumentLine(f"Line {i}", Decimal("1"), Decimal("1.00")) for i in range(70))
    pages, meta = read_pdf(render_pdf(make_doc(cancelled=True, lines=many)))
    assert len(pages) >= 2
    assert "CANCELLED" in pages[0].splitlines()
    assert "Number PO-2027-0001" in pages[0]
    for page in pages:
        assert "Purchase order PO-2027-0001 - CANCELLED - page" in page
    assert meta["Title"] == "PO-2027-0001"


def test_identical_input_gives_identical_bytes() -> None:
    assert render_pdf(make_doc()) == render_pdf(make_doc())
    assert render_pdf(make_doc()) != render_pdf(make_doc(number="PO-2027-0002"))


def test_an_order_without_lines_still_renders() -> None:
    doc = make_doc(lines=())
    text = "\n".join(read_pdf(render_pdf(doc))[0])
    assert "No lines" in text
    assert "Total 0.00 EUR" in text


def test_large_amounts_do_not_overflow() -> None:
    big = DocumentLine("Everything", Decimal("1000000000"), Decimal("9999999999.99"))
    doc = make_doc(lines=(big, big))
    assert total(doc) == Decimal("23799999999976200000.00")
    # Wider than its column: it wraps, every digit still there.
    text = "\n".join(read_pdf(render_pdf(doc))[0]).replace("\n", "")
    assert "Total 23,799,999,999,976,200,000.00 EUR" in text


def test_the_largest_stored_amount_fits_its_column() -> None:
    top = DocumentLine("Top", Decimal("1"), Decimal("9999999999.99"), "piece")
    lines = "\n".join(read_pdf(render_pdf(make_doc(lines=(top,))))[0]).splitlines()
    assert "Top 1 piece 9,999,999,999.99 EUR 9,999,999,999.99 EUR" in lines


def test_filename_is_the_number() -> None:
    assert filename(make_doc()) == "PO-2027-0001.pdf"
    assert filename(make_doc(number="../etc/pass wd")) == "etc-pass-wd.pdf"
    assert filename(make_doc(number="///")) == "document.pdf"


def test_floats_and_bad_values_are_refused() -> None:
    with pytest.raises(TypeError):
        DocumentLine("x", 1.5, Decimal("1"))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        DocumentLine("x", Decimal("NaN"), Decimal("1"))
    with pytest.raises(TypeError):
        make_doc(tax_rate=0.2)
    with pytest.raises(ValueError):
        make_doc(currency="euro")
    with pytest.raises(ValueError):
        make_doc(terms_days=-1)
    assert make_doc(lines=list(LINES)).lines == LINES
    assert Party("A", "1 Street", None, None).address_lines == ("1 Street",)  # type: ignore[arg-type]


def _half_up_cents(value: Fraction) -> Decimal:
    """An oracle without Decimal: round a non-negative exact fraction to cents, half up."""
    cents = value * 100
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole).scaleb(-2)


quantities = st.decimals(min_value=0, max_value=10**6, places=3)
prices = st.decimals(min_value=0, max_value=10**7, places=2)
rates = st.sampled_from([Decimal(r) for r in ("0", "5", "7.7", "19", "20", "25.5")])


@given(st.lists(st.tuples(quantities, prices), max_size=30), rates)
def test_totals_are_the_exact_sum_of_the_lines(
    pairs: list[tuple[Decimal, Decimal]], rate: Decimal
) -> None:
    lines = tuple(DocumentLine("x", q, p) for q, p in pairs)
    doc = make_doc(lines=lines, tax_rate=rate)
    expected = [_half_up_cents(Fraction(q) * Fraction(p)) for q, p in pairs]
    assert [line_total(line) for line in lines] == expected
    assert net(doc) == sum(expected, Decimal("0"))
    assert tax(doc) == _half_up_cents(Fraction(net(doc)) * Fraction(rate) / 100)
    assert total(doc) == net(doc) + tax(doc)
    assert total(doc).as_tuple().exponent == -2
