"""`python -m bot import freelancers FILE.csv`: all rows or none, matched on email."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.devtools.workspace import Workspace
from bot.freelancers.csv_import import read_rows
from bot.storage.audit_models import AuditEntry
from bot.storage.freelancer_models import Freelancer, RateAgreement
from tests.helpers import count

HEADER = "name,email,phone,slack,skills,rate,per,currency,portfolio,notes\n"
GOOD = (
    HEADER + 'Jane Doe,Jane@Example.com,+44 20 7946 0958,U0SAM,"layout,type",62.50,hour,EUR,'
    "https://jane.example.com,\n"
    + 'Ola Berg,ola@example.com,,,photography,1234.56,day,usd,,"Two lines\nof notes"\n'
    + 'Fay Moreau,FAY@example.com,,U0FAY,"illustration,layout",450,asset,GBP,,\n'
)
TODAY = date(2026, 11, 26)


def run_import(ws: Workspace, tmp_path: Path, content: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "freelancers.csv"
    path.write_text(content, encoding="utf-8")
    env = dict(os.environ, DATABASE_URL=ws.runtime.settings.database_url)
    return subprocess.run(
        [sys.executable, "-m", "bot", "import", "freelancers", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def directory(ws: Workspace) -> dict[str, tuple[str, str | None, str | None]]:
    with ws.runtime.db.read() as session:
        rows = session.scalars(select(Freelancer).order_by(Freelancer.id))
        return {f.email: (f.name, f.phone, f.notes) for f in rows}


def rates(ws: Workspace) -> list[tuple[str, Decimal, str, str]]:
    with ws.runtime.db.read() as session:
        query = select(
            Freelancer.email, RateAgreement.amount, RateAgreement.currency, RateAgreement.unit
        )
        rows = session.execute(query.join(RateAgreement.freelancer).order_by(RateAgreement.id))
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_a_file_with_a_bad_row_imports_nothing_and_names_each_bad_line(
    workspace: Workspace, tmp_path: Path
) -> None:
    bad = GOOD + "Nia Cole,nia@,,,,,,,,\n" + "Zed,zed@example.com,,,,12.345,hour,EUR,ftp://x,\n"
    before = count(workspace, AuditEntry)
    result = run_import(workspace, tmp_path, bad)
    assert result.returncode == 1, result.stdout
    assert "nothing imported, 2 bad rows" in result.stderr
    lines = [line.strip() for line in result.stderr.splitlines()[1:]]
    assert lines[0].startswith("line 6: `email` should be an email address")
    assert lines[1].startswith("line 7: ") and "at most 2 decimals" in lines[1]
    assert "`portfolio`" in lines[1]  # every problem of the row, not just the first
    assert list(directory(workspace)) == ["fay@example.com"]
    assert count(workspace, AuditEntry) == before


def test_import_adds_then_reimport_updates_instead_of_duplicating(
    workspace: Workspace, tmp_path: Path
) -> None:
    first = run_import(workspace, tmp_path, GOOD)
    assert first.returncode == 0, first.stderr
    assert "2 added, 0 updated, 1 unchanged; 2 new rate agreements" in first.stdout  # Fay as seeded
    people = directory(workspace)
    assert people["jane@example.com"] == ("Jane Doe", "+44 20 7946 0958", None)
    assert people["ola@example.com"][2] == "Two lines\nof notes"
    assert rates(workspace)[1:] == [
        ("jane@example.com", Decimal("62.50"), "EUR", "hour"),
        ("ola@example.com", Decimal("1234.56"), "USD", "day"),
    ]  # Fay's 450 GBP per asset is the agreement she has: not recorded again
    with workspace.runtime.db.read() as session:
        actors = set(
            session.scalars(select(AuditEntry.actor).where(AuditEntry.entity == "freelancer"))
        )
    assert actors == {"import"}

    again = run_import(workspace, tmp_path, GOOD)
    assert "0 added, 0 updated, 3 unchanged; 0 new rate agreements" in again.stdout
    assert len(directory(workspace)) == 3 and len(rates(workspace)) == 3

    changed = GOOD.replace("+44 20 7946 0958", "").replace("62.50,hour", "65,hour")
    third = run_import(workspace, tmp_path, changed)
    assert "0 added, 1 updated, 2 unchanged; 1 new rate agreements" in third.stdout
    assert directory(workspace)["jane@example.com"][1] is None  # an empty cell clears
    assert rates(workspace)[-1] == ("jane@example.com", Decimal("65.00"), "EUR", "hour")


def test_a_missing_file_is_one_line_and_exit_1(workspace: Workspace, tmp_path: Path) -> None:
    env = dict(os.environ, DATABASE_URL=workspace.runtime.settings.database_url)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "import", "freelancers", str(tmp_path / "nope.csv")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and result.stderr.startswith("sleeve: can't read")


@pytest.mark.parametrize(
    ("content", "line", "says"),
    [
        ("", 1, "the file is empty"),
        (HEADER, 1, "no freelancer rows"),
        ("name,e-mail\nA,a@example.com\n", 1, "unknown column 'e-mail'"),
        ("name,phone\nA,1\n", 1, "needs the column 'email'"),
        ("name,email,name\nA,a@example.com,B\n", 1, "appears twice"),
        ("name,email\nA,a@example.com,extra\n", 2, "3 cells, but the header has 2"),
        ("name,email,rate\nA,a@example.com,45\n", 2, "`per` is needed with a rate"),
        ("name,email,slack\nA,a@example.com,@ann\n", 2, "Slack user id like U0123ABCD"),
        ("name,email\nA,a@example.com\n\nB,A@EXAMPLE.COM\n", 4, "also on line 2"),
        ('name,email\nA,"a@example.com\n', 2, "not valid CSV"),
    ],
)
def test_problems_name_their_line(content: str, line: int, says: str) -> None:
    _rows, errors = read_rows(io.StringIO(content, newline=""), today=TODAY)
    assert errors and errors[0].line == line and says in errors[0].reason, errors
