"""A catalogue built row by row: releases with their formats and street dates, assets in
any stage (held ones with the stage they were held from)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import event

from bot.devtools.workspace import Workspace
from bot.storage.release_models import Release
from tests.conftest import TODAY
from tests.digest_support import CREATED
from tests.helpers import CORA

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def add_release(
    ws: Workspace, catno: str, title: str, *, days: int, formats: str, cancelled: bool = False
) -> int:
    """A release whose street date is ``days`` after today."""
    with ws.runtime.db.write() as session:
        release = Release(
            catno=catno,
            title=title,
            artist="The Vels",
            formats=formats,
            street_date=TODAY + timedelta(days=days),
            channel_id=ws.channel,
            cancelled_at=CREATED if cancelled else None,
            created_by=CORA,
            created_at=CREATED,
            updated_at=CREATED,
        )
        session.add(release)
        session.flush()
        return release.id


def asset(
    title: str,
    kind: str,
    stage: str,
    *,
    release: int | None = None,
    format: str | None = None,
    due: int | None = None,
    held_from: str | None = None,
    owner: str = CORA,
) -> dict[str, Any]:
    """A row for ``add_assets``; ``due`` is days from today. Every row has every key, as
    the rows go in one insert."""
    when: date | None = None if due is None else TODAY + timedelta(days=due)
    return {
        "title": title,
        "kind": kind,
        "stage": stage,
        "release_id": release,
        "format": format,
        "due": when,
        "held_from": held_from,
        "owner_id": owner,
    }


@contextmanager
def counting_selects(ws: Workspace) -> Iterator[list[str]]:
    """The SELECT statements run on the workspace's database meanwhile."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(sql)

    engine = ws.runtime.db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
