"""For any text a user can send, every message built from it fits Block Kit's limits, shows
it literally (no mention, link or entity of its own) and is never cut inside an entity."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.approvals.messages import approval_message, cancelled_reply, round_lines
from bot.assets.messages import asset_card, asset_detail, change_notice
from bot.departments.reads import DepartmentRow
from bot.slack.limits import check_message
from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.asset_models import Asset, AssetLink
from bot.storage.audit_models import AuditEntry
from bot.storage.release_models import Release
from tests.helpers import assert_pings_no_one

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
HOSTILE = ["<!channel>", "<@U0CORA>", "&amp;", "<https://evil.example|click>", "&", "<", ">"]
# Whatever Slack lets a user type: markup characters, emoji, right-to-left text, newlines.
typed = st.lists(
    st.sampled_from(HOSTILE) | st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    max_size=80,
).map("".join)


def text_of(limit: int) -> st.SearchStrategy[str]:
    return typed.map(lambda text: text[:limit] or "x")


def an_asset(title: str, notes: str, label: str) -> Asset:
    release = Release(catno="SLV-014", title=title, artist=title, street_date=TODAY)
    asset = Asset(
        id=3,
        kind="poster",
        title=title,
        stage="design",
        due=TODAY + timedelta(days=3),
        owner_id="U0CORA",
        priority="urgent",
        notes=notes,
        cancel_reason=notes[:500],
        release=release,
    )
    asset.links = [AssetLink(url="https://files.example/v1.pdf", label=label) for _ in range(8)]
    return asset


def show(text: str, blocks: list | None) -> None:  # type: ignore[type-arg]
    check_message(text=text, blocks=blocks)
    assert_pings_no_one(text, blocks)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=text_of(200), notes=text_of(2000), label=text_of(200))
def test_asset_messages(title: str, notes: str, label: str) -> None:
    asset = an_asset(title, notes, label)
    link = {"link": {"url": "https://files.example/v1.pdf", "label": label}}
    history = [
        AuditEntry(at=NOW, actor="U0CORA", action=action, after=after)
        for action, after in [("link", link), ("notes", {"notes": notes}), ("title", None)] * 7
    ]
    show(*asset_card(asset, TODAY))
    detail = asset_detail(asset, history, TODAY)
    show(detail.text or "", detail.blocks)
    show(change_notice(asset, "title", notes, title, "U0MIA"), None)
    show(change_notice(asset, "owner", "U0CORA", "U0MIA", "U0MIA"), None)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=text_of(200), note=text_of(2000), reason=text_of(2000), name=text_of(60))
def test_approval_messages(title: str, note: str, reason: str, name: str) -> None:
    asset = an_asset(title, "", "")
    keys = ["marketing", "legal", "management", "merch", "ar"]
    depts = {
        key: DepartmentRow(key, name, None, None, ("U0MIA", "U0LEE"), ("poster",)) for key in keys
    }
    steps = [
        ApprovalStep(department_key=key, position=n, status=status, decided_by=by, reason=reason)
        for n, (key, status, by) in enumerate(
            [
                ("marketing", "approved", "U0MIA"),
                ("legal", "changes_requested", "U0LEE"),
                ("management", "pending", None),
                ("merch", "pending", None),
                ("ar", "approved", "U0ARI"),
            ]
        )
    ]
    request = ApprovalRequest(
        id=7,
        asset=asset,
        asset_id=3,
        round=2,
        status="pending",
        requested_by="U0CORA",
        note=note,
        skipped="promotions",
        close_reason=reason[:300],
        steps=steps,
    )
    show(*approval_message(request, asset, depts, ZoneInfo("Europe/London")))
    request.status = "cancelled"
    show(*approval_message(request, asset, depts, ZoneInfo("Europe/London")))
    show(cancelled_reply(request, "U0CORA"), None)
    detail = asset_detail(asset, [], TODAY, round_lines([request] * 5, depts))
    show(detail.text or "", detail.blocks)
