"""The demo workspace "Northside Records" used by the shell and the tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from bot.devtools.fake_slack import FakeSlack
from bot.storage.db import Database
from bot.storage.department_models import DepartmentMember
from bot.storage.freelancer_models import Freelancer, RateAgreement

TEAM_NAME = "Northside Records"
LABEL_ADDRESS = "12 Northside Yard | Manchester M4 1AB | United Kingdom"
MAIL_FROM = "Northside Records via Sleeve <sleeve@northside-records.example>"
PRODUCTION = "C0PRODUCTION"
PRODUCTION_NAME = "production"


@dataclass(frozen=True)
class DemoUser:
    user_id: str
    name: str
    real_name: str
    department: str | None  # the department this person decides for
    guest: bool = False


USERS: tuple[DemoUser, ...] = (
    DemoUser("U0CORA", "cora", "Cora Lindqvist", "coordinators"),
    DemoUser("U0ARI", "ari", "Ari Mensah", "ar"),
    DemoUser("U0MIA", "mia", "Mia Torres", "marketing"),
    DemoUser("U0PIA", "pia", "Pia Novak", "promotions"),
    DemoUser("U0LOU", "lou", "Lou Okafor", "label_copy"),
    DemoUser("U0LEE", "lee", "Lee Park", "legal"),
    DemoUser("U0MEG", "meg", "Meg Doyle", "merch"),
    DemoUser("U0MAX", "max", "Max Weber", "manufacturing"),
    DemoUser("U0MOE", "moe", "Moe Haddad", "management"),
    DemoUser("U0SAM", "sam", "Sam Reyes", None),
    DemoUser("U0FAY", "fay", "Fay Moreau", None, guest=True),  # freelance designer
)

COORDINATOR = USERS[0]


def by_name(name: str) -> DemoUser | None:
    wanted = name.lower().lstrip("@")
    return next((user for user in USERS if user.name == wanted), None)


def install_directory(fake: FakeSlack) -> None:
    """People and channels as Slack knows them."""
    fake.add_channel(PRODUCTION, PRODUCTION_NAME)
    for user in USERS:
        fake.add_user(user.user_id, user.name, real_name=user.real_name, is_restricted=user.guest)


def install_members(db: Database, *, now: datetime) -> None:
    """Each demo person becomes a member of their department (idempotent)."""
    with db.write() as session:
        existing = {
            (row.department_key, row.user_id)
            for row in session.execute(
                select(DepartmentMember.department_key, DepartmentMember.user_id)
            )
        }
        for user in USERS:
            if user.department and (user.department, user.user_id) not in existing:
                session.add(
                    DepartmentMember(
                        department_key=user.department, user_id=user.user_id, added_at=now
                    )
                )
    install_freelancer(db, now=now)


def install_freelancer(db: Database, *, now: datetime) -> None:
    """Fay, the demo guest, in the freelancer directory with a rate (idempotent, by email), so
    `/asset assign A-1 F-1` works in a new shell. Seed data, like the departments: not audited."""
    with db.write() as session:
        if session.scalar(select(Freelancer.id).where(Freelancer.email == "fay@example.com")):
            return
        fay = Freelancer(
            name="Fay Moreau",
            email="fay@example.com",
            slack_user_id="U0FAY",
            skills="illustration,layout",
            active=True,
            created_by="demo",
            created_at=now,
            updated_at=now,
        )
        session.add(fay)
        session.add(
            RateAgreement(
                freelancer=fay,
                amount=Decimal("450.00"),
                currency="GBP",
                unit="asset",
                valid_from=date(now.year, 1, 1),  # in force whatever the time zone
                note="demo agreement",
                created_by="demo",
                created_at=now,
            )
        )
