from __future__ import annotations

import pytest

from bot.core.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "DATABASE_URL",
        "SLEEVE_TIMEZONE",
        "SLEEVE_COORDINATORS",
        "SLEEVE_APPROVAL_REMIND_HOURS",
        "PORT",
        "LOG_LEVEL",
        "SLEEVE_TEMPLATES",
        "SLEEVE_POST_INTERVAL",
        "SLEEVE_SMTP_URL",
        "SLEEVE_MAIL_FROM",
        "SLEEVE_INVOICE_APPROVAL_LIMIT",
        "SLEEVE_LABEL_NAME",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_match_the_design() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///sleeve.db"
    assert settings.timezone == "UTC"
    assert settings.post_interval == 1.0  # Slack's one message a second per channel
    assert settings.approval_remind_hours == 24
    assert settings.port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.coordinators == ()


def test_environment_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLEEVE_COORDINATORS", "U01AAA, U02BBB")
    monkeypatch.setenv("SLEEVE_TIMEZONE", "Europe/London")
    monkeypatch.setenv("SLEEVE_APPROVAL_REMIND_HOURS", "12")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("DATABASE_URL", "postgresql://sleeve@db/sleeve")
    settings = load_settings()
    assert settings.coordinators == ("U01AAA", "U02BBB")
    assert str(settings.tz) == "Europe/London"
    assert settings.approval_remind_hours == 12
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.database_url == "postgresql+psycopg://sleeve@db/sleeve"


def test_dotenv_file_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".env").write_text("SLEEVE_TIMEZONE=America/New_York\nPORT=8080\n")
    settings = load_settings()
    assert (settings.timezone, settings.port) == ("America/New_York", 8080)


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("SLEEVE_TIMEZONE", "Mars/Olympus", "SLEEVE_TIMEZONE"),
        ("PORT", "eighty", "PORT"),
        ("PORT", "70000", "PORT"),
        ("SLEEVE_COORDINATORS", "cora", "SLEEVE_COORDINATORS"),
        ("SLEEVE_APPROVAL_REMIND_HOURS", "0", "SLEEVE_APPROVAL_REMIND_HOURS"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("SLACK_API_URL", "slack.com", "SLACK_API_URL"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("SLEEVE_INVOICE_APPROVAL_LIMIT", "12,50", "SLEEVE_INVOICE_APPROVAL_LIMIT"),
        ("SLEEVE_SMTP_URL", "smtp://jane:hunter22@mail.example:99999", "SLEEVE_SMTP_URL"),
        ("SLEEVE_SMTP_URL", "imap://jane:hunter22@mail.example", "SLEEVE_SMTP_URL"),
        ("SLEEVE_MAIL_FROM", "sleeve@", "SLEEVE_MAIL_FROM"),
    ],
)
def test_malformed_setting_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, named: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{named}: ")
    assert "\n" not in message
    assert "hunter22" not in message  # an SMTP password never appears


def test_mail_needs_its_sender_and_keeps_the_password_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLEEVE_SMTP_URL", "smtp://jane:hunter22@mail.example:587")
    with pytest.raises(SettingsError, match="SLEEVE_MAIL_FROM must name the sender"):
        load_settings()
    monkeypatch.setenv("SLEEVE_MAIL_FROM", "Sleeve <sleeve@label.example>")
    settings = load_settings()
    assert settings.smtp is not None and settings.smtp.host == "mail.example"
    assert "hunter22" not in repr(settings) + repr(settings.smtp)


def test_require_names_the_missing_setting() -> None:
    settings = load_settings()
    with pytest.raises(SettingsError, match=r"^SLACK_SIGNING_SECRET is not set$"):
        settings.require("slack_signing_secret")
