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
