"""Schema migrations with Alembic, driven from code (no alembic.ini needed to run).

Checking that a database is up to date reads the revision ids from the migration files and
the ``alembic_version`` table with plain SQL: Alembic (and Mako, which it imports) is
loaded only to migrate, which keeps every `serve` process smaller and faster to start.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from bot.storage.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed number works; it only has to be the same for every replica.
_PG_MIGRATION_LOCK = 0x51EE7E


class SchemaBehind(Exception):
    """The database is older than this code; the message says how to bring it up to date."""


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


_REVISION = re.compile(r"""^(down_revision|revision)\s*=\s*["']?([^"'\s]+)["']?""", re.M)


@cache
def head_revision() -> str:
    """The one revision no migration file names as its ``down_revision``."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION.findall(path.read_text()))
        revisions.add(found["revision"])
        parents.add(found.get("down_revision", "None"))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.scalar(text("SELECT version_num FROM alembic_version"))


def upgrade(db: Database, *, to: str = "head") -> str:
    """Bring the schema to head (or revision ``to``); safe when several processes start at
    once."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            conn.commit()
        try:
            from alembic import command

            command.upgrade(_config(conn), to)
            conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_MIGRATION_LOCK})
                conn.commit()
    return head_revision() if to == "head" else to


def ensure_schema(db: Database) -> None:
    """Migrate an embedded SQLite database; refuse a PostgreSQL one that is behind."""
    current, head = current_revision(db), head_revision()
    if current == head:
        return
    if db.is_sqlite:
        upgrade(db)
        return
    raise SchemaBehind(
        f"database schema is at {current or 'nothing'}, this version needs {head}: "
        "run `python -m bot migrate`"
    )


def downgrade(db: Database, *, to: str) -> None:
    """Take the schema back to revision ``to`` ("base" for nothing): for rolling back a
    release, and for testing that every migration can be undone."""
    with db.engine.connect() as conn:
        from alembic import command

        command.downgrade(_config(conn), to)
        conn.commit()
