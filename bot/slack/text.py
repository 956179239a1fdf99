"""Escaping and small formatting helpers for mrkdwn.

Slack treats ``<…>`` as control sequences (mentions, ``<!channel>``, links) and ``&`` as the
start of an entity; escaping those three characters neutralises all of them. Nothing else
is entity-encoded.
"""

from __future__ import annotations

from datetime import date

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    """User text made safe for mrkdwn: it is shown literally and pings no one."""
    return text.translate(_ESCAPES)


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…"


def mention(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "nobody"


def group_mention(group_id: str) -> str:
    return f"<!subteam^{group_id}>"


def channel_link(channel_id: str) -> str:
    return f"<#{channel_id}>"


# English whatever the process locale, and without strftime: a list formats one per line.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: date) -> str:
    """``Fri 4 Dec`` (the year is added when it is not the given year)."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def code(text: str) -> str:
    # Backticks can't be escaped inside mrkdwn code spans; drop them from shown values.
    return "`" + text.replace("`", "'") + "`"
