"""`python -m bot export` of vendors, orders and invoices: JSON with lines nested, one CSV file
per table, and the accountant's two CSV files, amounts exact to the cent on both databases."""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, date
from decimal import Decimal
from pathlib import Path

from bot.devtools.workspace import Workspace
from bot.exports.service import accounting
from bot.purchasing import invoices, orders
from bot.purchasing.freelance import new_freelance_order
from bot.purchasing.lines import LineInput
from bot.purchasing.own_invoices import issue_own_invoice
from bot.storage.db import Database
from tests.digests_critical.support import counting_selects
from tests.purchasing.support import (
    CORA,
    LIMIT,
    NOW,
    TODAY,
    add_asset,
    add_freelancer,
    add_release,
    add_vendor,
    assign,
)

PRESSING = LineInput(item="LP pressing 140g", quantity="500", price="2.15")  # 1075.00
TESTS = LineInput(item="Test pressings", quantity="5", price="12.50")  # 62.50
STOCK = [
    LineInput(item="LP stock", quantity="200", price="9.50"),  # 1900.00
    LineInput(item="=Tote bags", quantity="3", price="19.99"),  # 59.97
]


def vendor_order(db: Database, vendor_id: int) -> str:
    """PO-2027-0001 for SLV-014: two lines, 1137.50 EUR, issued and received."""
    with db.write() as session:
        order = orders.new_order(
            session,
            actor=CORA,
            vendor_id=vendor_id,
            line=PRESSING,
            release="SLV-014",
            now=NOW,
            today=TODAY,
        )
        orders.add_line(session, actor=CORA, number=order.number, line=TESTS, now=NOW)
        orders.issue_order(session, actor=CORA, number=order.number, now=NOW)
        orders.receive_order(session, actor=CORA, number=order.number, now=NOW)
        return order.number


def freelance_order(db: Database, asset_id: int) -> str:
    """PO-2027-0002: Jane's cover, one asset at 450.00 GBP."""
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
        return order.number


def seed_purchasing(ws: Workspace) -> dict[str, int | str]:
    db = ws.runtime.db
    add_release(db)
    plant = add_vendor(db)
    distributor = add_vendor(db, "Distro One", kind="distributor", currency="GBP")
    pressing = vendor_order(db, plant)
    asset_id = add_asset(db)
    cover = freelance_order(db, asset_id)
    with db.write() as session:
        invoices.record_invoice(
            session,
            actor=CORA,
            order_number=pressing,
            number="OM-7781",
            amount="1137.50",
            issued_on=date(2027, 1, 2),
            limit=LIMIT,
            now=NOW,
            today=TODAY,
        )
        issue_own_invoice(
            session, actor=CORA, vendor_id=distributor, lines=STOCK, now=NOW, today=TODAY
        )
    return {"pressing": pressing, "cover": cover, "asset_id": asset_id}


def run_export(ws: Workspace, out: Path, *args: str) -> list[Path]:
    env = dict(os.environ, DATABASE_URL=ws.runtime.settings.database_url)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "export", "--out", str(out), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=out.parent,
    )
    assert result.returncode == 0, result.stderr
    return [Path(line) for line in result.stdout.split()]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_json_nests_lines_and_assets_with_exact_amounts(
    workspace: Workspace, tmp_path: Path
) -> None:
    seeded = seed_purchasing(workspace)
    (path,) = run_export(workspace, tmp_path / "out")
    document = json.loads(path.read_text(), parse_float=Decimal)
    assert list(document)[-4:] == ["vendors", "orders", "invoices", "audit"]
    assert [v["name"] for v in document["vendors"]] == ["Optimal Media", "Distro One"]
    pressing, cover = document["orders"]
    assert (pressing["number"], cover["number"]) == (seeded["pressing"], seeded["cover"])
    assert [line["total"] for line in pressing["lines"]] == ["1075.00", "62.50"]
    assert [line["unit_price"] for line in pressing["lines"]] == ["2.15", "12.50"]
    assert Decimal(pressing["lines"][0]["quantity"]) == 500
    assert (pressing["total"], pressing["currency"], pressing["status"]) == (
        "1137.50",
        "EUR",
        "received",
    )
    assert pressing["assets"] == [] and cover["assets"] == [seeded["asset_id"]]
    assert (cover["total"], cover["lines"][0]["unit"]) == ("450.00", "asset")
    theirs, ours = document["invoices"]
    assert (theirs["number"], theirs["amount"], theirs["lines"]) == ("OM-7781", "1137.50", [])
    assert theirs["order_id"] == pressing["id"] and theirs["match_flags"] == ""
    assert (ours["number"], ours["direction"], ours["amount"]) == (
        "INV-2027-0001",
        "out",
        "1959.97",
    )
    assert [line["total"] for line in ours["lines"]] == ["1900.00", "59.97"]
    # Amounts are strings, exact: nothing in the purchasing keys was written as a number.
    for key in ("orders", "invoices"):
        for row in document[key]:
            for value in (row.get("amount"), row.get("total")):
                assert value is None or isinstance(value, str)


