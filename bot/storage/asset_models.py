"""ORM models of assets and their links."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.base import Base

if TYPE_CHECKING:
    from bot.storage.condition_models import Condition
    from bot.storage.freelancer_models import Freelancer
    from bot.storage.release_models import Release


# Literal, not bound: only then can SQLite and PostgreSQL match a query to the partial index.
OPEN_ONLY = "stage NOT IN ('done', 'cancelled')"


class Asset(Base):
    __tablename__ = "assets"
    __table_args__ = (
        Index("ix_assets_stage_due", "stage", "due"),
        # Page order of `/asset list`.
        Index("ix_assets_due_id", "due", "id"),
        # The same, for the assets still open: done and cancelled ones pile up with old due
        # dates, and a list of open work must not walk past them.
        Index(
            "ix_assets_open_due_id",
            "due",
            "id",
            sqlite_where=text(OPEN_ONLY),
            postgresql_where=text(OPEN_ONLY),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(200))
    release_id: Mapped[int | None] = mapped_column(
        ForeignKey("releases.id", ondelete="RESTRICT"), index=True
    )
    stage: Mapped[str] = mapped_column(String(20))
    held_from: Mapped[str | None] = mapped_column(String(20))
    due: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[str | None] = mapped_column(String(32), index=True)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    notes: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str | None] = mapped_column(String(20))  # template that created it
    # Its own card, when it has no release (a release's assets live in the release's thread).
    channel_id: Mapped[str | None] = mapped_column(String(32))
    # Indexed: a file shared in a thread is matched to the asset whose card started it.
    card_ts: Mapped[str | None] = mapped_column(String(32), index=True)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    # The freelancer assigned now; the assignments table keeps who had it before.
    freelancer_id: Mapped[int | None] = mapped_column(ForeignKey("freelancers.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()

    release: Mapped[Release | None] = relationship(back_populates="assets")
    freelancer: Mapped[Freelancer | None] = relationship()
    links: Mapped[list[AssetLink]] = relationship(
        back_populates="asset", order_by="AssetLink.id", cascade="all, delete-orphan"
    )
    # Approved "with changes": what is still to do, shown on the card until ticked off.
    # Loaded with the assets (one query for all of them), so a release card costs one more.
    open_conditions: Mapped[list[Condition]] = relationship(
        primaryjoin="and_(Condition.asset_id == Asset.id, Condition.done_at.is_(None))",
        order_by="Condition.number",
        viewonly=True,
        lazy="selectin",
    )


class AssetLink(Base):
    __tablename__ = "asset_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(3000))
    label: Mapped[str | None] = mapped_column(String(200))
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime] = mapped_column()

    asset: Mapped[Asset] = relationship(back_populates="links")
