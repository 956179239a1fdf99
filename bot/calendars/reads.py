"""What a calendar shows: street dates of live releases, and due dates of assets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.domain.stages import Stage
from bot.storage.asset_models import Asset
from bot.storage.freelancer_models import Freelancer
from bot.storage.release_models import Release


@dataclass(frozen=True, slots=True)
class StreetDate:
    release_id: int
    catno: str
    title: str
    artist: str
    formats: str
    street_date: date
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DueDate:
    asset_id: int
    title: str
    kind: str
    stage: str
    priority: str
    due: date
    owner_id: str | None
    release_catno: str | None
    release_title: str | None
    freelancer_id: int | None
    freelancer_name: str | None
    updated_at: datetime


def street_dates(session: Session) -> list[StreetDate]:
    """Every release not cancelled, by street date."""
    rows = session.execute(
        select(
            Release.id,
            Release.catno,
            Release.title,
            Release.artist,
            Release.formats,
            Release.street_date,
            Release.updated_at,
        )
        .where(Release.cancelled_at.is_(None))
        .order_by(Release.street_date, Release.id)
    )
    return [StreetDate(*row) for row in rows]


def due_dates(session: Session, *, of: str | None) -> list[DueDate]:
    """Assets with a due date, cancelled ones left out (they are no one's work any more).

    ``of``: only the assets that person owns or is assigned to as a freelancer; None for all.
    """
    query = (
        select(
            Asset.id,
            Asset.title,
            Asset.kind,
            Asset.stage,
            Asset.priority,
            Asset.due,
            Asset.owner_id,
            Release.catno,
            Release.title,
            Freelancer.id,
            Freelancer.name,
            Asset.updated_at,
        )
        .outerjoin(Release, Release.id == Asset.release_id)
        .outerjoin(Freelancer, Freelancer.id == Asset.freelancer_id)
        .where(Asset.due.is_not(None), Asset.stage != Stage.CANCELLED.value)
        .order_by(Asset.due, Asset.id)
    )
    if of is not None:
        query = query.where(or_(Asset.owner_id == of, Freelancer.slack_user_id == of))
    return [DueDate(*row) for row in session.execute(query)]
