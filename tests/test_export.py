"""`python -m bot export`: every row of a seeded store, as JSON or CSV, readable by the owner only."""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from bot.devtools.workspace import Workspace
from bot.storage.asset_models import Asset, AssetLink
from bot.storage.audit_models import AuditEntry
from bot.storage.department_models import Department, DepartmentMember, Route
from bot.storage.release_models import Release
from tests.helpers import CORA, release_new

TOP_LEVEL = [
    "releases",
    "assets",
    "freelancers",
    "departments",
    "approvals",
    "proofs",
    "label_copy",
    "vendors",
    "orders",
    "invoices",
    "audit",
]


def seed_store(ws: Workspace) -> dict[str, int]:
    release_new(ws, '"Tapes" artist:"The Vels" date:2027-05-14 format:cd,vinyl catno:SLV-014')
    ws.command(CORA, "/asset", 'new "Tour poster" kind:poster due:+7d notes:"A3, matte"')
    ws.command(CORA, "/asset", 'link A-1 https://files.example.com/cover.tif "Master"')
    ws.command(CORA, "/asset", "move A-2 stage:design")
    ws.command(CORA, "/approval", "request A-9 depts:merch,marketing")
    ws.command(CORA, "/approval", 'override A-9 dept:merch reason:"Approved by phone"')
    with ws.runtime.db.read() as session:
        return {
            name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in {
                "releases": Release,
                "assets": Asset,
                "asset_links": AssetLink,
                "departments": Department,
                "department_members": DepartmentMember,
                "routes": Route,
                "audit": AuditEntry,
            }.items()
        }


def run_export(ws: Workspace, tmp_path: Path, *args: str) -> list[Path]:
    env = dict(os.environ, DATABASE_URL=ws.runtime.settings.database_url)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "export", "--out", str(tmp_path / "out"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return [Path(line) for line in result.stdout.split()]


def test_json_export_holds_every_row(workspace: Workspace, tmp_path: Path) -> None:
    expected = seed_store(workspace)
    (path,) = run_export(workspace, tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(path.read_text())
    assert list(document) == TOP_LEVEL
    assert len(document["releases"]) == expected["releases"] == 1
    assert len(document["assets"]) == expected["assets"] == 9
    assert sum(len(a["links"]) for a in document["assets"]) == expected["asset_links"] == 1
    assert len(document["departments"]) == expected["departments"]
    assert sum(len(d["members"]) for d in document["departments"]) == expected["department_members"]
    assert sum(len(d["approves"]) for d in document["departments"]) == expected["routes"]
    assert len(document["audit"]) == expected["audit"]
    (request,) = document["approvals"]
    assert (request["asset_id"], request["round"], request["status"]) == (9, 1, "pending")
    decisions = {d["department_key"]: d for d in request["decisions"]}
    assert decisions["merch"]["reason"] == "Approved by phone" and decisions["merch"]["override"]
    assert decisions["marketing"]["status"] == "pending"
    poster = next(a for a in document["assets"] if a["title"] == "Tour poster")
    assert poster["notes"] == "A3, matte" and poster["due"] == "2026-12-03"
    # Each audit entry whole: who, what, and the values before and after.
    with workspace.runtime.db.read() as session:
        stored = [
            (e.actor, e.entity_id, e.action, e.before, e.after)
            for e in session.query(AuditEntry).order_by(AuditEntry.id)
        ]
    exported = [
        (e["actor"], e["entity_id"], e["action"], e["before"], e["after"])
        for e in document["audit"]
    ]
    assert exported == stored and any(before for *_, before, _after in stored)


def test_csv_export_writes_one_file_per_table(workspace: Workspace, tmp_path: Path) -> None:
    expected = seed_store(workspace)
    paths = run_export(workspace, tmp_path, "--format", "csv")
    by_name = {path.stem: path for path in paths}
    for name, rows in expected.items():
        with by_name[name].open(newline="") as handle:
            assert len(list(csv.DictReader(handle))) == rows, name
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in paths)
