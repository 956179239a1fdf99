"""/digest through signed requests: who may do what, and every mistake answered clearly."""

from __future__ import annotations

from datetime import time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.devtools.workspace import Workspace
from bot.storage.digest_models import DigestExtraPost, DigestSchedule, DigestSubscriber
from tests.conftest import TODAY
from tests.digest_support import add_assets, add_channel, digest_rows, sweeper
from tests.helpers import CORA, MIA, SAM, ack, ack_text, assert_pings_no_one


def schedules(ws: Workspace) -> list[DigestSchedule]:
    with ws.runtime.db.read() as session:
        return list(session.scalars(select(DigestSchedule).order_by(DigestSchedule.id)))


def test_coordinators_schedule_one_digest_per_channel_and_scheduling_again_updates_it(
    workspace: Workspace,
) -> None:
    text = ack(workspace.command(CORA, "/digest", "schedule 09:00"))["text"]
    assert text.startswith("Scheduled. The digest for <#C0PRODUCTION> posts at 09:00")
    assert "Europe/London every day; next on Fri 27 Nov at 09:00" in text  # 10:00 now
    text = ack_text(workspace.command(CORA, "/digest", "schedule 8:30 days:weekdays"))
    assert text.startswith("Updated.") and "08:30 Europe/London on weekdays" in text
    ack(workspace.command(CORA, "/digest", "schedule 07:15 tz:America/New_York"))
    legal = add_channel(workspace)
    ack(workspace.command(CORA, "/digest", f"schedule 17:00 channel:{legal} tz:Asia/Tokyo"))
    (production, other) = schedules(workspace)
    assert (production.channel_id, production.local_time) == ("C0PRODUCTION", time(7, 15))
    assert (production.timezone, production.days) == ("America/New_York", "weekdays")
    assert (other.channel_id, other.timezone, other.days) == ("C0LEGAL", "Asia/Tokyo", "daily")
    # off stops a channel's digest; scheduling again turns the same row back on.
    text = ack_text(workspace.command(CORA, "/digest", f"off channel:{legal}"))
    assert "The digest for <#C0LEGAL> is off" in text
    again = ack_text(workspace.command(CORA, "/digest", f"off channel:{legal}"))
    assert "<#C0LEGAL> has no digest scheduled" in again
    assert sweeper(workspace).run().posted == []  # production's 07:15 New York is hours away
    ack(workspace.command(CORA, "/digest", f"schedule 09:00 channel:{legal}"))
    assert len(schedules(workspace)) == 2
    assert [line.split()[0] for line in sweeper(workspace).run().posted] == ["C0LEGAL"]


MISTAKES = [
    ("schedule 25:00", "`time` should be a 24-hour time like 09:00 or 17:30 (got `25:00`)."),
    ("schedule 9am", "`time` should be a 24-hour time"),
    ("schedule", "When? Usage: `/digest schedule 09:00"),
    ("schedule 09:00 tz:Mars/Olympus", "`tz:` should be an IANA time zone like Europe/London"),
    ("schedule 09:00 days:weekends", "`days:` is weekdays or daily (got `weekends`)."),
    ("schedule 09:00 at:noon", "doesn't take `at:`"),
    ("schedule 09:00 channel:#nowhere", "I don't know #nowhere"),
    ("off extra", "doesn't take `extra`"),
    ("me maybe", "On or off? Usage: `/digest me on|off`"),
    ("sched 09:00", "Did you mean `/digest schedule`?"),
]


def test_mistakes_are_explained_and_change_nothing(workspace: Workspace) -> None:
    for text, expected in MISTAKES:
        assert expected in ack_text(workspace.command(CORA, "/digest", text)), text
    assert schedules(workspace) == []


