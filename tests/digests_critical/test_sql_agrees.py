"""The digest's SQL computes the same float, ranking and street dates at risk as the pure
rules of ``domain/critical_path``, over a random catalogue, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import select

from bot.devtools.workspace import Workspace
from bot.digests.content import build_personal, overdue, street_dates_at_risk
from bot.domain.catalog import KINDS
from bot.domain.critical_path import (
    PHYSICAL_PATH,
    StageDays,
    deadline,
    float_days,
    rank_by_float,
    remaining_days,
)
from bot.domain.stages import ACTIVE_STAGES, OPEN_STAGES, Stage
from bot.storage.asset_models import Asset
from bot.storage.release_models import Release
from tests.conftest import TODAY
from tests.digest_support import add_assets
from tests.digests_critical.support import add_release, asset
from tests.helpers import CORA, MEG

# Powers of two: every set of stages sums to a different number, so a stage counted twice
# or left out can't hide.
PLAN = StageDays(
    {stage: 2**n for n, stage in enumerate(PHYSICAL_PATH)},
    {"cd": 2**7, "vinyl": 2**8, "digital": 0, "cassette": 2**9},
)
FORMATS = ["cd", "vinyl", "digital", "cassette", "lp"]  # lp: a key the plan doesn't know


def _random_catalogue(ws: Workspace, rng: random.Random) -> None:
    releases = [
        add_release(
            ws,
            f"SLV-{n:03d}",
            f"Release {n}",
            days=rng.randint(-30, 1200),
            formats=",".join(rng.sample(FORMATS, rng.randint(1, 3))),
            cancelled=rng.random() < 0.15,
        )
        for n in range(12)
    ]
    rows = []
    for n in range(240):
        stage = rng.choice(list(Stage))
        held = rng.choice([None, *PHYSICAL_PATH]) if stage is Stage.ON_HOLD else None
        row = asset(
            f"Asset {n}",
            rng.choice(list(KINDS)),
            stage.value,
            release=rng.choice([None, *releases]),
            format=rng.choice([None, *FORMATS]),
            due=rng.choice([None, rng.randint(-60, 30)]),
            held_from=held.value if held else None,
            owner=rng.choice([CORA, MEG]),
        )
        rows.append(row)
    add_assets(ws, *rows)


def _expected(ws: Workspace) -> tuple[list[tuple[int, int]], list[tuple[str, int, int, int]]]:
    """(overdue as (id, float) ranked, at risk as (catno, asset id, needs, left) worst first)."""
    with ws.runtime.db.read() as session:
        assets = session.scalars(select(Asset)).all()
        releases = {r.id: r for r in session.scalars(select(Release))}
    late: list[tuple[Any, int]] = []
    worst: dict[int, tuple[int, int, Release]] = {}  # release -> (needs, asset id, release)
    for a in assets:
        release = releases.get(a.release_id) if a.release_id else None
        keys = release.format_keys if release else []
        needs = remaining_days(
            a.kind, a.stage, a.format, PLAN, release_formats=keys, held_from=a.held_from
        )
        if a.stage in ACTIVE_STAGES and a.due is not None and a.due < TODAY:
            end = deadline(release.street_date if release else None, a.due)
            assert end is not None
            late.append((a, float_days(end, needs, TODAY)))
        if release and a.stage in OPEN_STAGES and release.cancelled_at is None:
            left = (release.street_date - TODAY).days
            if left > 0 and needs > left:
                best = worst.get(release.id)
                if best is None or (-needs, a.id) < (-best[0], best[1]):
                    worst[release.id] = (needs, a.id, release)
    ranked = rank_by_float(late, key=lambda pair: (pair[1], pair[0].due, pair[0].id))
    at_risk = [
        (r.catno, asset_id, needs, (r.street_date - TODAY).days)
        for needs, asset_id, r in worst.values()
    ]
    at_risk.sort(key=lambda row: (row[3] - row[2], row[3], row[0]))
    return [(a.id, f) for a, f in ranked], at_risk


def test_sql_and_python_agree_on_float_ranking_and_risk(workspace: Workspace) -> None:
    _random_catalogue(workspace, random.Random(14))
    expected_late, expected_risk = _expected(workspace)
    assert len(expected_late) > 20 and len(expected_risk) > 2  # the catalogue exercises both
    with workspace.runtime.db.read() as session:
        late = overdue(session, TODAY, PLAN, limit=1_000)
        risk = street_dates_at_risk(session, TODAY, PLAN, limit=1_000)
        people = build_personal(session, user_ids=[CORA, MEG], day=TODAY, stage_days=PLAN)
    assert [(item.asset_id, item.float_days) for item in late.items] == expected_late
    assert late.total == len(expected_late)
    got = [(r.catno, r.asset_id, r.needs, r.left) for r in risk.items]
    assert got == expected_risk and risk.total == len(expected_risk)
    # Each person's late items keep the channel's order.
    owners = _owners(workspace)
    for person in people:
        mine = [item.asset_id for item in person.overdue.items]
        assert mine == [i for i, _ in expected_late if owners[i] == person.user_id]


def test_a_limit_cuts_the_ranked_list_and_still_counts_everything(workspace: Workspace) -> None:
    _random_catalogue(workspace, random.Random(7))
    expected_late, expected_risk = _expected(workspace)
    with workspace.runtime.db.read() as session:
        late = overdue(session, TODAY, PLAN, limit=5)
        risk = street_dates_at_risk(session, TODAY, PLAN, limit=1)
    assert [item.asset_id for item in late.items] == [i for i, _ in expected_late[:5]]
    assert late.total == len(expected_late)
    assert [r.asset_id for r in risk.items] == [row[1] for row in expected_risk[:1]]
    assert risk.total == len(expected_risk)


def _owners(ws: Workspace) -> dict[int, str]:
    with ws.runtime.db.read() as session:
        return {row.id: row.owner_id for row in session.execute(select(Asset.id, Asset.owner_id))}
