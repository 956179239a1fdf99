"""Reading the freelancer directory: finding one by id, mention or name, the list by
workload, and one freelancer's profile with agreements and assignments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from bot.assets.service import CLOSED
from bot.core.errors import ConflictError, NotFoundError, ValidationError, echo
from bot.freelancers.service import current_agreement, get_freelancer, label
from bot.storage.asset_models import Asset
from bot.storage.freelancer_models import Assignment, Freelancer, RateAgreement

_ID = re.compile(r"[Ff]-([0-9]{1,9})")
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>\n]*)?>")
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class Workload:
    freelancer: Freelancer
    open_assets: int
    next_due: date | None
    current: RateAgreement | None


@dataclass(frozen=True)
class Profile:
    freelancer: Freelancer
    current: RateAgreement | None
    agreements: list[RateAgreement]  # newest first
    open_assets: list[Asset]
    history: list[Assignment]  # newest first


def _name_match(query: str, name: str) -> int:
    """2 for the whole name, 1 when every word typed starts a word of the name, in order."""
    wanted, words = query.casefold().split(), name.casefold().split()
    if wanted == words:
        return 2
    position = 0
    for part in wanted:
        while position < len(words) and not words[position].startswith(part):
            position += 1
        if position == len(words):
            return 0
        position += 1
    return 1 if wanted else 0


def _ambiguous(query: str, found: list[Freelancer]) -> ValidationError:
    shown = ", ".join(f"{label(f)} {echo(f.name)}" for f in found[:MAX_CANDIDATES])
    more = f" and {len(found) - MAX_CANDIDATES} more" if len(found) > MAX_CANDIDATES else ""
    return ValidationError(
        f"{echo(query)} matches {len(found)} freelancers: {shown}{more}. "
        f"Use the F-id, e.g. {label(found[0])}."
    )


def _refuse_archived(freelancer: Freelancer) -> ConflictError:
    return ConflictError(
        f"{label(freelancer)} {echo(freelancer.name)} is archived and can't be assigned; "
        f"a coordinator can bring them back with `/freelancer restore {label(freelancer)}`."
    )


def resolve(session: Session, ref: str, *, active_only: bool) -> Freelancer:
    """A freelancer named by ``F-2``, a Slack mention, or a name matching exactly one of them.

    With ``active_only`` (assigning), archived freelancers are refused, and left out of name
    matching so an archived namesake never makes a name ambiguous.
    """
    text = " ".join(ref.split())
    if not text:
        raise ValidationError("Which freelancer? Give an F-id like F-2 or a name.")
    if match := _ID.fullmatch(text):
        freelancer = get_freelancer(session, int(match.group(1)))
        if active_only and not freelancer.active:
            raise _refuse_archived(freelancer)
        return freelancer
    people = list(session.scalars(select(Freelancer).order_by(Freelancer.id)))
    if match := _MENTION.fullmatch(text):
        found = [f for f in people if f.slack_user_id == match.group(1)]
    else:
        scored = [(score, f) for f in people if (score := _name_match(text, f.name))]
        best = max((score for score, _f in scored), default=0)
        found = [f for score, f in scored if score == best]
    usable = [f for f in found if f.active] if active_only else found
    if len(usable) == 1:
        return usable[0]
    if len(usable) > 1:
        raise _ambiguous(text, usable)
    if found:  # only archived ones match
        raise _refuse_archived(found[0])
    raise NotFoundError(
        f"No freelancer matches {echo(text)}. `/freelancer list` shows them with their F-ids "
        "(`/freelancer list all` includes archived ones)."
    )


def _matches_skill(freelancer: Freelancer, skill: str) -> bool:
    wanted = skill.strip().casefold()
    return any(wanted in have.casefold() for have in freelancer.skill_list)


def list_directory(
    session: Session, *, today: date, skill: str | None = None, include_archived: bool = False
) -> list[Workload]:
    """Freelancers by workload, least loaded first (then the soonest next due date, then name):
    the ones free to take the next brief come first."""
    query = select(Freelancer).options(selectinload(Freelancer.agreements))
    if not include_archived:
        query = query.where(Freelancer.active.is_(True))
    people = [f for f in session.scalars(query) if not skill or _matches_skill(f, skill)]
    loads = {
        freelancer_id: (count, next_due)
        for freelancer_id, count, next_due in session.execute(
            select(Asset.freelancer_id, func.count(Asset.id), func.min(Asset.due))
            .where(Asset.freelancer_id.is_not(None), Asset.stage.not_in(CLOSED))
            .group_by(Asset.freelancer_id)
        )
    }
    rows = [
        Workload(
            freelancer=f,
            open_assets=loads.get(f.id, (0, None))[0],
            next_due=loads.get(f.id, (0, None))[1],
            current=current_agreement(f.agreements, today),
        )
        for f in people
    ]
    return sorted(
        rows,
        key=lambda w: (
            w.open_assets,
            w.next_due is None,
            w.next_due or today,
            w.freelancer.name.casefold(),
            w.freelancer.id,
        ),
    )


def open_assets(session: Session, freelancer_id: int) -> list[Asset]:
    return list(
        session.scalars(
            select(Asset)
            .where(Asset.freelancer_id == freelancer_id, Asset.stage.not_in(CLOSED))
            .options(joinedload(Asset.release))
            .order_by(Asset.due.is_(None), Asset.due, Asset.id)
        )
    )


def profile(session: Session, ref: str, *, today: date) -> Profile:
    freelancer = resolve(session, ref, active_only=False)
    agreements = sorted(freelancer.agreements, key=lambda a: (a.valid_from, a.id), reverse=True)
    history = list(
        session.scalars(
            select(Assignment)
            .where(Assignment.freelancer_id == freelancer.id)
            .options(joinedload(Assignment.asset))
            .order_by(Assignment.id.desc())
        )
    )
    return Profile(
        freelancer=freelancer,
        current=current_agreement(agreements, today),
        agreements=agreements,
        open_assets=open_assets(session, freelancer.id),
        history=history,
    )
