from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import MetaData, Table, func, inspect, select

from bot.digests.outgoing import channel_key, personal_key
from bot.domain.catalog import DEFAULT_ROUTES, DEPARTMENTS
from bot.slack import outbox
from bot.storage.base import Base
from bot.storage.db import Database
from bot.storage.department_models import Department, DepartmentMember, Route
from bot.storage.migrate import (
    SchemaBehind,
    current_revision,
    downgrade,
    ensure_schema,
    head_revision,
    upgrade,
)
from bot.storage.outbox_models import OutboxEntry
from bot.storage.seed import seed

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(database_url: str):  # type: ignore[no-untyped-def]
    database = Database.from_url(database_url)
    yield database
    database.dispose()


def test_migrations_create_every_mapped_table(db: Database) -> None:
    upgrade(db)
    assert current_revision(db) == head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_sqlite_is_migrated_on_start_and_postgresql_behind_is_refused(db: Database) -> None:
    if db.is_sqlite:
        ensure_schema(db)
        assert current_revision(db) == head_revision()
    else:
        with pytest.raises(SchemaBehind, match=r"run `python -m bot migrate`"):
            ensure_schema(db)
        upgrade(db)
        ensure_schema(db)


def test_seeding_twice_creates_each_department_and_route_once(db: Database) -> None:
    upgrade(db)
    seed(db, coordinators=("U0CORA",), now=NOW)
    seed(db, coordinators=("U0CORA", "U0NEW"), now=NOW)
    with db.read() as session:
        keys = list(session.scalars(select(Department.key).order_by(Department.position)))
        routes = session.scalar(select(func.count()).select_from(Route))
        coordinators = set(
            session.scalars(
                select(DepartmentMember.user_id).where(
                    DepartmentMember.department_key == "coordinators"
                )
            )
        )
    assert keys == [d.key for d in DEPARTMENTS]
    assert routes == sum(len(depts) for depts in DEFAULT_ROUTES.values())
    assert coordinators == {"U0CORA", "U0NEW"}


def test_seeding_keeps_a_route_a_coordinator_changed(db: Database) -> None:
    upgrade(db)
    seed(db, coordinators=(), now=NOW)
    with db.write() as session:
        session.execute(Route.__table__.delete().where(Route.kind == "social"))
        session.add(Route(kind="social", department_key="promotions", position=0))
    seed(db, coordinators=(), now=NOW)
    with db.read() as session:
        social = list(session.scalars(select(Route.department_key).where(Route.kind == "social")))
    assert social == ["promotions"]


def test_a_failed_unit_of_work_leaves_nothing_behind(db: Database) -> None:
    upgrade(db)
    seed(db, coordinators=(), now=NOW)
    with pytest.raises(RuntimeError), db.write() as session:
        session.add(DepartmentMember(department_key="legal", user_id="U0LEE", added_at=NOW))
        session.flush()
        raise RuntimeError("boom")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(DepartmentMember)) == 0


def test_every_migration_can_be_undone_and_done_again(db: Database) -> None:
    upgrade(db)
    downgrade(db, to="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(db)
    assert current_revision(db) == head_revision()
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_models_and_migrations_agree(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    upgrade(db)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from bot.storage.migrate import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_checking_an_up_to_date_schema_does_not_load_alembic(database_url: str) -> None:
    import subprocess
    import sys

    database = Database.from_url(database_url)
    upgrade(database)
    database.dispose()
    check = (
        "import sys; from bot.storage.db import Database; "
        "from bot.storage.migrate import ensure_schema; "
        f"ensure_schema(Database.from_url({database_url!r})); "
        "print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_digests_posted_before_the_outbox_kept_them_are_not_posted_again(db: Database) -> None:
    """0009 moves digest claims into the outbox: an upgrade on the day of a digest must not
    post it a second time, and one left in doubt stays in doubt."""
    upgrade(db, to="0008")
    claims = Table("digest_claims", MetaData(), autoload_with=db.engine)
    schedules = Table("digest_schedules", MetaData(), autoload_with=db.engine)
    with db.engine.begin() as conn:
        conn.execute(
            schedules.insert(),
            [
                {
                    "id": 1,
                    "channel_id": "C1",
                    "local_time": time(9),
                    "timezone": "UTC",
                    "days": "daily",
                    "enabled": True,
                    "created_by": "U0CORA",
                    "created_at": NOW,
                    "updated_by": "U0CORA",
                    "updated_at": NOW,
                }
            ],
        )
        common = {
            "schedule_id": None,
            "user_id": None,
            "claimed_by": "old",
            "claimed_at": NOW,
            "lease_until": NOW,
            "attempts": 1,
            "posted_at": None,
            "sending_at": None,
        }
        conn.execute(
            claims.insert(),
            [
                common | {"schedule_id": 1, "local_date": NOW.date(), "posted_at": NOW},
                common | {"user_id": "U0MIA", "local_date": NOW.date(), "sending_at": NOW},
                common | {"user_id": "U0MEG", "local_date": NOW.date()},  # never started
            ],
        )
    upgrade(db)
    assert "digest_claims" not in inspect(db.engine).get_table_names()
    with db.read() as session:
        rows = {row.key: row for row in session.scalars(select(OutboxEntry))}
    assert set(rows) == {channel_key(1, NOW.date()), personal_key("U0MIA", NOW.date())}
    posted, in_doubt = rows[channel_key(1, NOW.date())], rows[personal_key("U0MIA", NOW.date())]
    assert posted.sent_at is not None and posted.sending_at is None
    assert in_doubt.sent_at is None and in_doubt.sending_at is not None
    with db.read() as session:
        assert outbox.saved_keys(session, list(rows)) == set(rows)
        assert outbox.due(session, now=NOW + timedelta(hours=1)) == []
