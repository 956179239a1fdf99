"""A pooled PostgreSQL connection the server ended is replaced before anything uses it."""

from __future__ import annotations

from sqlalchemy import create_engine, func, select, text

from bot.storage.db import Database
from bot.storage.department_models import Department
from tests.conftest import PG_URL


def _backend_pids(db: Database) -> list[int]:
    """The server process behind each connection idle in the pool."""
    pool = db.engine.pool
    held = [db.engine.raw_connection() for _ in range(pool.checkedin())]
    try:
        pids = []
        for conn in held:
            cursor = conn.cursor()
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(int(cursor.fetchone()[0]))
            cursor.close()
            conn.rollback()
        return pids
    finally:
        for conn in held:
            conn.close()


def test_reads_and_writes_after_the_server_ends_every_pooled_connection(
    pg_database_url: str,
) -> None:
    db = Database.from_url(pg_database_url)
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE departments (key text primary key, name text)"))
        # Three connections in the pool, each then ended by the server.
        held = [db.engine.connect() for _ in range(3)]
        for conn in held:
            conn.close()
        pids = _backend_pids(db)
        assert len(pids) == 3
        with admin.connect() as conn:
            for pid in pids:
                # Waits (up to 5 s) until the backend has gone, so the test has no race.
                assert conn.scalar(select(func.pg_terminate_backend(pid, 5000)))

        with db.write() as session:
            session.execute(text("INSERT INTO departments VALUES ('legal', 'Legal')"))
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(Department)) == 1
        assert not set(pids) & set(_backend_pids(db))
    finally:
        admin.dispose()
        db.dispose()
