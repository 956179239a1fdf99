"""Escaping and small formatting helpers for mrkdwn.

Slack treats ``<…>`` as control sequences (mentions, ``<!channel>``, links) and ``&`` as the
start of an entity; escaping those three characters neutralises all of them. Nothing else
is entity-encoded.
"""

from __future__ import annotations

# Re-exported: message builders take their formatting helpers from here.
from bot.domain.dates import short_date as short_date

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    """User text made safe for mrkdwn: it is shown literally and pings no one."""
    return text.translate(_ESCAPES)


def fit(text: str, limit: int) -> str:
    """User text escaped for mrkdwn in at most ``limit`` characters: cut before escaping, so
    an entity such as ``&amp;`` is never split, and escaped, so it shows literally and pings
    no one. The one way user text goes into a message."""
    shown = escape(text)
    if len(shown) <= limit:
        return shown
    pieces: list[str] = []
    used = 1  # room for the ellipsis
    for char in text:
        piece = escape(char)
        if used + len(piece) > limit:
            break
        pieces.append(piece)
        used += len(piece)
    return "".join(pieces) + "…"


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


def code(text: str) -> str:
    # Backticks can't be escaped inside mrkdwn code spans; drop them from shown values.
    return "`" + text.replace("`", "'") + "`"


def link(url: str | None, label: str, limit: int = 200) -> str:
    """``label`` (user text: cut, then escaped) linked to ``url``; only the label when the
    URL is not a plain http(s) address that mrkdwn's ``<url|label>`` can carry."""
    shown = fit(label, limit)
    if not url or not url.startswith(("https://", "http://")) or any(c in url for c in "<>| "):
        return shown
    return f"<{url}|{shown}>"
