"""Bolt middleware: what every listener gets before it runs.

Bolt runs middleware before the listener, not around it, so this cannot hold a transaction
open for the listener; it hands the listener the way to open its one unit of work
(``context["work"]``), bound to the user Slack signed the request for. The dispatcher of
each listener opens it exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltResponse

WORK_KEY = "work"


def work_middleware(open_for: Callable[[str], Any]) -> Callable[..., BoltResponse | None]:
    """``open_for(user_id)`` builds the request's unit-of-work opener."""

    def attach_work(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        if context.user_id:
            context[WORK_KEY] = open_for(context.user_id)
        return next()

    return attach_work