def test_only_coordinators_configure_and_post_anyone_previews_and_sets_their_own(
    workspace: Workspace,
) -> None:
    for text in ("schedule 09:00", "off", "now"):
        refused = ack_text(workspace.command(SAM, "/digest", text))
        assert "Only coordinators can" in refused and "/dept show coordinators" in refused
    assert schedules(workspace) == [] and workspace.fake.messages() == []
    add_assets(workspace, {"title": "Late poster", "due": TODAY - timedelta(days=3)})
    body = ack(workspace.command(SAM, "/digest", "preview"))
    assert "Late poster" in str(body["blocks"]) and "*3 days late*" in str(body["blocks"])
    assert "No digest is scheduled in <#C0PRODUCTION>" in str(body["blocks"])
    assert workspace.fake.messages() == []  # a preview is only for the one who asked
    ack(workspace.command(CORA, "/digest", "schedule 09:00"))
    assert "posts at 09:00 Europe/London" in str(ack(workspace.command(MIA, "/digest", "preview")))
    # Anyone turns their own personal digest on and off.
    text = ack_text(workspace.command(SAM, "/digest", "me on"))
    assert "your own digest by DM at 09:00 (Europe/London) on weekdays" in text
    ack(workspace.command(MIA, "/digest", "me ON"))
    assert "is off" in ack_text(workspace.command(MIA, "/digest", "me off"))
    with workspace.runtime.db.read() as session:
        rows = {row.user_id: row.enabled for row in session.scalars(select(DigestSubscriber))}
    assert rows == {SAM: True, MIA: False}


def test_now_posts_an_extra_digest_and_the_scheduled_one_still_goes(
    workspace: Workspace,
) -> None:
    legal = add_channel(workspace)
    text = ack_text(workspace.command(CORA, "/digest", f"now channel:{legal}"))
    assert "Posting the digest to <#C0LEGAL>" in text
    (posted,) = workspace.fake.messages("C0LEGAL")
    assert posted.text.startswith("Production digest for Thu 26 Nov")
    with workspace.runtime.db.read() as session:
        (extra,) = session.scalars(select(DigestExtraPost))
    assert (extra.reason, extra.requested_by, extra.message_ts) == ("now", CORA, posted.ts)
    ack(workspace.command(CORA, "/digest", f"schedule 09:00 channel:{legal}"))
    assert sweeper(workspace).run().posted and len(digest_rows(workspace)) == 1


WORDS = st.sampled_from(
    [
        "09:00",
        "9:5",
        "24:00",
        "tz:Europe/London",
        "tz:europe/paris",
        "tz:../../etc/passwd",
        "tz:",
        "days:weekdays",
        "days:Daily",
        "days:sometimes",
        "channel:<#C0PRODUCTION|production>",
        "channel:<#C0GONE|gone>",
        "channel:#nowhere",
        "on",
        "OFF",
        "maybe",
        "<!channel>",
        "&lt;@U0CORA&gt;",
        "“quoted”",
        '"open',
        "\x00",
        "🎛️",
    ]
)
VERBS = st.sampled_from(["schedule", "off", "now", "preview", "me", "help", "sched"])


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    verb=VERBS,
    words=st.lists(WORDS, max_size=4),
    user=st.sampled_from([CORA, MIA, SAM]),
)
def test_any_digest_text_gets_a_clear_answer(
    workspace: Workspace, verb: str, words: list[str], user: str
) -> None:
    response = workspace.driver.command(
        user, "/digest", " ".join([verb, *words]), channel_id=workspace.channel
    )
    assert response.status == 200
    shown = ack(response).get("text", "")
    assert shown and "Traceback" not in shown and "reference ERR-" not in shown, shown
    assert_pings_no_one(shown, None)


def test_settings_lists_every_schedule_and_your_own(workspace: Workspace) -> None:
    empty = ack_text(workspace.command(SAM, "/digest", "settings"))
    assert "No channel has a digest yet" in empty and "`/digest me on`" in empty
    ack(workspace.command(CORA, "/digest", "schedule 09:00 days:weekdays"))
    ack(workspace.command(SAM, "/digest", "me on"))
    shown = ack_text(workspace.command(SAM, "/digest", "settings"))
    assert "The digest for <#C0PRODUCTION> posts at 09:00" in shown and "on weekdays" in shown
    assert "You get your own digest by DM at 09:00" in shown
