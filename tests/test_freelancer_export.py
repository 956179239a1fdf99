"""The export carries the freelancer directory: agreements and assignments nested in the JSON
document, one CSV file each, exact amounts, files readable by the owner only."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

from bot.devtools.workspace import Workspace
from tests.helpers import CORA, ack
from tests.test_export import run_export


def seed(ws: Workspace) -> None:
    ack(ws.command(CORA, "/freelancer", 'add "Jane Doe" email:jane@example.com skills:layout'))
    ack(ws.command(CORA, "/freelancer", "rate F-2 0.10 per:hour currency:EUR"))
    ack(ws.command(CORA, "/freelancer", 'rate F-2 0.30 from:+7d note:"after the album"'))
    ack(ws.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d freelancer:F-1'))
    ack(ws.command(CORA, "/asset", "assign A-1 F-2"))


def test_json_export_nests_agreements_and_assignments(workspace: Workspace, tmp_path: Path) -> None:
    seed(workspace)
    (path,) = run_export(workspace, tmp_path)
    document = json.loads(path.read_text())
    fay, jane = document["freelancers"]
    assert (fay["name"], fay["email"], fay["active"]) == ("Fay Moreau", "fay@example.com", True)
    assert [a["amount"] for a in fay["agreements"]] == ["450.00"]
    assert [(a["amount"], a["currency"], a["note"]) for a in jane["agreements"]] == [
        ("0.10", "EUR", None),
        ("0.30", "EUR", "after the album"),
    ]  # strings: exact, never a float
    (fays,) = fay["assignments"]
    (janes,) = jane["assignments"]
    assert fays["asset_id"] == janes["asset_id"] == 1
    assert fays["unassigned_at"] is not None and janes["unassigned_at"] is None
    (asset,) = document["assets"]
    assert asset["freelancer_id"] == 2


def test_csv_export_has_a_file_for_each_freelancer_table(
    workspace: Workspace, tmp_path: Path
) -> None:
    seed(workspace)
    paths = {path.name: path for path in run_export(workspace, tmp_path, "--format", "csv")}
    expected = {"freelancers.csv": 2, "rate_agreements.csv": 3, "assignments.csv": 2}
    for name, rows in expected.items():
        with paths[name].open(newline="") as handle:
            assert len(list(csv.DictReader(handle))) == rows, name
        assert stat.S_IMODE(paths[name].stat().st_mode) == 0o600
    with paths["rate_agreements.csv"].open(newline="") as handle:
        assert [row["amount"] for row in csv.DictReader(handle)] == ["450.00", "0.10", "0.30"]
