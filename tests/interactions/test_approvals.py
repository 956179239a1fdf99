"""Approvals in threads: buttons that can't be fooled, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

from sqlalchemy import func, select

from bot.core.clock import FixedClock
from bot.devtools.fake_slack_models import Message
from bot.devtools.workspace import Workspace
from bot.slack import ids
from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.audit_models import AuditEntry
from tests.helpers import CORA, MEG, MIA, SAM, ack, ack_text, assets
from tests.interactions.approval_support import click, last_ephemeral, round_messages

MOE, LEE, LOU, ARI = "U0MOE", "U0LEE", "U0LOU", "U0ARI"


def poster(ws: Workspace, text: str = "") -> None:
    ws.command(CORA, "/asset", 'new "Summer tour poster" kind:poster due:+7d')
    ack(ws.command(CORA, "/approval", f"request A-1 {text}".strip()))


def legal_is_a_user_group(ws: Workspace, depts: str = "depts:legal") -> Message:
    """Legal backed by the Slack user group @legal-team (Lee, Sam), and a poster's round."""
    ws.fake.add_usergroup("S0LEGAL", "legal-team", users=[LEE, SAM])
    ack(ws.command(CORA, "/dept", "set legal group:<!subteam^S0LEGAL|@legal-team>"))
    poster(ws, depts)
    (message,) = round_messages(ws)
    return message


def audit_actions(ws: Workspace, action: str) -> int:
    with ws.runtime.db.read() as session:
        return (
            session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
            )
            or 0
        )


def thread_texts(ws: Workspace) -> list[str]:
    card = ws.fake.messages(ws.channel)[0]
    return [m.text for m in ws.fake.thread(ws.channel, card.ts)]


def test_a_full_round_then_a_second_round_after_changes(workspace: Workspace) -> None:
    poster(workspace)
    (message,) = round_messages(workspace)
    assert assets(workspace)[0].stage == "review"
    for dept in ("merch", "marketing", "management"):
        assert f"approval:1:{dept}" in json.dumps(message.blocks)
    click(workspace, MEG, message, "merch")
    click(workspace, MIA, message, "marketing")
    message = round_messages(workspace)[0]
    assert "approved by <@U0MEG>" in json.dumps(message.blocks)
    assert "approval:1:merch" not in json.dumps(message.blocks)  # decided: no buttons left
    # Management asks for changes through the modal.
    click(workspace, MOE, message, "management", ids.REQUEST_CHANGES)
    modal = workspace.fake.views[-1].view
    assert modal["callback_id"] == ids.REQUEST_CHANGES_VIEW
    reason = {
        ids.REQUEST_CHANGES_REASON_BLOCK: {
            ids.REQUEST_CHANGES_REASON_INPUT: {
                "type": "plain_text_input",
                "value": "Logo <b>too small</b> & off-centre",
            }
        }
    }
    assert workspace.driver.submit(MOE, modal, reason).body == ""
    workspace.settle()
    assert assets(workspace)[0].stage == "design"
    changes = thread_texts(workspace)[-1]
    assert "Logo &lt;b&gt;too small&lt;/b&gt; &amp; off-centre" in changes
    assert f"<@{CORA}>" in changes
    assert "Closed: changes requested" in json.dumps(round_messages(workspace)[0].blocks)
    # Round 2: everyone approves; the asset is approved once, with one reply.
    ack(workspace.command(CORA, "/approval", "request A-1"))
    second = round_messages(workspace)[-1]
    assert "(round 2)" in second.text
    for user, dept in ((MEG, "merch"), (MIA, "marketing"), (MOE, "management")):
        click(workspace, user, second, dept)
    assert assets(workspace)[0].stage == "approved"
    replies = [t for t in thread_texts(workspace) if "approved by every department" in t]
    assert len(replies) == 1 and f"<@{CORA}>" in replies[0]
    with workspace.runtime.db.read() as session:
        statuses = list(
            session.scalars(select(ApprovalRequest.status).order_by(ApprovalRequest.id))
        )
    assert statuses == ["changes_requested", "approved"]


