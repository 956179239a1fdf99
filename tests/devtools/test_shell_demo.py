"""The README's demo script runs through the shell from start to end, as a reader would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_coordinators_week_runs_through_the_shell(tmp_path: Path) -> None:
    script = (ROOT / "docs" / "coordinator-week.txt").read_text()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SLEEVE_"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "shell", "--db", str(tmp_path / "week.db"), "--fresh"],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in out + result.stderr and "Not understood" not in out
    assert "Created SLV-014 with 8 assets" in out
    assert "Linked to A-9." in out  # the assigned freelancer adds her proof
    assert "changes requested by @moe" in out
    assert "A-9 Tour poster is approved by every department." in out
    assert "== Production digest ·" in out  # posted by the 09:00 schedule
    assert not list(tmp_path.glob("sleeve*.db"))  # nothing written beside the given --db


def run_shell(tmp_path: Path, script: str, *, fresh: bool = False) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SLEEVE_"))}
    args = ["--fresh"] if fresh else []
    result = subprocess.run(
        [sys.executable, "-m", "bot", "shell", "--db", str(tmp_path / "s.db"), *args],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


def test_the_shell_answers_unknown_commands_lists_its_own_and_keeps_its_clock(
    tmp_path: Path,
) -> None:
    out = run_shell(tmp_path, "/foo bar\nhelp\n/ASSET help\nclock +2d\n", fresh=True)
    assert "Sleeve has no /foo command. Its commands: /release, /asset" in out
    assert "Slash commands (each has `help`): /release, /asset" in out
    assert "request_url" not in out and "Bolt" not in out  # no developer hint
    assert "2 d 0 h ahead of real time" in out
    again = run_shell(tmp_path, "clock\n")
    assert "2 d 0 h ahead of real time" in again  # the next session carries on from there
    reset = run_shell(tmp_path, "clock\n", fresh=True)
    assert "ahead of real time" not in reset


def test_a_round_from_an_earlier_session_can_still_be_decided(tmp_path: Path) -> None:
    run_shell(
        tmp_path, '/asset new "Poster" kind:poster due:+7d\n/approval request A-1\n', fresh=True
    )
    out = run_shell(tmp_path, "thread A-1\nas mia\nclick 4\nhome\n")
    assert "cards and open rounds from earlier sessions" in out
    assert "[4] Approve" in out
    assert "(updated)" in out and "approved by @mia" in out  # the same message, redrawn
    assert "(your Home tab)" in out and "You decide for: *Marketing*" in out


def test_the_shell_uploads_a_proof_and_shows_the_findings_and_the_preview(
    tmp_path: Path,
) -> None:
    from PIL import Image

    art = tmp_path / "poster.tif"
    Image.new("CMYK", (400, 400)).save(art, "TIFF", dpi=(72, 72))
    script = f'/asset new "Poster" kind:poster due:+20d\nupload A-1 {art}\nupload A-9 {art}\n'
    out = run_shell(tmp_path, script, fresh=True)
    assert "Recorded poster.tif as A-1 Poster v1" in out
    assert "Preflight A-1 v1:" in out
    assert "preview uploaded to #production › thread" in out
    (preview,) = (tmp_path / "sleeve-previews").iterdir()
    assert Image.open(preview).format == "JPEG"
    assert "A-9 has no thread to share a file in" in out
