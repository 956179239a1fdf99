"""What the digest says, within Block Kit's limits, in a constant number of queries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import event

from bot.devtools.workspace import Workspace
from bot.digests.content import build_digest, build_personal
from bot.digests.messages import channel_digest, personal_digest
from bot.slack.limits import check_message
from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.freelancer_models import Freelancer
from tests.conftest import TODAY
from tests.digest_support import add_assets, add_release, digests, sweeper
from tests.helpers import CORA, FAY, MEG, assert_pings_no_one

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def render(ws: Workspace, day: date = TODAY) -> tuple[str, list[dict[str, Any]]]:
    with ws.runtime.db.read() as session:
        return channel_digest(build_digest(session, day=day, now=NOW))


def shown(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


@contextmanager
def counting_selects(ws: Workspace) -> Iterator[list[str]]:
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


def test_overdue_is_grouped_by_release_least_float_first(workspace: Workspace) -> None:
    tapes = add_release(workspace, "SLV-014", "Midnight Tapes")
    box = add_release(workspace, "SLV-020", "Box Set")
    with workspace.runtime.db.write() as session:
        fay = Freelancer(
            name="Ines Ray",
            email="ines.ray@example.com",
            slack_user_id=FAY,
            created_by=CORA,
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(fay)
        session.flush()
        fay_id = fay.id
    add_assets(
        workspace,
        {"title": "Tray card", "release_id": tapes, "due": TODAY - timedelta(days=2)},
        {"title": "Box booklet", "release_id": box, "due": TODAY - timedelta(days=9)},
        {"title": "Front cover", "release_id": tapes, "due": TODAY - timedelta(days=5)},
        {"title": "Tour poster", "due": TODAY - timedelta(days=1), "owner_id": MEG},
        {"title": "Disc label", "release_id": box, "due": TODAY + timedelta(days=3)},
        {"title": "Tee", "due": TODAY - timedelta(days=30), "stage": "on_hold"},
        {"title": "Dropped", "due": TODAY - timedelta(days=30), "stage": "cancelled"},
        {"title": "Finished", "due": TODAY - timedelta(days=30), "stage": "done"},
        {"title": "Later", "due": TODAY + timedelta(days=8)},
        {"title": "Inlay", "release_id": tapes, "due": TODAY - timedelta(days=3)}
        | {"freelancer_id": fay_id},
    )
    text, blocks = render(workspace)
    check_message(text=text, blocks=blocks)
    body = shown(blocks)
    assert "Production digest · Thu 26 Nov 2026" in body
    # Posters in design need 57 more days. The loose one must meet its own due date
    # (float -58); both releases are 169 days away (float 112 each): then by due date.
    order = [
        "Tour poster",  # no release, 1 day late, least float
        "Box booklet",  # SLV-020: 9 days late
        "Front cover",  # SLV-014: its first item is 5 days late
        "Inlay",
        "Tray card",
    ]
    positions = [body.index(title) for title in order]
    assert positions == sorted(positions)
    assert body.index("*SLV-020* Box Set") < body.index("*SLV-014* Midnight Tapes")
    assert "*9 days late*" in body and "*1 day late*" in body
    assert f"freelancer <@{FAY}>" in body and f"<@{MEG}>" in body
    assert "*Due in the next 7 days* (1)" in body and "Disc label" in body
    assert "Later" not in body and "Dropped" not in body and "Finished" not in body
    assert "*On hold:* 1" in body
    assert text == (
        "Production digest for Thu 26 Nov: 5 overdue, 1 due in the next 7 days, 1 on hold"
    )


def test_waiting_on_approval_names_the_department_and_the_age(workspace: Workspace) -> None:
    add_assets(workspace, {"title": "Front cover", "due": TODAY + timedelta(days=20)})
    with workspace.runtime.db.write() as session:
        request = ApprovalRequest(
            asset_id=1,
            round=1,
            status="pending",
            requested_by=CORA,
            requested_at=NOW - timedelta(days=3, hours=2),
        )
        session.add(request)
        session.flush()
        for position, (dept, status) in enumerate(
            [("marketing", "pending"), ("ar", "approved"), ("management", "pending")]
        ):
            session.add(
                ApprovalStep(
                    request_id=request.id, department_key=dept, position=position, status=status
                )
            )
    text, blocks = render(workspace)
    body = shown(blocks)
    assert "*Waiting on approval* (2)" in body
    assert "Front cover — Marketing · waiting 3 days" in body
    assert "Front cover — Artist management · waiting 3 days" in body and "A&amp;R" not in body
    assert "2 waiting on approval" in text


def test_all_clear_then_user_text_escaped_so_it_pings_no_one(workspace: Workspace) -> None:
    add_assets(workspace, {"title": "Later", "due": TODAY + timedelta(days=20)})
    text, blocks = render(workspace)
    assert text == "Production digest for Thu 26 Nov: all clear"
    assert "*All clear:*" in shown(blocks) and "Overdue" not in shown(blocks)
    add_assets(workspace, {"title": "<!channel> & <https://evil|pay>", "due": TODAY})
    text, blocks = render(workspace)
    assert_pings_no_one(text, blocks)
    assert "&lt;!channel&gt; &amp; &lt;https://evil|pay&gt;" in shown(blocks)


def test_10000_overdue_items_fit_in_one_message_in_a_constant_number_of_queries(
    workspace: Workspace,
) -> None:
    releases = [add_release(workspace, f"SLV-{n:03d}", f"Release {n}") for n in range(20)]
    add_assets(
        workspace,
        *(
            {
                "title": f"Asset {n:05d} " + "x" * 80,
                "release_id": releases[n % 20],
                "due": TODAY - timedelta(days=1 + n % 300),
            }
            for n in range(10_000)
        ),
        *({"title": f"Soon {n}", "due": TODAY + timedelta(days=n % 7)} for n in range(500)),
    )
    with counting_selects(workspace) as statements:
        text, blocks = render(workspace)
    # overdue, due soon, waiting, on hold, copy unlocked, street dates at risk: one each
    assert len(statements) <= 6
    check_message(text=text, blocks=blocks)
    body = shown(blocks)
    assert "*Overdue* (10000)" in body
    assert "more: `/asset list overdue`" in body and "more: `/asset list`" in body
    assert "300 days late" in body  # the latest first
    with workspace.runtime.db.read() as session, counting_selects(workspace) as statements:
        (mine,) = build_personal(session, user_ids=[CORA, MEG], day=TODAY)
    assert len(statements) == 1
    text, blocks = personal_digest(mine)
    check_message(text=text, blocks=blocks)
    assert "more: `/asset list overdue mine`" in shown(blocks)
    # The fake Slack checks the same limits Slack does, and takes it.
    workspace.command(CORA, "/digest", "schedule 09:00")
    assert sweeper(workspace).run().posted
    (posted,) = digests(workspace, workspace.channel)
    assert posted.text.startswith("Production digest for Thu 26 Nov: 10000 overdue")
