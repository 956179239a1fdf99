"""Fixtures: a real database (SQLite file or a PostgreSQL schema of its own), the fake Slack,
and a whole workspace driven by signed requests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text

from bot.core.clock import FixedClock

if TYPE_CHECKING:
    from bot.devtools.workspace import Workspace

PG_URL = os.environ.get("SLEEVE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Every test that takes this runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'sleeve.db'}"
        return
    yield from _pg_schema()


@pytest.fixture
def pg_database_url() -> Iterator[str]:
    """A PostgreSQL schema of the test's own, for tests about PostgreSQL alone."""
    yield from _pg_schema()


def _pg_schema() -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# A Thursday morning in London; tests that need a fixed "today" read it from here.
TODAY = date(2026, 11, 26)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=UTC))


@pytest.fixture
def workspace(database_url: str, clock: FixedClock) -> Iterator[Workspace]:
    from bot.devtools.workspace import Workspace

    ws = Workspace.start(database_url=database_url, clock=clock, timezone="Europe/London")
    try:
        yield ws
    finally:
        ws.close()