def test_fifty_concurrent_approvals_give_one_decision_and_one_reply(workspace: Workspace) -> None:
    members = [f"U0M{n:03d}" for n in range(50)]
    mentions = ",".join(f"<@{user}|m{n}>" for n, user in enumerate(members))
    ack(workspace.command(CORA, "/dept", f"set marketing members:{mentions}"))
    poster(workspace, "depts:marketing")
    (message,) = round_messages(workspace)
    start = threading.Barrier(len(members))

    def one(user: str) -> None:
        start.wait()
        click(workspace, user, message, "marketing", settle=False)

    threads = [threading.Thread(target=one, args=(user,)) for user in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    workspace.settle(timeout=60)
    with workspace.runtime.db.read() as session:
        steps = list(session.scalars(select(ApprovalStep)))
    assert len(steps) == 1 and steps[0].status == "approved" and steps[0].decided_by in members
    assert audit_actions(workspace, "approve") == 1
    with workspace.runtime.db.read() as session:
        approved = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "stage", AuditEntry.after["stage"].as_string() == "approved"
            )
        )
    assert approved == 1
    # Marketing alone was asked: the reply names it, and who on the route was not asked.
    replies = [t for t in thread_texts(workspace) if "is approved by Marketing (not asked" in t]
    assert len(replies) == 1
    refused = [e for user in members for e in workspace.fake.ephemerals(user)]
    assert len(refused) == 49
    assert all("already approved" in e.text or "Already decided" in e.text for e in refused)


def test_a_double_click_records_one_decision(workspace: Workspace) -> None:
    poster(workspace)
    (message,) = round_messages(workspace)
    click(workspace, MIA, message, "marketing")
    click(workspace, MIA, message, "marketing")
    assert audit_actions(workspace, "approve") == 1
    assert "Already decided for marketing" in last_ephemeral(workspace, MIA)


def test_a_non_member_is_refused_with_who_can_decide_and_nothing_is_written(
    workspace: Workspace,
) -> None:
    poster(workspace)
    (message,) = round_messages(workspace)
    before = audit_actions(workspace, "approve"), workspace.fake.calls("chat.update")
    click(workspace, SAM, message, "marketing")
    assert last_ephemeral(workspace, SAM) == "Only members of Marketing can decide this: <@U0MIA>."
    assert (audit_actions(workspace, "approve"), workspace.fake.calls("chat.update")) == before


def test_tampered_buttons_are_refused(workspace: Workspace) -> None:
    workspace.command(CORA, "/asset", 'new "Other poster" kind:poster due:+9d')
    poster(workspace)  # A-2? no: poster() creates A-2 then requests A-1
    ack(workspace.command(CORA, "/approval", "request A-2"))
    first, second = round_messages(workspace)
    other = json.dumps({"r": 2, "d": "marketing"})
    # A value naming the other round, under this message's block: block and value disagree.
    click(workspace, MIA, first, "marketing", value=other)
    assert "doesn't belong to this message" in last_ephemeral(workspace, MIA)
    # Block and value both naming the other round, clicked on this message.
    click(workspace, MIA, first, "marketing", block_id="approval:2:marketing", value=other)
    assert "doesn't belong to this message" in last_ephemeral(workspace, MIA)
    # A marketing member claiming the legal department's decision.
    click(
        workspace,
        MIA,
        first,
        "marketing",
        block_id="approval:1:legal",
        value=json.dumps({"r": 1, "d": "legal"}),
    )
    assert "Only members of Legal" in last_ephemeral(workspace, MIA)
    click(workspace, MIA, first, "marketing", value="not json")
    assert "isn't one of Sleeve's" in last_ephemeral(workspace, MIA)
    assert audit_actions(workspace, "approve") == 0
    # Neither round took a decision: each message still offers marketing's buttons.
    for message in (first, second):
        shown = workspace.fake.message(message.channel, message.ts)
        assert shown is not None and ":marketing" in json.dumps(shown.blocks)


