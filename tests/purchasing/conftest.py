"""A migrated, seeded database on SQLite and PostgreSQL, with the people of purchasing:
a coordinator, management members, and a marketing member who may not buy anything."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.storage.db import Database
from bot.storage.department_models import DepartmentMember
from bot.storage.migrate import upgrade
from bot.storage.seed import seed
from tests.purchasing.support import CORA, MANAGERS, MIA, MOE, NOW


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.from_url(database_url)
    upgrade(database)
    seed(database, coordinators=(CORA.user_id,), now=NOW)
    with database.write() as session:
        for user_id in (MOE.user_id, *MANAGERS):
            session.add(
                DepartmentMember(department_key="management", user_id=user_id, added_at=NOW)
            )
        session.add(DepartmentMember(department_key="marketing", user_id=MIA.user_id, added_at=NOW))
    yield database
    database.dispose()
