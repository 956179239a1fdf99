"""Contact details of a freelancer: each checked offline, with an error naming the field and
showing a value that would be accepted."""

from __future__ import annotations

import re

from bot.core.errors import ValidationError, echo

MAX_NAME = 120
MAX_EMAIL = 254  # RFC 5321's limit on a forward path
MAX_PHONE = 40
MAX_URL = 2000
MAX_NOTES = 2000
MAX_SKILLS = 20
MAX_SKILL = 40

# Deliberately plain: a local part of the usual characters, a dotted domain with a
# letters-only top level. No network look-ups; a typo like jane@example is refused.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
    re.ASCII,
)
_URL = re.compile(r"https?://[^\s/?#<>\"]+\.[^\s/?#<>\"]+(?:[/?#][^\s<>\"]*)?", re.IGNORECASE)
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]*(?:(?:x|ext\.?) ?[0-9]+)?", re.IGNORECASE)
SLACK_USER = re.compile(r"[UW][A-Z0-9]{2,30}")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def text(value: str, *, field: str, limit: int, example: str) -> str:
    """Required free text on one line: trimmed, not empty, at most ``limit`` characters."""
    cleaned = _one_line(value)
    if not cleaned:
        raise ValidationError(f"`{field}` can't be empty, e.g. {example}.")
    if len(cleaned) > limit:
        raise ValidationError(f"`{field}` is {len(cleaned)} characters; keep it to {limit}.")
    return cleaned


def name(value: str, *, field: str = "name") -> str:
    return text(value, field=field, limit=MAX_NAME, example='"Jane Doe"')


def email(value: str, *, field: str = "email") -> str:
    """Lower-cased, so the same address is the same freelancer however it is typed."""
    cleaned = value.strip().lower()
    if len(cleaned) > MAX_EMAIL or not _EMAIL.fullmatch(cleaned):
        raise ValidationError(
            f"`{field}` should be an email address like jane@example.com (got {echo(value)})."
        )
    return cleaned


def phone(value: str, *, field: str = "phone") -> str | None:
    cleaned = _one_line(value)
    if not cleaned:
        return None
    if len(cleaned) > MAX_PHONE or not _PHONE.fullmatch(cleaned):
        raise ValidationError(
            f'`{field}` should be a phone number like "+44 20 7946 0958", at most {MAX_PHONE} '
            f"characters (got {echo(value)})."
        )
    return cleaned


def url(value: str, *, field: str = "portfolio") -> str | None:
    cleaned = value.strip()
    if not cleaned:
        return None
    if len(cleaned) > MAX_URL or not _URL.fullmatch(cleaned):
        raise ValidationError(
            f"`{field}` should be a web address like https://jane.example.com, with no spaces "
            f"and at most {MAX_URL} characters (got {echo(value)})."
        )
    return cleaned


def notes(value: str, *, field: str = "notes") -> str | None:
    cleaned = value.strip()
    if not cleaned:
        return None
    if len(cleaned) > MAX_NOTES:
        raise ValidationError(f"`{field}` is {len(cleaned)} characters; keep it to {MAX_NOTES}.")
    return cleaned


def skills(value: str, *, field: str = "skills") -> tuple[str, ...]:
    """Comma-separated skills, trimmed, duplicates (in any case) dropped, order kept."""
    found: dict[str, str] = {}
    for raw in value.split(","):
        skill = _one_line(raw)
        if not skill:
            continue
        if len(skill) > MAX_SKILL:
            raise ValidationError(
                f"`{field}`: {echo(skill)} is {len(skill)} characters; keep each to {MAX_SKILL}."
            )
        found.setdefault(skill.casefold(), skill)
    if len(found) > MAX_SKILLS:
        raise ValidationError(
            f"`{field}` lists {len(found)} skills; keep it to {MAX_SKILLS}, "
            "e.g. skills:illustration,layout."
        )
    return tuple(found.values())


def slack_user(value: str, *, field: str = "slack") -> str | None:
    """A bare Slack user id such as U0123ABC (the CSV import's form), or nothing."""
    cleaned = value.strip().upper()
    if not cleaned:
        return None
    if not SLACK_USER.fullmatch(cleaned):
        raise ValidationError(
            f"`{field}` should be a Slack user id like U0123ABCD, or empty (got {echo(value)})."
        )
    return cleaned
