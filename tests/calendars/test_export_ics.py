"""`python -m bot export --format ics`: the whole catalogue's calendar, beside the other formats."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

from bot.devtools.workspace import Workspace
from tests.calendars.support import is_all_day
from tests.helpers import CORA, MIA, ack, assets, release_new


def test_export_writes_the_catalogues_calendar(workspace: Workspace, tmp_path: Path) -> None:
    ack(release_new(workspace, '"Tapes" artist:"The Vels" date:2027-05-14 format:cd catno:SLV-014'))
    ack(release_new(workspace, '"Gone" artist:"The Vels" date:2027-06-04 format:cd catno:SLV-015'))
    ack(workspace.command(CORA, "/release", 'cancel SLV-015 reason:"Shelved"'))
    ack(workspace.command(MIA, "/asset", 'new "Mia\'s flyer" kind:poster due:+10d'))
    out = tmp_path / "out"
    env = dict(os.environ, DATABASE_URL=workspace.runtime.settings.database_url)
    env["SLEEVE_TIMEZONE"] = "Europe/London"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "export", "--format", "ics", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(out / "sleeve.ics")]
    path = out / "sleeve.ics"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it names people and their work
    calendar = Calendar.from_ical(path.read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Sleeve · the whole catalogue"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/London"
    live = {f"asset-{a.id}@sleeve" for a in assets(workspace) if a.stage != "cancelled"}
    events = list(calendar.walk("VEVENT"))
    assert {str(e["UID"]) for e in events} == live | {"release-1@sleeve"}
    assert all(is_all_day(e.decoded("DTSTART")) for e in events)
