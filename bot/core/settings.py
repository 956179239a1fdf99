"""Settings from the environment (and a ``.env`` file), as docs/admin.md names them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.mail.config import SmtpConfig, parse_sender, parse_smtp_url

SLACK_API_URL_DEFAULT = "https://slack.com/api/"


def _env(name: str) -> AliasChoices:
    # Accept the environment name and the field name, so tests can build Settings(...) directly.
    return AliasChoices(name, name.lower())


class SettingsError(Exception):
    """A missing or malformed setting; the message is one line naming it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        case_sensitive=False,
    )

    slack_bot_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=_env("SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_url: str = Field(SLACK_API_URL_DEFAULT, validation_alias=_env("SLACK_API_URL"))
    database_url: str = Field("sqlite:///sleeve.db", validation_alias=_env("DATABASE_URL"))
    timezone: str = Field("UTC", validation_alias=_env("SLEEVE_TIMEZONE"))
    coordinators: Annotated[tuple[str, ...], NoDecode] = Field(
        (), validation_alias=_env("SLEEVE_COORDINATORS")
    )
    approval_remind_hours: int = Field(
        24, ge=1, le=24 * 30, validation_alias=_env("SLEEVE_APPROVAL_REMIND_HOURS")
    )
    templates_path: str | None = Field(None, validation_alias=_env("SLEEVE_TEMPLATES"))
    print_specs_path: str | None = Field(None, validation_alias=_env("SLEEVE_PRINT_SPECS"))
    # Processes that preflight proofs, per replica; 0 checks them on a thread of the
    # process itself (the dev shell and in-process tests).
    preflight_workers: int = Field(
        2, ge=0, le=16, validation_alias=_env("SLEEVE_PREFLIGHT_WORKERS")
    )
    # Seconds between two posts to one channel: Slack's documented chat.postMessage rate.
    post_interval: float = Field(1.0, ge=0, le=60, validation_alias=_env("SLEEVE_POST_INTERVAL"))
    # Where `serve` is reached from outside: the base of each person's calendar feed URL.
    public_url: str | None = Field(None, validation_alias=_env("SLEEVE_PUBLIC_URL"))
    # An invoice strictly over this, in its own currency, waits for a management approval.
    invoice_approval_limit: Decimal = Field(
        Decimal("1000"),
        ge=0,
        max_digits=12,
        decimal_places=2,
        validation_alias=_env("SLEEVE_INVOICE_APPROVAL_LIMIT"),
    )
    # Who issues purchase orders and invoices: printed on every PDF.
    label_name: str = Field("", max_length=120, validation_alias=_env("SLEEVE_LABEL_NAME"))
    # Lines separated by "|" or new lines: "1 Main St | London N1 1AA | United Kingdom".
    label_address: str = Field("", max_length=500, validation_alias=_env("SLEEVE_LABEL_ADDRESS"))
    label_tax_id: str | None = Field(
        None, max_length=40, validation_alias=_env("SLEEVE_LABEL_TAX_ID")
    )
    # Mail for freelancers and vendors outside Slack; unset: nothing is mailed.
    smtp_url: SecretStr | None = Field(None, validation_alias=_env("SLEEVE_SMTP_URL"))
    mail_from: str | None = Field(None, validation_alias=_env("SLEEVE_MAIL_FROM"))
    port: int = Field(3000, ge=1, le=65535, validation_alias=_env("PORT"))
    log_level: str = Field("INFO", validation_alias=_env("LOG_LEVEL"))

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("public_url", mode="before")
    @classmethod
    def _public_url(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        value = value.strip()
        if not value:
            return None  # set but empty: as good as unset
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL such as https://sleeve.example.com")
        if parts.query or parts.fragment or parts.username or parts.password:
            # Feed URLs are appended to it: a query, fragment or login would end up mid-URL.
            raise ValueError("must be a plain http(s) URL with no query, fragment or login")
        return value.rstrip("/")

    @field_validator("smtp_url", mode="before")
    @classmethod
    def _smtp_url(cls, value: object) -> object:
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if not isinstance(text, str) or not text.strip():
            return None  # set but empty: as good as unset
        parse_smtp_url(text.strip())  # its errors never quote the URL or the password
        return SecretStr(text.strip())

    @field_validator("mail_from")
    @classmethod
    def _mail_from(cls, value: str | None) -> str | None:
        return parse_sender(value) if value and value.strip() else None

    @model_validator(mode="after")
    def _mail_needs_a_sender(self) -> Settings:
        if self.smtp_url is not None and self.mail_from is None:
            raise ValueError("SLEEVE_MAIL_FROM must name the sender when SLEEVE_SMTP_URL is set")
        return self

    @property
    def smtp(self) -> SmtpConfig | None:
        """Where mail goes, or None: nothing is mailed."""
        return parse_smtp_url(self.smtp_url.get_secret_value()) if self.smtp_url else None

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("must be sqlite:///path.db or postgresql+psycopg://user@host/db")
        if value.startswith("postgresql://"):
            # psycopg 3 is the driver we ship; the bare scheme would pick psycopg2.
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as Europe/London"
            ) from None
        return value

    @field_validator("coordinators", mode="before")
    @classmethod
    def _coordinators(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",")]
        ids = tuple(str(part) for part in value if part)  # type: ignore[union-attr]
        for user_id in ids:
            if not (user_id[:1] in {"U", "W"} and user_id.isalnum() and user_id.isupper()):
                raise ValueError(f"{user_id!r} is not a Slack user id such as U0123ABCD")
        return ids

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return upper

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def label_address_lines(self) -> tuple[str, ...]:
        parts = self.label_address.replace("\n", "|").split("|")
        return tuple(part.strip() for part in parts if part.strip())

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    def require(self, *fields: str) -> None:
        """Refuse to go on when a setting a mode needs is missing."""
        for name in fields:
            if getattr(self, name) in (None, ""):
                raise SettingsError(f"{_env_name(name)} is not set")


def _env_name(field_name: str) -> str:
    alias = Settings.model_fields[field_name].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return field_name.upper()


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's report into one line that names the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        message = str(error["msg"]).removeprefix("Value error, ")
        if not error["loc"]:  # a rule across settings: its message names them
            raise SettingsError(message) from None
        field = str(error["loc"][0])
        name = _env_name(field) if field in Settings.model_fields else field.upper()
        raise SettingsError(f"{name}: {message}") from None
