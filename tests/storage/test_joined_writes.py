"""A write() inside another on the same thread joins it: one transaction, one commit."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from bot.devtools.workspace import Workspace
from bot.storage.models import Department


def departments(ws: Workspace) -> int:
    with ws.runtime.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Department)) or 0)


def test_an_inner_write_joins_the_outer_and_commits_with_it(workspace: Workspace) -> None:
    db, before = workspace.runtime.db, departments(workspace)
    with db.write() as outer:
        with db.write() as inner:
            assert inner is outer
            inner.add(Department(key="press", name="Press", position=99))
        assert departments(workspace) == before  # not committed until the outer ends
    assert departments(workspace) == before + 1


def test_a_failure_after_an_inner_write_rolls_back_both(workspace: Workspace) -> None:
    db, before = workspace.runtime.db, departments(workspace)
    with pytest.raises(RuntimeError), db.write() as outer:
        with db.write() as inner:
            inner.add(Department(key="press", name="Press", position=99))
        outer.flush()
        raise RuntimeError("the change failed")
    assert departments(workspace) == before
    with db.write() as session:  # and the next write starts a transaction of its own
        session.add(Department(key="press", name="Press", position=99))
    assert departments(workspace) == before + 1


def test_writes_on_other_threads_do_not_join(workspace: Workspace) -> None:
    db, seen = workspace.runtime.db, []
    with db.write() as outer:

        def other() -> None:
            with db.write() as session:
                seen.append(session is outer)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(0.2)  # on SQLite it waits for the outer's lock
    thread.join(10)
    assert seen == [False]
