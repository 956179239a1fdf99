"""The people of purchasing and small builders of what orders need: vendors, releases,
assets, freelancers with rates, assignments."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from bot.domain.actors import Actor
from bot.freelancers import service as freelancers
from bot.purchasing import vendors
from bot.storage.asset_models import Asset
from bot.storage.db import Database
from bot.storage.freelancer_models import Assignment
from bot.storage.release_models import Release

NOW = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
TODAY = date(2027, 1, 4)
LIMIT = Decimal("1000")

CORA = Actor(user_id="U0CORA", is_coordinator=True, is_staff=True)
MOE = Actor(user_id="U0MOE", is_coordinator=False, is_staff=True)
MIA = Actor(user_id="U0MIA", is_coordinator=False, is_staff=True)
# What the request resolved does not matter: membership is read in the transaction.
STALE = Actor(user_id="U0OLD", is_coordinator=True, is_staff=True)
MANAGERS = tuple(f"U0M{n:02d}" for n in range(20))


def add_vendor(db: Database, name: str = "Optimal Media", **options: str) -> int:
    settings = {"kind": "plant", "currency": "EUR", "terms": "30", **options}
    with db.write() as session:
        vendor = vendors.add_vendor(session, actor=CORA, name=name, options=settings, now=NOW)
        return vendor.id


def add_release(db: Database, catno: str = "SLV-014", *, cancelled: bool = False) -> int:
    with db.write() as session:
        release = Release(
            catno=catno,
            title="Midnight Tapes",
            artist="The Vels",
            formats="vinyl",
            street_date=date(2027, 5, 14),
            channel_id="C0PROD",
            cancelled_at=NOW if cancelled else None,
            created_by=CORA.user_id,
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(release)
        session.flush()
        return release.id


def add_asset(db: Database, *, release_id: int | None = None, stage: str = "design") -> int:
    with db.write() as session:
        asset = Asset(
            kind="cover",
            title="Front cover",
            release_id=release_id,
            stage=stage,
            created_by=CORA.user_id,
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(asset)
        session.flush()
        return asset.id


def add_freelancer(
    db: Database, rates: list[tuple[str, str, str, date]], email: str = "jane@example.com"
) -> int:
    """A freelancer with rate agreements given as (amount, currency, unit, valid_from)."""
    with db.write() as session:
        freelancer = freelancers.create_freelancer(
            session, actor=CORA, values={"name": "Jane Doe", "email": email}, now=NOW
        )
        for amount, currency, unit, valid_from in rates:
            terms = freelancers.RateTerms(Decimal(amount), currency, unit, valid_from)
            freelancers.add_agreement(
                session, actor=CORA, freelancer=freelancer, terms=terms, now=NOW
            )
        return freelancer.id


def assign(db: Database, asset_id: int, freelancer_id: int, at: datetime = NOW) -> None:
    with db.write() as session:
        asset = session.scalar(select(Asset).where(Asset.id == asset_id))
        assert asset is not None
        session.add(
            Assignment(
                asset_id=asset_id,
                freelancer_id=freelancer_id,
                assigned_by=CORA.user_id,
                assigned_at=at,
            )
        )
        asset.freelancer_id = freelancer_id


def set_stage(db: Database, asset_id: int, stage: str, held_from: str | None = None) -> None:
    with db.write() as session:
        asset = session.scalar(select(Asset).where(Asset.id == asset_id))
        assert asset is not None
        asset.stage, asset.held_from = stage, held_from
