"""The states of an approval round and its steps, and the decisions a department can make."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


class Decision(StrEnum):
    APPROVE = "approve"
    CHANGES = "changes"
