"""The outbox: an acknowledged change's messages survive the process that took it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.core.clock import FixedClock
from bot.devtools.workspace import Workspace
from bot.slack import outbox
from bot.slack.delivery import deliver_after_ack, deliver_entry, drain, hold, save, send_held
from bot.slack.replies import Post, Update
from bot.storage.asset_models import Asset
from bot.storage.outbox_models import OutboxEntry
from tests.helpers import CORA, ack


def entries(ws: Workspace) -> list[OutboxEntry]:
    with ws.runtime.db.read() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.id)))


def stash(workspace: Workspace, context: dict[str, object], items: list[Post]) -> None:
    """Save an outbox in a transaction of its own, as a request's unit of work does."""
    with workspace.runtime.db.write() as session:
        save(session, context, items, now=workspace.runtime.now())


def test_every_acknowledged_command_leaves_a_sent_outbox_row(workspace: Workspace) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d'))
    (entry,) = entries(workspace)
    assert entry.sent_at is not None and entry.done_items == 1 and entry.attempts == 1
    with workspace.runtime.db.read() as session:
        asset = session.scalar(select(Asset))
    assert asset is not None and asset.card_ts == entry.posted["0"]


def test_a_row_left_by_a_dead_process_is_sent_once_by_the_sweep(
    workspace: Workspace, clock: FixedClock
) -> None:
    items = [
        Post(channel=workspace.channel, text="first"),
        Post(channel=workspace.channel, text="reply", thread_of=0),
    ]
    stash(workspace, {}, items)  # saved, but its process "died" before sending
    client = workspace.app.client
    assert drain(workspace.runtime, client) == 0  # within the grace period: left alone
    clock.advance(outbox.GRACE + timedelta(seconds=1))
    assert drain(workspace.runtime, client) == 1
    assert drain(workspace.runtime, client) == 0
    first, reply = workspace.fake.messages(workspace.channel)
    assert (first.text, reply.text, reply.thread_ts) == ("first", "reply", first.ts)


def test_slack_down_pauses_a_delivery_which_resumes_after_the_last_message_sent(
    workspace: Workspace, clock: FixedClock
) -> None:
    fake = workspace.fake
    # Slack goes down right after the first message: every retry of the second gets a 503.
    workspace.runtime.recorders["then_slack_is_down"] = lambda *_: fake.fail_next(
        "chat.postMessage", status=503, times=4
    )
    items = [
        Post(channel=workspace.channel, text="part 0", record="then_slack_is_down", record_id=1),
        Post(channel=workspace.channel, text="part 1"),
        Post(channel=workspace.channel, text="part 2", thread_of=0),
    ]
    context: dict = {}
    stash(workspace, context, items)
    assert not deliver_entry(
        workspace.runtime, workspace.app.client, context["sleeve_outbox_id"], None
    )
    (entry,) = entries(workspace)
    assert (entry.sent_at, entry.claimed_at, entry.done_items) == (None, None, 1)
    assert "503" in (entry.last_error or "")
    clock.advance(outbox.GRACE + timedelta(seconds=1))
    assert drain(workspace.runtime, workspace.app.client) == 1
    first, second, third = workspace.fake.messages(workspace.channel)
    assert [first.text, second.text, third.text] == ["part 0", "part 1", "part 2"]
    assert third.thread_ts == first.ts


def test_a_row_claimed_by_a_live_process_is_not_taken_over(
    workspace: Workspace, clock: FixedClock
) -> None:
    context: dict = {}
    stash(workspace, context, [Post(channel=workspace.channel, text="once")])
    with workspace.runtime.db.write() as session:
        assert outbox.claim(session, context["sleeve_outbox_id"], now=workspace.runtime.now())
    clock.advance(outbox.GRACE + timedelta(seconds=1))
    assert drain(workspace.runtime, workspace.app.client) == 0  # the claim holds its lease
    clock.advance(outbox.LEASE)
    assert drain(workspace.runtime, workspace.app.client) == 1  # its owner is presumed dead
    assert [m.text for m in workspace.fake.messages(workspace.channel)] == ["once"]


def test_a_delivery_that_finds_its_row_sent_by_the_sweep_sends_nothing_twice(
    workspace: Workspace, clock: FixedClock
) -> None:
    """The after-ack work started late (a backlog); the sweep had sent the row meanwhile."""
    context: dict = {}
    stash(workspace, context, [Post(channel=workspace.channel, text="once")])
    clock.advance(outbox.GRACE + timedelta(seconds=1))
    assert drain(workspace.runtime, workspace.app.client) == 1
    deliver_after_ack(workspace.runtime, workspace.app.client, context)
    workspace.settle()
    assert [m.text for m in workspace.fake.messages(workspace.channel)] == ["once"]
    (entry,) = entries(workspace)
    assert entry.sent_at is not None and entry.done_items == 1 and entry.attempts == 1


