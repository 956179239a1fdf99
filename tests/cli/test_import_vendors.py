"""`python -m bot import vendors FILE.csv`: the real command on a real file, all rows or none,
matched on the name, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from bot.devtools.workspace import Workspace
from bot.storage.audit_models import AuditEntry
from bot.storage.purchasing_models import Vendor
from tests.helpers import count

HEADER = "name,kind,email,phone,currency,terms,tax,address,notes\n"
GOOD = (
    HEADER
    + 'Optimal Media,plant,Orders@Optimal.example.com,+49 39931 560,eur,net 30,DE123456789,"'
    + 'Glienholzweg 7\nRöbel",\n'
    + "Print Co,printer,,,GBP,14,,,\n"
    + 'Merch Makers,merch,hello@merch.example.com,,USD,30,,,"Two lines\nof notes"\n'
)


def run_cli(ws: Workspace, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=ws.runtime.settings.database_url)
    return subprocess.run(
        [sys.executable, "-m", "bot", "import", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


def run_import(ws: Workspace, tmp_path: Path, content: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "vendors.csv"
    path.write_bytes(content.encode("utf-8"))
    return run_cli(ws, tmp_path, "vendors", str(path))


def vendor_list(ws: Workspace) -> dict[str, tuple[str, str | None, str, int, str | None]]:
    with ws.runtime.db.read() as session:
        rows = session.scalars(select(Vendor).order_by(Vendor.id))
        return {v.label: (v.name, v.email, v.currency, v.terms_days, v.notes) for v in rows}


def test_import_adds_then_reimport_updates_instead_of_duplicating(
    workspace: Workspace, tmp_path: Path
) -> None:
    first = run_import(workspace, tmp_path, GOOD)
    assert first.returncode == 0, first.stderr
    assert "3 rows: 3 added, 0 updated, 0 unchanged" in first.stdout
    assert vendor_list(workspace) == {
        "V-1": ("Optimal Media", "orders@optimal.example.com", "EUR", 30, None),
        "V-2": ("Print Co", None, "GBP", 14, None),
        "V-3": ("Merch Makers", "hello@merch.example.com", "USD", 30, "Two lines\nof notes"),
    }
    with workspace.runtime.db.read() as session:
        plant = session.scalars(select(Vendor).where(Vendor.name == "Optimal Media")).one()
        assert (plant.kind, plant.tax_id, plant.address) == (
            "plant",
            "DE123456789",
            "Glienholzweg 7\nRöbel",
        )
        actors = set(session.scalars(select(AuditEntry.actor).where(AuditEntry.entity == "vendor")))
    assert actors == {"import"}

    again = run_import(workspace, tmp_path, GOOD)
    assert "3 rows: 0 added, 0 updated, 3 unchanged" in again.stdout
    # Matched on the name in any case: a new spelling of it updates, it doesn't add.
    changed = GOOD.replace("Print Co,printer,,,GBP,14", "PRINT CO,printer,,,GBP,21")
    third = run_import(workspace, tmp_path, changed)
    assert "0 added, 1 updated, 2 unchanged" in third.stdout, third.stderr
    assert vendor_list(workspace)["V-2"] == ("PRINT CO", None, "GBP", 21, None)
    assert len(vendor_list(workspace)) == 3


def test_a_file_with_bad_rows_imports_nothing_and_names_each_bad_line(
    workspace: Workspace, tmp_path: Path
) -> None:
    bad = (
        GOOD
        + "Pallas,pressing,,,EUR,30,,,\n"  # line 7
        + "Nia Print,printer,nia@,,EURO,400,,,\n"  # line 8: three problems
        + "optimal media,plant,,,EUR,30,,,\n"  # line 9: the same name as line 2
    )
    audit_before = count(workspace, AuditEntry)
    result = run_import(workspace, tmp_path, bad)
    assert result.returncode == 1, result.stdout
    assert result.stdout == ""
    first, *lines = result.stderr.splitlines()
    assert first == f"sleeve: {tmp_path / 'vendors.csv'}: nothing imported, 3 bad rows:"
    assert lines[0].startswith("  line 7: `kind` is one of plant, printer")
    assert lines[1].startswith("  line 8: `email` should be an email address")
    assert "ISO 4217" in lines[1] and "`terms`" in lines[1]  # every problem of the row
    assert lines[2] == "  line 9: optimal media is also on line 2"
    # Nothing half-written: not even the good rows above the bad ones, nor their audit.
    assert vendor_list(workspace) == {}
    assert count(workspace, AuditEntry) == audit_before

    assert run_import(workspace, tmp_path, GOOD).returncode == 0
    before = vendor_list(workspace)
    edited_then_bad = GOOD.replace(",14,", ",60,") + "Pallas,plant,,,,30,,,\n"
    result = run_import(workspace, tmp_path, edited_then_bad)
    assert result.returncode == 1 and "line 7: `currency` should be an ISO 4217" in result.stderr
    assert vendor_list(workspace) == before  # the good edit above was not applied either


def test_an_unreadable_or_malformed_file_is_one_clear_line(
    workspace: Workspace, tmp_path: Path
) -> None:
    missing = run_cli(workspace, tmp_path, "vendors", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and missing.stderr.startswith("sleeve: can't read")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + "Röbel Press,plant,,,EUR,30,,,\n".encode("latin-1"))
    not_utf8 = run_cli(workspace, tmp_path, "vendors", str(latin))
    assert not_utf8.returncode == 1 and "isn't UTF-8 text" in not_utf8.stderr
    unknown = run_import(workspace, tmp_path, "name,currency,vat\nA,EUR,1\n")
    assert unknown.returncode == 1 and "line 1: unknown column 'vat'" in unknown.stderr
    bom = run_import(workspace, tmp_path, "\ufeffname,currency\nPallas,EUR\n")
    assert bom.returncode == 0, bom.stderr  # a spreadsheet's byte-order mark is fine
    two = run_cli(workspace, tmp_path, "vendors", "a.csv", "b.csv")
    assert two.returncode == 2 and "import vendors takes vendors FILE.csv" in two.stderr
    assert list(vendor_list(workspace).values()) == [("Pallas", None, "EUR", 30, None)]
