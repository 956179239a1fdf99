"""Who is acting, and the permission rules every service applies inside its transaction."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    """The person a request is signed for, as the database knew them when the work began."""

    user_id: str
    is_coordinator: bool
    # A member of any department (coordinators too): staff see freelancers' contact details.
    is_staff: bool = False


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