def test_a_click_on_a_superseded_round_is_refused(workspace: Workspace) -> None:
    poster(workspace)
    (old,) = round_messages(workspace)
    ack(workspace.command(CORA, "/approval", "request A-1"))
    assert "Superseded" in json.dumps(round_messages(workspace)[0].blocks)
    click(workspace, MIA, old, "marketing")
    assert "replaced by a newer round" in last_ephemeral(workspace, MIA)
    assert audit_actions(workspace, "approve") == 0


def test_an_empty_reason_gets_the_modals_validation_error(workspace: Workspace) -> None:
    poster(workspace)
    (message,) = round_messages(workspace)
    click(workspace, MOE, message, "management", ids.REQUEST_CHANGES)
    modal = workspace.fake.views[-1].view
    empty = {
        ids.REQUEST_CHANGES_REASON_BLOCK: {
            ids.REQUEST_CHANGES_REASON_INPUT: {"type": "plain_text_input", "value": "   "}
        }
    }
    body = json.loads(workspace.driver.submit(MOE, modal, empty).body)
    assert body == {
        "response_action": "errors",
        "errors": {ids.REQUEST_CHANGES_REASON_BLOCK: "Say what needs to change."},
    }
    assert assets(workspace)[0].stage == "review"


def test_clicks_on_a_held_asset_are_refused(workspace: Workspace) -> None:
    poster(workspace)
    (message,) = round_messages(workspace)
    workspace.command(CORA, "/asset", "hold A-1")
    click(workspace, MIA, message, "marketing")
    assert "on hold" in last_ephemeral(workspace, MIA)
    assert audit_actions(workspace, "approve") == 0


def test_override_is_for_coordinators_needs_a_reason_and_is_shown(workspace: Workspace) -> None:
    poster(workspace, "depts:legal")
    assert "Only coordinators can override" in ack_text(
        workspace.command(MIA, "/approval", 'override A-1 dept:legal reason:"ok"')
    )
    assert "`reason:` is required" in ack_text(
        workspace.command(CORA, "/approval", "override A-1 dept:legal")
    )
    text = ack_text(
        workspace.command(CORA, "/approval", 'override A-1 dept:legal reason:"By phone"')
    )
    assert "The round is complete" in text
    assert "approved by override (<@U0CORA>" in json.dumps(round_messages(workspace)[0].blocks)
    assert assets(workspace)[0].stage == "approved" and audit_actions(workspace, "override") == 1


def test_requests_follow_routes_and_refuse_unknown_or_empty_departments(
    workspace: Workspace,
) -> None:
    workspace.command(CORA, "/asset", 'new "Sticker" kind:other due:+7d')
    assert "name the departments" in ack_text(workspace.command(CORA, "/approval", "request A-1"))
    text = ack_text(workspace.command(CORA, "/approval", "request A-1 depts:payroll"))
    assert "There is no department `payroll`" in text and "label_copy" in text
    ack(workspace.command(CORA, "/dept", "set legal members:none"))
    text = ack_text(workspace.command(CORA, "/approval", "request A-1 depts:legal"))
    assert "Legal has no members yet" in text and "/dept set legal members:" in text
    assert "Only its owner" in ack_text(
        workspace.command(SAM, "/approval", "request A-1 depts:merch")
    )
    with workspace.runtime.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ApprovalRequest)) == 0


def test_a_user_group_member_decides_and_slack_down_leaves_explicit_members(
    workspace: Workspace,
) -> None:
    message = legal_is_a_user_group(workspace, "depts:legal,label_copy")
    # One call and its three retries fail.
    workspace.fake.fail_next("usergroups.users.list", status=500, times=4)
    click(workspace, SAM, message, "legal")
    assert "couldn't tell me who is in the group" in last_ephemeral(workspace, SAM)
    click(workspace, LEE, message, "legal")  # an explicit member: no need to ask Slack
    assert audit_actions(workspace, "approve") == 1
    ack(workspace.command(CORA, "/approval", "request A-1 depts:legal"))
    click(workspace, SAM, round_messages(workspace)[-1], "legal")  # Slack answers now
    assert audit_actions(workspace, "approve") == 2


