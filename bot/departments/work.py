"""The unit of work of one request: a transaction, and the actor resolved inside it.

Every listener and command runs its change in exactly one of these, opened once by its
dispatcher; services authorise the actor inside that same transaction, so what they check
is what they write against.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.departments.actors import actor_for
from bot.domain.actors import Actor
from bot.runtime import Runtime


@dataclass(frozen=True)
class Work:
    runtime: Runtime
    session: Session
    actor: Actor
    now: datetime
    today: date


@dataclass(frozen=True)
class WorkOpener:
    """What the Bolt middleware puts in a request's context: the way to open its unit of work."""

    runtime: Runtime
    user_id: str

    @contextmanager
    def open(self, *, write: bool) -> Iterator[Work]:
        db = self.runtime.db
        with db.write() if write else db.read() as session:
            actor = actor_for(session, self.user_id)
            yield Work(self.runtime, session, actor, self.runtime.now(), self.runtime.today())
