"""Typed domain errors.

Every error a user can cause is a ``SleeveError``: the global error handler shows its
``message`` ephemerally where the user is. Anything else is a bug and is answered with
a reference id that is also logged.
"""

from __future__ import annotations


class SleeveError(Exception):
    """An error whose message is safe and useful to show to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(SleeveError):
    """The command text could not be understood; the message says how to write it."""


class ValidationError(SleeveError):
    """A value was understood but is not acceptable (bad date, unknown kind, ...)."""


class NotFoundError(SleeveError):
    """The thing named does not exist."""


class PermissionDenied(SleeveError):
    """The user may not do this; the message says who may."""


class ConflictError(SleeveError):
    """The change clashes with the current state (duplicate, illegal stage move, ...)."""


class SlackUnavailable(SleeveError):
    """Slack could not be asked something we needed (after retries)."""


def echo(value: str, limit: int = 40) -> str:
    """The user's own text, quoted back in an error message: one printable line, shortened,
    in a code span, with Slack's control characters escaped so it can ping no one."""
    text = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    text = text.replace("`", "'")
    text = f"{text[:limit]}…" if len(text) > limit else text
    if not text:
        return "nothing"
    return "`" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "`"
