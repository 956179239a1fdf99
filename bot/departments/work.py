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
from functools import cached_property

from sqlalchemy.orm import Session

from bot.departments.actors import actor_for
from bot.domain.actors import Actor
from bot.runtime import Runtime


@dataclass(frozen=True)
class Work:
    runtime: Runtime
    session: Session
    user_id: str
    now: datetime
    today: date

    @cached_property
    def actor(self) -> Actor:
        """Who is acting, read in this unit of work's transaction when first asked: a read
        that needs no permission (`/asset show`) costs no query for it."""
        return actor_for(self.session, self.user_id)


@dataclass(frozen=True)
class WorkOpener:
    """What the Bolt middleware puts in a request's context: the way to open its unit of work."""

    runtime: Runtime
    user_id: str

    @contextmanager
    def open(self, *, write: bool) -> Iterator[Work]:
        db = self.runtime.db
        with db.write() if write else db.read() as session:
            yield Work(
                self.runtime, session, self.user_id, self.runtime.now(), self.runtime.today()
            )
