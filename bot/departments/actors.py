"""Resolving the actor of a request: who they are to Sleeve, read in the caller's transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.departments.service import is_coordinator
from bot.domain.actors import Actor


def actor_for(session: Session, user_id: str) -> Actor:
    return Actor(user_id=user_id, is_coordinator=is_coordinator(session, user_id))
