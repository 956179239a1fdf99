"""Walk the permission table: every verb by every kind of user, allowed or refused."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.devtools.workspace import Workspace
from tests.helpers import CORA, ack

TABLE = Path(__file__).with_name("permissions.csv")
USERS = {"coordinator": "U0CORA", "member": "U0MIA", "other": "U0SAM", "guest": "U0FAY"}


def rows() -> Iterator[dict[str, str]]:
    with TABLE.open(newline="") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


def test_the_table_covers_every_verb_of_the_built_nouns() -> None:
    from bot.commands.catalog import NOUNS
    from bot.commands.register import HANDLERS

    covered = {tuple(row["command"].split()[:2]) for row in rows()}
    for noun, handlers in HANDLERS.items():
        for verb in handlers:
            assert (f"/{noun}", verb) in covered, f"/{noun} {verb} is missing from the table"
    assert set(HANDLERS) <= set(NOUNS)


@pytest.fixture
def scene(workspace: Workspace) -> Workspace:
    ack(
        workspace.command(
            CORA, "/release", 'new "Seed" artist:X date:2027-05-14 format:digital catno:SLV-1'
        )
    )
    return workspace


def fresh_asset(ws: Workspace, n: int) -> str:
    text = ack(ws.command(CORA, "/asset", f'new "Subject {n}" kind:poster due:+30d'))["text"]
    asset = text.split("*")[1]  # "Created *A-7* ..."
    ack(ws.command(CORA, "/approval", f"request {asset} depts:marketing,legal"))
    return asset


def test_every_verb_by_every_kind_of_user(scene: Workspace) -> None:
    counter = itertools.count(1)
    mismatches = []
    for row, (kind, user) in itertools.product(list(rows()), USERS.items()):
        n = next(counter)
        text = row["command"].format(asset=fresh_asset(scene, n), n=n)
        noun, _, rest = text.partition(" ")
        body = ack(scene.command(user, noun, rest))
        refused = body.get("text", "").startswith("Only ")
        if refused != (row[kind] == "refused"):
            mismatches.append(f"{kind}: {text} -> {body.get('text', '')[:120]}")
    assert mismatches == []
