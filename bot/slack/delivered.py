"""What a delivery came to: every message sent, someone else's, paused, or in doubt."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Outcome(Enum):
    SENT = "sent"  # every message went (or Slack refused one for good)
    NOT_MINE = "not mine"  # another process has the row, or it was sent already
    PAUSED = "paused"  # given back after a failure that may pass; tried again later
    UNCERTAIN = "uncertain"  # a ``once`` message's answer was lost: never sent again


@dataclass
class Delivery:
    outcome: Outcome
    errors: list[str] = field(default_factory=list)
    posted: dict[str, str] = field(default_factory=dict)  # message index -> ts

    def __bool__(self) -> bool:
        return self.outcome is Outcome.SENT
