"""Option values turned into what services take, with errors that show how to write them."""

from __future__ import annotations

from datetime import date

from bot.commands.dispatch import Invocation
from bot.commands.parser import parse_channel, parse_date, parse_id, parse_user
from bot.core.errors import UsageError, ValidationError


def user_id(value: str, *, field: str) -> str:
    ref = parse_user(value, field=field)
    if ref.id is None:
        raise ValidationError(
            f"I don't know @{ref.name}. Pick the person from Slack's suggestions so "
            f"`{field}` becomes a mention."
        )
    return ref.id


def channel_id(value: str, *, field: str = "channel:") -> str:
    ref = parse_channel(value, field=field)
    if ref.id is None:
        raise ValidationError(
            f"I don't know #{ref.name}. Pick the channel from Slack's suggestions so "
            f"`{field}` becomes a link."
        )
    return ref.id


def required(invocation: Invocation, key: str, example: str) -> str:
    value = invocation.options.get(key)
    if value is None:
        raise UsageError(f"`{key}:` is required, e.g. `{example}`. Usage: `{invocation.usage()}`")
    return value


def date_option(invocation: Invocation, key: str, today: date) -> date | None:
    value = invocation.options.get(key)
    return parse_date(value, today=today, field=f"{key}:") if value is not None else None


def asset_id(invocation: Invocation) -> int:
    if not invocation.args:
        raise UsageError(f"Which asset? Usage: `{invocation.usage()}`")
    return parse_id(invocation.args[0], prefix="A", field="asset")


def page_number(invocation: Invocation) -> int:
    raw = invocation.options.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise ValidationError("`page:` is a page number, e.g. page:2.")
    return int(raw)