def test_a_held_row_is_saved_with_its_change_and_taken_over_once_the_lease_ends(
    workspace: Workspace, clock: FixedClock
) -> None:
    items = [Post(channel=workspace.channel, text="decided")]
    with workspace.runtime.db.write() as session:
        held = hold(workspace.runtime, session, items)
    (entry,) = entries(workspace)
    assert (entry.claimed_at, entry.attempts, entry.sent_at) == (clock.now(), 1, None)
    # Its process "died" before send_held: claimed, so no sweep sends it within the lease.
    client = workspace.app.client
    clock.advance(outbox.GRACE + timedelta(seconds=1))
    assert drain(workspace.runtime, client) == 0
    clock.advance(outbox.LEASE)
    assert drain(workspace.runtime, client) == 1
    # The holder comes back too late: the row is sent already, nothing goes twice.
    send_held(workspace.runtime, client, held)
    assert [m.text for m in workspace.fake.messages(workspace.channel)] == ["decided"]


def test_a_held_row_that_fails_with_its_change_leaves_nothing(workspace: Workspace) -> None:
    try:
        with workspace.runtime.db.write() as session:
            hold(workspace.runtime, session, [Post(channel=workspace.channel, text="never")])
            raise RuntimeError("the change failed after its outbox was saved")
    except RuntimeError:
        pass
    assert entries(workspace) == []


def test_a_held_row_sent_late_but_within_its_lease_goes_once(
    workspace: Workspace, clock: FixedClock
) -> None:
    with workspace.runtime.db.write() as session:
        held = hold(workspace.runtime, session, [Post(channel=workspace.channel, text="late")])
    clock.advance(outbox.GRACE + timedelta(seconds=1))  # queued behind other work
    send_held(workspace.runtime, workspace.app.client, held)
    (entry,) = entries(workspace)
    assert entry.sent_at is not None and entry.attempts == 1
    assert drain(workspace.runtime, workspace.app.client) == 0
    assert [m.text for m in workspace.fake.messages(workspace.channel)] == ["late"]


def test_a_message_slack_refuses_for_good_is_told_to_the_user_and_not_retried(
    workspace: Workspace, clock: FixedClock
) -> None:
    for error, hint in (
        ("not_in_channel", "Sleeve isn't in that channel: /invite @Sleeve there"),
        ("channel_not_found", "the channel doesn't exist or Sleeve can't see it"),
        ("is_archived", "the channel is archived"),
    ):
        workspace.fake.fail_next("chat.postMessage", status=200, error=error)
        ack(workspace.command(CORA, "/asset", f'new "Poster {error}" kind:poster due:+7d'))
        told = [r for r in workspace.fake.responses if hint in str(r)]
        assert told, (error, workspace.fake.responses[-1:])
    assert all(entry.sent_at is not None for entry in entries(workspace))  # not retried
    clock.advance(outbox.RETRY_CAP)
    assert drain(workspace.runtime, workspace.app.client) == 0


def test_a_burst_of_redraws_of_one_card_sends_only_the_newest(
    workspace: Workspace, clock: FixedClock
) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d'))
    card = workspace.fake.messages(workspace.channel)[0]
    workspace.fake.reset_calls()
    for n in range(3):  # three changes saved before any was delivered
        redraw = Update(channel=card.channel, ts=card.ts, text=f"card v{n}", redraw=True)
        stash(workspace, {}, [redraw, Post(channel=workspace.channel, text=f"note {n}")])
    plain = Update(channel=card.channel, ts=card.ts, text="an edit that is not a redraw")
    stash(workspace, {}, [plain])
    clock.advance(outbox.GRACE + timedelta(seconds=1))
    assert drain(workspace.runtime, workspace.app.client) == 4  # every row is done
    updates = [call.args["text"] for call in workspace.fake.calls("chat.update")]
    assert updates == ["card v2", "an edit that is not a redraw"]
    notes = [
        m.text for m in workspace.fake.messages(workspace.channel) if m.text.startswith("note")
    ]
    assert notes == ["note 0", "note 1", "note 2"]  # only the redraws were coalesced
