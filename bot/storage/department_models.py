"""ORM models of departments: members and approval routes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.base import Base


class Department(Base):
    __tablename__ = "departments"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    usergroup_id: Mapped[str | None] = mapped_column(String(32))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)

    members: Mapped[list[DepartmentMember]] = relationship(
        back_populates="department", cascade="all, delete-orphan", order_by="DepartmentMember.id"
    )


class DepartmentMember(Base):
    __tablename__ = "department_members"
    __table_args__ = (UniqueConstraint("department_key", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_key: Mapped[str] = mapped_column(
        ForeignKey("departments.key", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime] = mapped_column()

    department: Mapped[Department] = relationship(back_populates="members")


class Route(Base):
    """Asset kind -> department whose approval is required, in display order."""

    __tablename__ = "routes"
    __table_args__ = (UniqueConstraint("kind", "department_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    department_key: Mapped[str] = mapped_column(ForeignKey("departments.key", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class DeliveryRoute(Base):
    """Asset kind -> department whose channel hears of the approved proof, in order."""

    __tablename__ = "delivery_routes"
    __table_args__ = (UniqueConstraint("kind", "department_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    department_key: Mapped[str] = mapped_column(ForeignKey("departments.key", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