def test_pending_rounds_get_one_reminder_a_day(workspace: Workspace, clock: FixedClock) -> None:
    from bot.approvals.flow import send_reminders

    poster(workspace)
    client = workspace.app.client
    assert send_reminders(workspace.runtime, client) == 0
    clock.advance(timedelta(hours=25))
    assert send_reminders(workspace.runtime, client) == 1
    assert send_reminders(workspace.runtime, client) == 0
    reminders = [t for t in thread_texts(workspace) if t.startswith("Reminder")]
    assert len(reminders) == 1 and "Merchandise" in reminders[0] and "<@U0MEG>" in reminders[0]
    clock.advance(timedelta(days=1))
    assert send_reminders(workspace.runtime, client) == 1


def test_pending_and_status(workspace: Workspace) -> None:
    poster(workspace)
    assert "waiting on Merchandise, Marketing, Artist management" in ack_text(
        workspace.command(SAM, "/approval", "pending")
    )
    assert "A-1" in ack_text(workspace.command(MIA, "/approval", "pending mine"))
    assert "Nothing is waiting" in ack_text(workspace.command(LOU, "/approval", "pending mine"))
    status = ack(workspace.command(SAM, "/approval", "status A-1"))
    assert "actions" not in json.dumps(status["blocks"])  # a copy to read, not to click


def test_request_changes_for_a_group_backed_department_never_waits_on_slack_before_an_ack(
    workspace: Workspace,
) -> None:
    """usergroups.users.list takes 4 s: the form still opens inside Slack's trigger window and
    its submission is acknowledged at once; the decision follows once Slack has answered."""
    message = legal_is_a_user_group(workspace)
    workspace.fake.latency(4.0, "usergroups.users.list")
    workspace.fake.trigger_ttl = 1.0  # stricter than Slack's three seconds
    click(workspace, SAM, message, "legal", ids.REQUEST_CHANGES, settle=False)
    deadline = time.monotonic() + 1.0
    while not workspace.fake.views and time.monotonic() < deadline:
        time.sleep(0.01)
    (opened,) = workspace.fake.views
    workspace.settle(timeout=10)
    reason = {
        ids.REQUEST_CHANGES_REASON_BLOCK: {
            ids.REQUEST_CHANGES_REASON_INPUT: {"type": "plain_text_input", "value": "Bigger logo"}
        }
    }
    workspace.fake.latency(0, "usergroups.users.list")
    started = time.monotonic()
    assert workspace.driver.submit(SAM, opened.view, reason).body == ""  # the cache is warm
    assert time.monotonic() - started < 1.0
    workspace.settle()
    assert assets(workspace)[0].stage == "design"


def test_a_submission_whose_group_is_not_cached_is_acked_then_decided_or_refused(
    workspace: Workspace,
) -> None:
    message = legal_is_a_user_group(workspace)
    click(workspace, MIA, message, "legal", ids.REQUEST_CHANGES)  # opens: not known yet
    (opened,) = workspace.fake.views
    reason = {
        ids.REQUEST_CHANGES_REASON_BLOCK: {
            ids.REQUEST_CHANGES_REASON_INPUT: {"type": "plain_text_input", "value": "No"}
        }
    }
    workspace.fake.latency(4.0, "usergroups.users.list")
    # A replica that never saw the click: nothing is cached there.
    other = Workspace.start(database_url=workspace.runtime.settings.database_url)
    try:
        other.fake.add_usergroup("S0LEGAL", "legal-team", users=[LEE, SAM])
        other.fake.latency(4.0, "usergroups.users.list")
        started = time.monotonic()
        assert other.driver.submit(MIA, opened.view, reason).body == ""
        assert time.monotonic() - started < 1.0
        other.settle(timeout=15)
        assert "Only members of Legal" in other.fake.ephemerals(MIA)[-1].text
    finally:
        other.close()
    assert assets(workspace)[0].stage == "review" and audit_actions(workspace, "changes") == 0
