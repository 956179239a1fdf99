from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):  # type: ignore[no-untyped-def]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SLEEVE_"))}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=clean,
        cwd=cwd or ROOT,
        timeout=60,
    )


def test_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("shell", "serve", "migrate"):
        assert command in result.stdout


@pytest.mark.parametrize(
    ("env", "line"),
    [
        ({}, "sleeve: SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "sleeve: SLACK_SIGNING_SECRET is not set"),
        (
            {
                "SLACK_BOT_TOKEN": "xoxb-1",
                "SLACK_SIGNING_SECRET": "s",
                "SLEEVE_TIMEZONE": "Nowhere/X",
            },
            "sleeve: SLEEVE_TIMEZONE: unknown time zone 'Nowhere/X'; use an IANA name such as Europe/London",
        ),
    ],
)
def test_serve_with_a_bad_setting_exits_2_with_one_line(
    tmp_path: Path, env: dict[str, str], line: str
) -> None:
    result = run_cli("serve", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == line
    assert "Traceback" not in result.stderr


def test_socket_mode_needs_the_app_token(tmp_path: Path) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    result = run_cli("serve", "--socket", env=env, cwd=tmp_path)
    assert (result.returncode, result.stderr.strip()) == (2, "sleeve: SLACK_APP_TOKEN is not set")


def test_migrate_brings_a_database_to_head(database_url: str, tmp_path: Path) -> None:
    result = run_cli("migrate", env={"DATABASE_URL": database_url}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("database schema is at ")
    again = run_cli("migrate", env={"DATABASE_URL": database_url}, cwd=tmp_path)
    assert again.returncode == 0


def test_serve_with_a_broken_templates_file_exits_2_naming_it(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("formats:\n  cd: {label: CD, lead_weeks: 7, assets: []}\n")
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SLEEVE_TEMPLATES": str(tmp_path / "t.yaml"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    result = run_cli("serve", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("sleeve: ") and "t.yaml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_with_a_broken_print_specs_file_exits_2_naming_the_entry(tmp_path: Path) -> None:
    (tmp_path / "specs.yaml").write_text(
        "specs:\n  booklet: {label: CD booklet, colour: cmyk, trim_mm: [120, -1]}\n"
    )
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SLEEVE_PRINT_SPECS": str(tmp_path / "specs.yaml"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    result = run_cli("serve", env=env, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("sleeve: ") and "specs.yaml" in result.stderr
    assert "booklet" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_with_slack_unreachable_or_a_refused_token_exits_2_with_one_line(
    tmp_path: Path,
) -> None:
    from bot.devtools.fake_slack import FakeSlack

    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",  # nothing listens on the discard port
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    result = run_cli("serve", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("sleeve: SLACK_API_URL: Slack can't be reached at ")
    assert len(result.stderr.strip().splitlines()) == 1
    with FakeSlack(bot_token="xoxb-right") as fake:
        result = run_cli("serve", env=env | {"SLACK_API_URL": fake.api_url}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("sleeve: SLACK_BOT_TOKEN: Slack refused it (invalid_auth)")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_postgresql_url_without_its_driver_exits_2_with_one_line(tmp_path: Path) -> None:
    code = "import sys; sys.modules['psycopg'] = None; from bot.cli import main; sys.exit(main())"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SLEEVE_"))}
    clean["DATABASE_URL"] = "postgresql+psycopg://sleeve@127.0.0.1/sleeve"
    result = subprocess.run(
        [sys.executable, "-c", code, "migrate"],
        capture_output=True,
        text=True,
        env=clean,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "sleeve: DATABASE_URL: its driver (psycopg) is not installed: pip install 'psycopg[binary]'"
    )


def test_export_reads_the_database_it_is_given_and_never_creates_an_empty_one(
    tmp_path: Path,
) -> None:
    result = run_cli("export", cwd=tmp_path)  # no DATABASE_URL, no sleeve.db here
    assert result.returncode == 2
    assert result.stderr.strip().startswith("sleeve: DATABASE_URL: there is no database at")
    assert list(tmp_path.iterdir()) == []  # nothing written, no empty database
    shell = subprocess.run(
        [sys.executable, "-m", "bot", "shell", "--db", str(tmp_path / "s.db")],
        input='/asset new "Poster" kind:poster due:+7d\nquit\n',
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert shell.returncode == 0, shell.stderr
    exported = run_cli("export", "--db", str(tmp_path / "s.db"), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    (path,) = [tmp_path / line for line in exported.stdout.split()]
    assert path.parent.name == "sleeve-export" and "Poster" in path.read_text()
    missing = run_cli("digest", "--db", str(tmp_path / "nope.db"), cwd=tmp_path)
    assert missing.returncode == 2 and "--db: there is no database at" in missing.stderr
