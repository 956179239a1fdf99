"""Who is acting, and the permission rules of DESIGN section 3."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.domain.errors import PermissionDenied
from bot.services.departments import is_coordinator


@dataclass(frozen=True)
class Actor:
    user_id: str
    is_coordinator: bool


def actor_for(session: Session, user_id: str) -> Actor:
    return Actor(user_id=user_id, is_coordinator=is_coordinator(session, user_id))


def require_coordinator(actor: Actor, doing: str) -> None:
    if not actor.is_coordinator:
        raise PermissionDenied(
            f"Only coordinators can {doing}. Ask a member of `coordinators` (`/dept show coordinators`)."
        )


def require_owner_or_coordinator(
    actor: Actor, owner_id: str | None, doing: str, label: str
) -> None:
    if actor.is_coordinator or (owner_id is not None and owner_id == actor.user_id):
        return
    owner = f"its owner <@{owner_id}>" if owner_id else "its owner"
    raise PermissionDenied(f"Only {owner} or a coordinator can {doing} {label}.")
