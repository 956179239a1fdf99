"""ORM models of approvals: a request (one round) per asset and one step per department.

The invariants live in the database: one round number per asset, at most one pending round
per asset, and one step per (request, department) that leaves `pending` at most once
(decisions are conditional updates).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.asset_models import Asset
from bot.storage.base import Base
from bot.storage.proof_models import Proof


class ApprovalRequest(Base):
    __tablename__ = "approval_requests"
    __table_args__ = (
        UniqueConstraint("asset_id", "round"),
        Index(
            "uq_approval_requests_live_round",
            "asset_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="RESTRICT"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    requested_by: Mapped[str] = mapped_column(String(32))
    requested_at: Mapped[datetime] = mapped_column()
    due: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None] = mapped_column()
    # Why a round was cancelled: the asset was cancelled or moved on, or by hand.
    close_reason: Mapped[str | None] = mapped_column(String(300))
    # Departments on the kind's route this round did not ask (comma-separated keys).
    skipped: Mapped[str | None] = mapped_column(String(300))
    # Watermark: the local day the last reminder went out, claimed by a conditional update.
    reminded_on: Mapped[date | None] = mapped_column(Date)
    # The proof version this round approves (none when the asset has no proof yet).
    proof_id: Mapped[int | None] = mapped_column(ForeignKey("proofs.id", ondelete="SET NULL"))
    # Bumped by every decision first: it serialises deciders on the request's row.
    version: Mapped[int] = mapped_column(Integer, default=0)

    asset: Mapped[Asset] = relationship()
    proof: Mapped[Proof | None] = relationship()

    @property
    def skipped_keys(self) -> list[str]:
        return [key for key in (self.skipped or "").split(",") if key]

    steps: Mapped[list[ApprovalStep]] = relationship(
        back_populates="request", order_by="ApprovalStep.position", cascade="all, delete-orphan"
    )


class ApprovalStep(Base):
    """One department's part of a round: pending, approved or changes_requested."""

    __tablename__ = "approval_steps"
    __table_args__ = (UniqueConstraint("request_id", "department_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("approval_requests.id", ondelete="CASCADE"), index=True
    )
    department_key: Mapped[str] = mapped_column(ForeignKey("departments.key", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    override: Mapped[bool] = mapped_column(Boolean, default=False)

    request: Mapped[ApprovalRequest] = relationship(back_populates="steps")
