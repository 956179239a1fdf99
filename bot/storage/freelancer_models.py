"""ORM models of the freelancer feature (registered with Base.metadata on import).

Nothing here is ever deleted: a freelancer is archived, a rate agreement is superseded by a
newer one, an assignment is closed (``unassigned_at``) when the asset goes to someone else.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.domain.money import UNITS
from bot.storage.asset_models import Asset
from bot.storage.base import Base


class Freelancer(Base):
    __tablename__ = "freelancers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Stored lower-cased, so the unique constraint holds however the address is typed.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    slack_user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    skills: Mapped[str] = mapped_column(String(1000), default="")  # comma-separated
    portfolio: Mapped[str | None] = mapped_column(String(2000))
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Mail the news of their assets while they have no Slack user (`email_notices:off` stops it).
    email_notices: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()

    agreements: Mapped[list[RateAgreement]] = relationship(
        back_populates="freelancer", order_by="RateAgreement.id"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="freelancer", order_by="Assignment.id"
    )

    @property
    def label(self) -> str:
        return f"F-{self.id}"

    @property
    def skill_list(self) -> list[str]:
        return [skill for skill in self.skills.split(",") if skill]


class RateAgreement(Base):
    """What a freelancer is paid from a date on; the newest one in force is the current one."""

    __tablename__ = "rate_agreements"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(f"unit IN {UNITS!r}", name="unit_known"),
        Index("ix_rate_agreements_freelancer_from", "freelancer_id", "valid_from"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    freelancer_id: Mapped[int] = mapped_column(ForeignKey("freelancers.id", ondelete="RESTRICT"))
    # A Decimal in Python on every backend. SQLite stores it as REAL, which holds 15
    # significant digits exactly; NUMERIC(12, 2) never needs more, and the column's scale
    # turns what comes back into the same Decimal.
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2, asdecimal=True))
    currency: Mapped[str] = mapped_column(String(3))
    unit: Mapped[str] = mapped_column(String(10))
    valid_from: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column()

    freelancer: Mapped[Freelancer] = relationship(back_populates="agreements")


class Assignment(Base):
    """A freelancer working on an asset, from ``assigned_at`` until ``unassigned_at``."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    freelancer_id: Mapped[int] = mapped_column(
        ForeignKey("freelancers.id", ondelete="RESTRICT"), index=True
    )
    assigned_by: Mapped[str] = mapped_column(String(32))
    assigned_at: Mapped[datetime] = mapped_column()
    unassigned_by: Mapped[str | None] = mapped_column(String(32))
    unassigned_at: Mapped[datetime | None] = mapped_column()

    asset: Mapped[Asset] = relationship()
    freelancer: Mapped[Freelancer] = relationship(back_populates="assignments")
