"""Checks on the free text people type: titles, names, reasons."""

from __future__ import annotations

from bot.core.errors import ValidationError

MAX_TEXT = 200


def bounded(value: str, field: str, example: str, *, limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if not text:
        raise ValidationError(f"`{field}` can't be empty, e.g. {example}.")
    if len(text) > limit:
        raise ValidationError(f"`{field}` is {len(text)} characters; keep it under {limit}.")
    return text
