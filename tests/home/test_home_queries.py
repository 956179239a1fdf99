"""The App Home costs the same few queries for a person with 3 assets or 200, and always
fits in a Home's 100 blocks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot.devtools.bulk import add_home_load
from bot.devtools.workspace import Workspace
from bot.home.content import build_home
from bot.home.messages import home_view
from bot.slack.limits import check_view
from tests.conftest import TODAY
from tests.helpers import MIA


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def home_queries(ws: Workspace) -> tuple[int, dict[str, Any]]:
    db = ws.runtime.db
    with statements(db.engine) as seen, db.read() as session:
        content = build_home(
            session,
            user_id=MIA,
            day=TODAY,
            stage_days=ws.runtime.stage_days,
            group_members=lambda _group: None,
        )
    return len(seen), home_view(content)


def test_the_home_costs_a_constant_number_of_queries(workspace: Workspace) -> None:
    with workspace.runtime.db.write() as session:
        add_home_load(session, owner=MIA, dept_key="marketing", assets=3, pending=1, today=TODAY)
    small, _view = home_queries(workspace)
    with workspace.runtime.db.write() as session:
        add_home_load(session, owner=MIA, dept_key="marketing", assets=200, pending=50, today=TODAY)
    large, view = home_queries(workspace)
    assert small == large <= 8
    check_view(view)  # raises past Block Kit's limits
    assert len(view["blocks"]) <= 100
    text = str(view["blocks"])
    assert "Waiting on you* (51)" in text and "and 41 more" in text
    assert "Your assets* (203)" in text
