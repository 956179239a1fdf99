"""With every section full of the longest lines, the channel digest and its preview still
fit in one message; street dates at risk are cut to their budget like the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.digests.content import (
    DigestContent,
    DigestItem,
    Section,
    StreetDateAtRisk,
    UnlockedCopy,
    WaitingApproval,
)
from bot.digests.messages import AT_RISK_BUDGET, at_risk_line, channel_digest, preview
from bot.slack.limits import MAX_MESSAGE_BLOCKS_TEXT, check_message

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
LONG = "<&>" * 70  # escaping makes every character five


def _item(n: int, due: date) -> DigestItem:
    return DigestItem(
        asset_id=100_000 + n,
        title=LONG,
        kind="jacket",
        stage="manufacturing",
        due=due,
        owner_id="U0CORA",
        release_id=n % 7,
        release_catno="SLV-" + "9" * 28,
        release_title=LONG,
        freelancer_name=LONG,
        priority="urgent",
        float_days=-n,
    )


def _full() -> DigestContent:
    many = range(100)
    return DigestContent(
        day=TODAY,
        now=NOW,
        overdue=Section([_item(n, TODAY - timedelta(days=400)) for n in many], 10_000),
        due_soon=Section([_item(n, TODAY + timedelta(days=3)) for n in many], 10_000),
        waiting=Section(
            [WaitingApproval(100_000 + n, LONG, LONG, NOW - timedelta(days=99)) for n in many],
            10_000,
        ),
        on_hold=10_000,
        copy_unlocked=Section([UnlockedCopy("SLV-" + "9" * 28, LONG, 99) for n in many], 10_000),
        at_risk=Section(
            [StreetDateAtRisk("SLV-" + "9" * 28, LONG, 100_000 + n, LONG, 999, 998) for n in many],
            10_000,
        ),
    )


def test_a_full_digest_and_its_preview_fit_in_one_message() -> None:
    content = _full()
    text, blocks = preview(content, "Only you can see this preview. " + "x" * 200)
    check_message(text=text, blocks=blocks)
    texts = [b.get("text", {}).get("text", "") for b in blocks]
    texts += [e["text"] for b in blocks for e in b.get("elements", [])]
    assert sum(len(t) for t in texts) < MAX_MESSAGE_BLOCKS_TEXT
    assert "…and 9" in str(blocks) and "more: `/release list`" in str(blocks)
    assert text.startswith("Production digest for Thu 26 Nov: 10000 street dates at risk")


def test_street_dates_at_risk_keep_to_their_budget() -> None:
    _, blocks = channel_digest(_full())
    risk = blocks[2]["text"]["text"]  # after the header and the section's title
    assert "street date at risk" in risk and len(risk) <= AT_RISK_BUDGET
    line = at_risk_line(StreetDateAtRisk("SLV-014", "A & B", 7, "Jacket <1>", 1, 0))
    assert line == (
        "*SLV-014* A &amp; B street date at risk: Jacket &lt;1&gt; (A-7) needs 1 day, 0 left"
    )
