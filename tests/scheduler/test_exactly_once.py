"""One digest per schedule per local day: restarts, takeovers, Slack errors, DST, weekdays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler
from sqlalchemy import select

from bot.core.clock import FixedClock
from bot.devtools.workspace import Workspace
from bot.digests.content import build_digest
from bot.digests.outgoing import channel_key, channel_post
from bot.slack import outbox
from bot.slack.delivery import hold
from bot.storage.digest_models import DigestExtraPost
from bot.storage.outbox_models import OutboxEntry
from tests.conftest import TODAY
from tests.digest_support import (
    FAST_RETRY,
    LEGAL,
    add_assets,
    add_channel,
    digest_rows,
    digests,
    sweeper,
)
from tests.helpers import CORA, MEG, SAM, ack


def at(clock: FixedClock, *args: int) -> None:
    clock.set(datetime(*args, tzinfo=UTC))


def schedule(ws: Workspace, text: str = "09:00") -> None:
    assert "cheduled" in ack(ws.command(CORA, "/digest", f"schedule {text}"))["text"]


def lose_the_answer(ws: Workspace, method: str = "chat.postMessage") -> None:
    """The next call is carried out, then the connection drops before Slack answers."""
    state = ws.fake.state
    original = state.handlers[method]

    def once(args: dict) -> dict:  # type: ignore[type-arg]
        state.handlers[method] = original
        original(args)
        raise ConnectionResetError("the answer was lost")

    state.handlers[method] = once


def test_down_across_0900_and_back_at_0930_posts_once(
    workspace: Workspace, clock: FixedClock
) -> None:
    at(clock, 2026, 11, 26, 8, 59)  # London is on UTC in November
    schedule(workspace)
    assert not sweeper(workspace).run().posted
    at(clock, 2026, 11, 26, 9, 30)  # the process comes back
    assert sweeper(workspace).run().posted
    for _minute in range(3):  # every later sweep, by any process, finds it done
        clock.advance(timedelta(minutes=1))
        assert sweeper(workspace).run().lines() == []
    assert len(digests(workspace, workspace.channel)) == 1
    at(clock, 2026, 11, 27, 9, 0)
    assert sweeper(workspace).run().posted
    (first, second) = digest_rows(workspace)
    assert (first.key, second.key) == (channel_key(1, TODAY), channel_key(1, TODAY + timedelta(1)))
    assert first.posted["0"] == digests(workspace)[0].ts and first.sent_at is not None


def test_a_digest_whose_sender_died_before_posting_is_taken_over_after_the_lease(
    workspace: Workspace, clock: FixedClock
) -> None:
    schedule(workspace)
    assert digest_rows(workspace) == []
    key = channel_key(1, TODAY)
    with workspace.runtime.db.write() as session:  # a process saves it, then dies
        content = build_digest(session, day=TODAY, now=clock.now())
        held = hold(
            workspace.runtime, session, [channel_post(workspace.channel, content, key=key)], key=key
        )
        assert held.entry_id is not None
        session.get_one(OutboxEntry, held.entry_id).claimed_by = "dead-process"
    alive = sweeper(workspace)
    assert alive.run().lines() == []  # the lease still runs, and the day's key is taken
    clock.advance(outbox.LEASE + timedelta(seconds=1))
    assert alive.run().posted
    assert alive.run().lines() == []
    (row,) = digest_rows(workspace)
    assert (row.attempts, row.claimed_by, row.key) == (2, outbox.WORKER, key)
    assert len(digests(workspace)) == 1
    # A process that wakes up after the takeover is fenced off: the row is sent.
    with workspace.runtime.db.write() as session:
        assert not outbox.mark_sending(session, row.id, now=clock.now())


def test_slack_errors_are_retried_and_a_claim_is_released_after_the_last_retry(
    workspace: Workspace, clock: FixedClock
) -> None:
    schedule(workspace)
    workspace.fake.fail_next("chat.postMessage", status=429, retry_after=0)
    assert sweeper(workspace).run().posted  # Retry-After honoured, then one post
    calls = workspace.fake.calls("chat.postMessage")
    assert [call.status for call in calls] == [429, 200]
    clock.advance(timedelta(days=1))
    workspace.fake.fail_next("chat.postMessage", status=503, times=4)  # 1 try + 3 retries
    report = sweeper(workspace).run()
    assert report.failed and "HTTP 503" in report.failed[0]
    today = digest_rows(workspace)[-1]
    assert (today.claimed_by, today.sending_at, today.sent_at) == (None, None, None)
    assert sweeper(workspace).run().lines() == []  # backs off before trying again
    clock.advance(outbox.RETRY_STEP)
    assert sweeper(workspace).run().posted
    assert len(digests(workspace)) == 2  # one a day


def test_a_dropped_connection_never_leads_to_a_second_post(
    workspace: Workspace, clock: FixedClock
) -> None:
    schedule(workspace)
    lose_the_answer(workspace)
    report = sweeper(workspace).run()
    assert report.uncertain and not report.posted
    for _minute in range(3):  # past the lease too: a doubtful post is never repeated
        clock.advance(timedelta(minutes=1))
        assert sweeper(workspace).run().lines() == []
    assert len(digests(workspace)) == 1  # Slack had it; nobody posted it again
    since = clock.now() - timedelta(days=1)
    with workspace.runtime.db.read() as session:
        (stuck,) = outbox.uncertain(session, since=since, now=clock.now())
    assert stuck.key == channel_key(1, TODAY) and stuck.last_error.startswith("uncertain")
    # A request lost on its way is not known to be lost either: reported, never repeated,
    # and posted on purpose with --force.
    clock.advance(timedelta(days=1))
    workspace.fake.drop_connection_next("chat.postMessage")
    assert sweeper(workspace).run().uncertain
    assert len(digests(workspace)) == 1
    report = sweeper(workspace).force(workspace.channel)
    assert report.posted and "(forced)" in report.posted[0]
    forced = digests(workspace)[-1]
    with workspace.runtime.db.read() as session:
        (extra,) = session.scalars(select(DigestExtraPost))
    assert (extra.reason, extra.requested_by, extra.message_ts) == ("forced", "cli", forced.ts)
    # slack_sdk's default connection retry would have sent it again.
    lose_the_answer(workspace)
    default_retry = ConnectionErrorRetryHandler(interval_calculator=FAST_RETRY)
    plain = WebClient(
        token=workspace.fake.bot_token,
        base_url=workspace.fake.api_url,
        retry_handlers=[default_retry],
    )
    plain.chat_postMessage(channel=workspace.channel, text="resent")
    assert len([m for m in workspace.fake.messages() if m.text == "resent"]) == 2


def test_0900_london_posts_at_0900_local_across_the_march_change_and_weekdays_skip_weekends(
    workspace: Workspace, clock: FixedClock
) -> None:
    at(clock, 2027, 3, 26, 12, 0)  # a Friday, after 09:00
    schedule(workspace, "09:00 tz:Europe/London days:weekdays")
    legal = add_channel(workspace)
    schedule(workspace, f"09:00 tz:Europe/London days:daily channel:{legal}")
    expected = [
        ((26, 12, 0), {workspace.channel, LEGAL}),
        ((27, 8, 59), set()),  # Saturday, before the change: 09:00 GMT is 09:00 UTC
        ((27, 9, 0), {LEGAL}),
        ((28, 12, 0), {LEGAL}),  # Sunday: the clocks go forward at 01:00 UTC
        ((29, 7, 59), set()),  # Monday 08:59 BST
        ((29, 8, 0), {workspace.channel, LEGAL}),  # Monday 09:00 BST
    ]
    for (day, hour, minute), channels in expected:
        at(clock, 2027, 3, day, hour, minute)
        posted = {line.split()[0] for line in sweeper(workspace).run().posted}
        assert posted == channels, (day, hour, minute)


def test_personal_digests_go_once_a_day_to_people_with_late_or_due_items(
    workspace: Workspace, clock: FixedClock
) -> None:
    add_assets(
        workspace,
        {"title": "Late poster", "due": TODAY - timedelta(days=2), "owner_id": CORA},
        {"title": "Booklet", "due": TODAY + timedelta(days=2), "owner_id": MEG},
        {"title": "Far off", "due": TODAY + timedelta(days=30), "owner_id": SAM},
    )
    for user in (CORA, MEG, SAM):
        workspace.command(user, "/digest", "me on")
    first, second = sweeper(workspace), sweeper(workspace)
    assert len(first.run().posted) == 2 and second.run().lines() == []
    dms = {workspace.fake.dm_channel(user): user for user in (CORA, MEG)}
    sent = digests(workspace)
    assert sorted(m.channel for m in sent) == sorted(dms)
    assert all(m.metadata["event_payload"]["kind"] == "personal" for m in sent)
    assert "Late poster" in str(sent[0].blocks) or "Late poster" in str(sent[1].blocks)
    assert len(workspace.fake.calls("conversations.open")) == 2
    workspace.command(MEG, "/digest", "me off")
    clock.advance(timedelta(days=1))
    assert [line.split()[1] for line in first.run().posted] == [CORA]
