"""The layout rules of docs/architecture.md hold: import contracts, and small files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold() -> None:
    found = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Contracts:" in found.stdout, found.stdout + found.stderr
    # The contracts' own report says what broke.
    assert found.returncode == 0, found.stdout[-3000:] + found.stderr[-2000:]


def test_every_room_has_a_service_and_no_file_in_bot_is_over_400_lines() -> None:
    for room in ("releases", "assets", "approvals", "freelancers", "departments", "digests"):
        assert (ROOT / "bot" / room / "service.py").exists(), room
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "bot").rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long, long
