"""Who may buy: members of `coordinators` and `management`, read inside the transaction.

Membership is read from the database in the caller's transaction, not taken from the actor
resolved when the request began, so a member removed a moment ago can no longer spend.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.core.errors import PermissionDenied
from bot.departments.service import memberships
from bot.domain.actors import Actor
from bot.domain.catalog import COORDINATORS
from bot.freelancers.csv_import import IMPORTER

MANAGEMENT = "management"
PURCHASERS = frozenset({COORDINATORS, MANAGEMENT})


def require_purchasing(session: Session, actor: Actor, doing: str) -> None:
    """Coordinators and management only; the CSV importer run from a shell may too."""
    if actor == IMPORTER:
        return
    if not memberships(session, actor.user_id) & PURCHASERS:
        raise PermissionDenied(
            f"Only coordinators and management can {doing}. "
            "Ask a member of `coordinators` or `management` (`/dept show management`)."
        )


def require_management(session: Session, actor: Actor, doing: str) -> None:
    if MANAGEMENT not in memberships(session, actor.user_id):
        raise PermissionDenied(
            f"Only members of `management` can {doing}. See who they are: `/dept show management`."
        )
