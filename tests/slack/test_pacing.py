"""Sends are paced to Slack's per-channel rate, and a 429's Retry-After is honoured."""

from __future__ import annotations

from bot.core.pacing import ChannelPacer
from bot.devtools.workspace import Workspace
from bot.slack.delivery import Outcome, send_now
from bot.slack.replies import Post
from tests.helpers import CORA, MEG


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_one_channel_gets_a_message_a_second_and_other_channels_go_at_once() -> None:
    time = FakeTime()
    pacer = ChannelPacer(1.0, monotonic=time.monotonic, sleep=time.sleep)
    assert [pacer.wait("C1"), pacer.wait("C2"), pacer.wait("D3")] == [0, 0, 0]
    assert pacer.wait("C1") == 1.0  # the second message to C1 waits for its slot
    time.now += 5
    assert pacer.wait("C1") == 0  # a quiet channel sends straight away
    pacer.defer("C2", 30)  # Slack said Retry-After: 30
    assert pacer.wait("C2") == 30
    assert time.slept == [1.0, 30]


def test_a_zero_interval_never_waits() -> None:
    time = FakeTime()
    pacer = ChannelPacer(0, monotonic=time.monotonic, sleep=time.sleep)
    assert [pacer.wait("C1") for _ in range(5)] == [0] * 5 and time.slept == []


def burst(ws: Workspace) -> list[Post]:
    posts = [Post(channel=ws.channel, text=f"note {n}") for n in range(3)]
    return posts + [Post(channel=user, text="hello", open_dm=True) for user in (CORA, MEG)]


def test_paced_sends_to_a_rate_limited_slack_are_never_refused(workspace: Workspace) -> None:
    workspace.fake.limit_posts_per_channel(1.0)
    workspace.runtime.pacer.interval = 1.0
    delivery = send_now(workspace.runtime, workspace.app.client, burst(workspace))
    assert delivery is not None and delivery.outcome is Outcome.SENT
    calls = workspace.fake.calls("chat.postMessage")
    assert [call.status for call in calls] == [200] * 5
    texts = [m.text for m in workspace.fake.messages(workspace.channel)]
    assert texts == ["note 0", "note 1", "note 2"]


def test_unpaced_sends_are_refused_then_retried_after_retry_after_and_none_lost(
    workspace: Workspace,
) -> None:
    workspace.fake.limit_posts_per_channel(1.0)
    delivery = send_now(workspace.runtime, workspace.app.client, burst(workspace))
    assert delivery is not None and delivery.outcome is Outcome.SENT
    statuses = [call.status for call in workspace.fake.calls("chat.postMessage")]
    assert statuses.count(429) >= 2 and statuses.count(200) == 5
    texts = [m.text for m in workspace.fake.messages(workspace.channel)]
    assert texts == ["note 0", "note 1", "note 2"]


def test_retry_after_is_read_whatever_its_case_or_shape() -> None:
    from bot.slack.sending import retry_after_seconds

    assert retry_after_seconds({"Retry-After": "30"}) == 30
    assert retry_after_seconds({"retry-after": ["5"]}) == 5
    assert retry_after_seconds({}) == 1.0 and retry_after_seconds({"Retry-After": "soon"}) == 1.0
