"""CompiledSelect answers what SQLAlchemy's own execution answers, types and errors included."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, bindparam, select
from sqlalchemy.exc import DBAPIError

from bot.devtools.workspace import Workspace
from bot.storage import asset_reads
from bot.storage.compiled_reads import CompiledSelect
from bot.storage.models import Asset
from tests.helpers import CORA, ack

assets = Asset.__table__.c


@pytest.fixture
def with_history(workspace: Workspace) -> Workspace:
    ack(workspace.command(CORA, "/asset", 'new "Tour poster" kind:poster due:+7d'))
    ack(workspace.command(CORA, "/asset", "move A-1 stage:design"))
    ack(workspace.command(CORA, "/asset", 'link A-1 https://example.com/proof.pdf "Proof"'))
    return workspace


def test_the_show_statement_reads_as_sqlalchemy_reads_it(with_history: Workspace) -> None:
    statement = asset_reads._ASSET.statement
    params = {"asset_id": 1, "entity_id": "A-1"}
    with with_history.runtime.db.read_connection() as conn:
        expected = [tuple(row) for row in conn.execute(statement, params)]
        found = CompiledSelect(statement).rows(conn, params)
    assert found == expected
    assert len(found) >= 2  # one row per history entry: created, moved, …
    first = found[0]
    assert isinstance(first[4], date)  # due
    assert first[asset_reads._HAS_LINKS] is True
    at, after = first[asset_reads._HAS_LINKS + 1], first[-1]
    assert isinstance(at, datetime) and at.utcoffset() == timedelta(0)
    assert isinstance(after, dict)


def test_bound_values_pass_through_their_types(with_history: Workspace) -> None:
    # A date parameter (a string on SQLite) and a LIMIT compiled into the statement.
    statement = (
        select(assets.id, assets.due)
        .where(assets.due < bindparam("before", type_=Asset.__table__.c.due.type))
        .order_by(assets.id)
        .limit(5)
    )
    params = {"before": with_history.runtime.today() + timedelta(days=30)}
    with with_history.runtime.db.read_connection() as conn:
        expected = [tuple(row) for row in conn.execute(statement, params)]
        found = CompiledSelect(statement).rows(conn, params)
    assert found == expected == [(1, with_history.runtime.today() + timedelta(days=7))]


def test_a_failing_statement_raises_sqlalchemys_error(workspace: Workspace) -> None:
    missing = Table("no_such_table", MetaData(), Column("id", Integer))
    with pytest.raises(DBAPIError), workspace.runtime.db.read_connection() as conn:
        CompiledSelect(select(missing.c.id)).rows(conn, {})
    with workspace.runtime.db.read_connection() as conn:  # and the pool is still usable
        assert CompiledSelect(select(assets.id)).rows(conn, {}) == []


def test_in_parameters_go_through_sqlalchemys_execution(with_history: Workspace) -> None:
    statement = select(assets.id).where(assets.stage.in_(bindparam("stages", expanding=True)))
    params = {"stages": ["design", "brief"]}
    with with_history.runtime.db.read_connection() as conn:
        expected = [tuple(row) for row in conn.execute(statement, params)]
        assert CompiledSelect(statement).rows(conn, params) == expected
    assert (1,) in expected