def test_csv_writes_one_file_per_purchasing_table(workspace: Workspace, tmp_path: Path) -> None:
    seed_purchasing(workspace)
    paths = run_export(workspace, tmp_path / "out", "--format", "csv")
    by_name = {path.stem: path for path in paths}
    counts = {
        "vendors": 2,
        "orders": 2,
        "order_lines": 3,
        "order_assets": 1,
        "invoices": 2,
        "invoice_lines": 2,
    }
    for name, rows in counts.items():
        assert len(read_csv(by_name[name])) == rows, name
    assert [row["amount"] for row in read_csv(by_name["invoices"])] == ["1137.50", "1959.97"]


def test_accounting_writes_one_row_per_invoice_and_per_order_line(
    workspace: Workspace, tmp_path: Path
) -> None:
    seeded = seed_purchasing(workspace)
    paths = run_export(workspace, tmp_path / "books", "--format", "accounting")
    assert sorted(path.name for path in paths) == ["invoices.csv", "order_lines.csv"]
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in paths)
    by_name = {path.name: path for path in paths}
    assert by_name["invoices.csv"].read_bytes().count(b"\r\n") == 3  # RFC 4180 line ends
    bills = read_csv(by_name["invoices.csv"])
    assert [(b["number"], b["direction"], b["amount"], b["currency"]) for b in bills] == [
        ("OM-7781", "in", "1137.50", "EUR"),  # issued on 2 Jan, before the label's own
        ("INV-2027-0001", "out", "1959.97", "GBP"),
    ]
    assert (bills[0]["vendor"], bills[0]["order_number"], bills[0]["release_catno"]) == (
        "Optimal Media",
        seeded["pressing"],
        "SLV-014",
    )
    assert (bills[0]["issued_on"], bills[0]["due"]) == ("2027-01-02", "2027-02-01")
    assert (bills[1]["vendor"], bills[1]["order_number"]) == ("Distro One", "")
    lines = read_csv(by_name["order_lines.csv"])
    assert [
        (ln["order_number"], ln["item"], ln["quantity"], ln["unit_price"], ln["line_total"])
        for ln in lines
    ] == [
        (seeded["pressing"], "LP pressing 140g", "500", "2.15", "1075.00"),
        (seeded["pressing"], "Test pressings", "5", "12.50", "62.50"),
        (seeded["cover"], f"Front cover (A-{seeded['asset_id']})", "1", "450.00", "450.00"),
    ]
    assert lines[2]["supplier"] == "Jane Doe" and lines[2]["unit"] == "asset"


def test_accounting_costs_the_same_queries_for_many_orders(workspace: Workspace) -> None:
    seed_purchasing(workspace)
    with workspace.runtime.db.read() as session, counting_selects(workspace) as few:
        accounting(session)
    plant = add_vendor(workspace.runtime.db, "Pallas")
    for _ in range(15):
        vendor_order(workspace.runtime.db, plant)
    with workspace.runtime.db.read() as session, counting_selects(workspace) as many:
        files = accounting(session)
    assert len(many) == len(few)
    assert files["order_lines.csv"].count("\r\n") == 1 + 3 + 15 * 2
