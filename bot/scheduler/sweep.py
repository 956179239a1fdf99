"""The digest sweep: save every digest that is due today as an outbox row, and send it.

Run at start-up and every minute by the scheduler of each process (and by ``python -m bot
digest`` from cron). Processes never coordinate with each other: a digest is an outbox row
with a key per schedule (or person) and local date (``bot.digests.outgoing``), saved at most
once, so any number of them, and any number of restarts, give one post per schedule per
local day. A process that was down at 09:00 and is back at 09:30 finds the 09:00 digest due
and unsaved, and posts it. The sweep also sends rows other processes left behind (they died,
or Slack was down), with the outbox's back-off; a digest whose post may or may not have
reached Slack is never posted again on its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from slack_sdk import WebClient

from bot.digests.content import DigestContent, build_digest, build_personal
from bot.digests.outgoing import (
    KEY_PREFIX,
    RECORD_EXTRA,
    RECORDERS,
    channel_key,
    channel_post,
    personal_key,
    personal_post,
)
from bot.digests.service import (
    enabled_schedules,
    get_schedule,
    is_due,
    local_now,
    personal_due,
    record_extra,
    subscribers,
)
from bot.runtime import Runtime
from bot.slack import outbox
from bot.slack.delivery import Delivery, Outcome, deliver_entry, hold, send_held
from bot.slack.limits import BlockKitLimitError, check_message
from bot.slack.replies import Post

logger = logging.getLogger("sleeve.digests")


@dataclass
class SweepReport:
    posted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            *(f"posted {line}" for line in self.posted),
            *(f"failed {line}" for line in self.failed),
            *(f"uncertain {line}" for line in self.uncertain),
        ]

    def add(self, label: str, delivery: Delivery) -> None:
        if delivery.outcome is Outcome.UNCERTAIN:
            self.uncertain.append(f"{label}: {'; '.join(delivery.errors)}")
        elif delivery.outcome is Outcome.PAUSED or delivery.errors:
            self.failed.append(f"{label}: {'; '.join(delivery.errors)}")
        elif delivery.outcome is Outcome.SENT:
            self.posted.append(f"{label} ts {delivery.posted.get('0', '?')}")


class DigestSweeper:
    def __init__(self, runtime: Runtime, client: WebClient) -> None:
        self.runtime = runtime
        self.client = client
        runtime.recorders.update(RECORDERS)  # the CLI runs sweeps without the app

    def run(self, *, channel_id: str | None = None) -> SweepReport:
        """Post what is due; ``channel_id`` limits it to that channel (no personal digests)."""
        now, report = self.runtime.now(), SweepReport()
        personal_day = None if channel_id else personal_due(self.runtime.settings.timezone, now)
        with self.runtime.db.read() as session:
            due = [
                (schedule.id, schedule.channel_id, day)
                for schedule in enabled_schedules(session, channel_id)
                if (day := is_due(schedule.local_time, schedule.timezone, schedule.days, now))
            ]
            people = subscribers(session) if personal_day else []
            keys = [channel_key(schedule_id, day) for schedule_id, _, day in due]
            if personal_day:
                keys += [personal_key(user_id, personal_day) for user_id in people]
            saved = outbox.saved_keys(session, keys)
        contents: dict[date, DigestContent] = {}
        for schedule_id, channel, day in due:
            if channel_key(schedule_id, day) not in saved:
                self._channel(schedule_id, channel, day, contents, report)
        if personal_day:
            waiting = [u for u in people if personal_key(u, personal_day) not in saved]
            self._personal(waiting, personal_day, report)
        self._take_over(report)
        return report

    def _channel(
        self,
        schedule_id: int,
        channel: str,
        day: date,
        contents: dict[date, DigestContent],
        report: SweepReport,
    ) -> None:
        if day not in contents:  # several channels on one local day share the content
            with self.runtime.db.read() as session:
                contents[day] = build_digest(
                    session, day=day, now=self.runtime.now(), stage_days=self.runtime.stage_days
                )
        key = channel_key(schedule_id, day)
        post = channel_post(channel, contents[day], key=key)
        self._send(post, key, f"{channel} {day.isoformat()}", report)

    def _personal(self, user_ids: list[str], day: date, report: SweepReport) -> None:
        if not user_ids:
            return
        with self.runtime.db.read() as session:
            # Purchasers' DMs also list unpaid invoices past due (never the channel's digest).
            digests = build_personal(
                session,
                user_ids=user_ids,
                day=day,
                stage_days=self.runtime.stage_days,
                invoices=True,
                conditions=True,
            )
        for digest in digests:
            post = personal_post(digest, day)
            key = personal_key(digest.user_id, day)
            self._send(post, key, f"DM {digest.user_id} {day.isoformat()}", report)

    def _send(self, post: Post, key: str | None, label: str, report: SweepReport) -> None:
        try:
            check_message(text=post.text, blocks=post.blocks)
        except BlockKitLimitError as exc:
            logger.error("digest %s does not fit in a message: %s", label, exc)
            report.failed.append(f"{label}: {exc}")
            return
        with self.runtime.db.write() as session:
            held = hold(self.runtime, session, [post], key=key)
        if held.entry_id is None:
            return  # another process saved it first: it sends it
        report.add(label, send_held(self.runtime, self.client, held))

    def _take_over(self, report: SweepReport) -> None:
        """Send the digests other processes left: their lease ran out, or their back-off
        passed. (Other outbox rows are the running app's to drain: it has their recorders.)"""
        with self.runtime.db.read() as session:
            due = outbox.due(session, now=self.runtime.now(), key_prefix=KEY_PREFIX)
        for entry_id, key in due:
            delivery = deliver_entry(self.runtime, self.client, entry_id, None)
            if key is not None and delivery.outcome is not Outcome.NOT_MINE:
                report.add(_label(key), delivery)

    def force(self, channel_id: str, *, requested_by: str = "cli") -> SweepReport:
        """Post the channel's digest now, even if today's went out (``digest --force``).

        When today's scheduled digest is due and unposted, this posts it (it then counts as
        today's); otherwise it posts a deliberate extra one, recorded as such.
        """
        report = self.run(channel_id=channel_id)
        if report.posted:
            return report
        now = self.runtime.now()
        with self.runtime.db.write() as session:
            schedule = get_schedule(session, channel_id)
            tz = schedule.timezone if schedule else self.runtime.settings.timezone
            day = local_now(now, tz).date()
            extra = record_extra(
                session,
                channel_id=channel_id,
                local_date=day,
                reason="forced",
                requested_by=requested_by,
                now=now,
            )
            post = channel_post(
                channel_id,
                build_digest(session, day=day, now=now, stage_days=self.runtime.stage_days),
                key=None,
            )
        post = post.model_copy(update={"record": RECORD_EXTRA, "record_id": extra.id})
        self._send(post, None, f"{channel_id} {day.isoformat()} (forced)", report)
        return report


def _label(key: str) -> str:
    """``digest:2026-11-26:channel:3`` → ``schedule 3 2026-11-26``; DMs as ``DM U… date``."""
    _, day, kind, target = key.split(":", 3)
    return f"DM {target} {day}" if kind == "dm" else f"schedule {target} {day}"


def uncertain_lines(runtime: Runtime) -> list[str]:
    """Digests of yesterday or today whose post may or may not have reached Slack."""
    since = runtime.now() - timedelta(days=2)
    with runtime.db.read() as session:
        stuck = outbox.uncertain(session, since=since, now=runtime.now())
    return [
        f"check {_label(row.key)}: {row.last_error or 'sending'} — Slack may have it; "
        "if not, post it with --force"
        for row in stuck
        if row.key is not None and row.key.startswith(KEY_PREFIX)
    ]


def sweep_now(runtime: Runtime, client: WebClient) -> SweepReport:
    """One sweep (the shell runs this after moving the clock)."""
    return DigestSweeper(runtime, client).run()
