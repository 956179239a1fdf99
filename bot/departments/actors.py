"""Resolving the actor of a request: who they are to Sleeve, read in the caller's transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.departments.service import COORDINATORS, memberships
from bot.domain.actors import Actor


def actor_for(session: Session, user_id: str) -> Actor:
    keys = memberships(session, user_id)
    return Actor(user_id=user_id, is_coordinator=COORDINATORS in keys, is_staff=bool(keys))
