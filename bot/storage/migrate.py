"""Schema migrations with Alembic, driven from code (no alembic.ini needed to run)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from bot.storage.db import Database

MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed number works; it only has to be the same for every replica.
_PG_MIGRATION_LOCK = 0x51EE7E


class SchemaBehind(Exception):
    """The database is older than this code; the message says how to bring it up to date."""


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database) -> str:
    """Bring the schema to head; safe when several processes start at once."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            conn.commit()
        try:
            command.upgrade(_config(conn), "head")
            conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_MIGRATION_LOCK})
                conn.commit()
    return head_revision()


def ensure_schema(db: Database) -> None:
    """Migrate an embedded SQLite database; refuse a PostgreSQL one that is behind."""
    if db.is_sqlite:
        upgrade(db)
        return
    current, head = current_revision(db), head_revision()
    if current != head:
        raise SchemaBehind(
            f"database schema is at {current or 'nothing'}, this version needs {head}: "
            "run `python -m bot migrate`"
        )
