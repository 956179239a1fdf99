"""The digest sweep: post every digest that is due today and not yet posted, exactly once.

Run at start-up and every minute by the scheduler of each process (and by ``python -m bot
digest`` from cron). Processes never coordinate with each other: each sweep asks the
database for a claim before posting (``bot.digests.claims``), so any number of
them, and any number of restarts, give one post per schedule per local day. A process that
was down at 09:00 and is back at 09:30 finds the 09:00 digest due and unposted, and posts it.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from slack_sdk import WebClient

from bot.digests import claims
from bot.digests.content import DigestContent, build_digest, build_personal
from bot.digests.messages import channel_digest, personal_digest
from bot.digests.service import (
    enabled_schedules,
    get_schedule,
    is_due,
    local_now,
    personal_due,
    subscribers,
)
from bot.runtime import Runtime
from bot.scheduler.client import Outcome, classify
from bot.slack.limits import check_message
from bot.storage.digest_models import DigestSchedule

logger = logging.getLogger("sleeve.digests")
EVENT_TYPE = "sleeve_digest"


def worker_name() -> str:
    """Who holds a claim: host, process and a random part (pids repeat across containers)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"


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


@dataclass(frozen=True)
class _Message:
    channel: str  # a channel id, or a user id whose DM is opened first
    text: str
    blocks: list[dict[str, Any]]
    label: str  # for logs and the report


class DigestSweeper:
    def __init__(
        self,
        runtime: Runtime,
        client: WebClient,
        *,
        worker: str | None = None,
        lease: timedelta = claims.DEFAULT_LEASE,
    ) -> None:
        self.runtime = runtime
        self.client = client
        self.worker = worker or worker_name()
        self.lease = lease

    def run(self, *, channel_id: str | None = None) -> SweepReport:
        """Post what is due; ``channel_id`` limits it to that channel (no personal digests)."""
        db, now, report = self.runtime.db, self.runtime.now(), SweepReport()
        personal_day = None if channel_id else personal_due(self.runtime.settings.timezone, now)
        with db.read() as session:
            due = [
                (schedule, day)
                for schedule in enabled_schedules(session, channel_id)
                if (day := is_due(schedule.local_time, schedule.timezone, schedule.days, now))
            ]
            dates = {day for _, day in due} | ({personal_day} if personal_day else set())
            blocked = claims.unavailable(session, dates=dates, now=now)
            people = subscribers(session) if personal_day else []
        contents: dict[date, DigestContent] = {}
        for schedule, day in due:
            if (schedule.id, None, day) not in blocked:
                self._channel(schedule, day, contents, report)
        if personal_day:
            waiting = [u for u in people if (None, u, personal_day) not in blocked]
            self._personal(waiting, personal_day, report)
        return report

    def _channel(
        self,
        schedule: DigestSchedule,
        day: date,
        contents: dict[date, DigestContent],
        report: SweepReport,
    ) -> None:
        target = claims.Target(schedule_id=schedule.id)
        held = self._claim(target, day)
        if held is None:
            return
        if day not in contents:  # several channels on one local day share the content
            with self.runtime.db.read() as session:
                contents[day] = build_digest(session, day=day, now=self.runtime.now())
        text, blocks = channel_digest(contents[day])
        label = f"{schedule.channel_id} {day.isoformat()}"
        self._deliver(held, _Message(schedule.channel_id, text, blocks, label), report)

    def _personal(self, user_ids: list[str], day: date, report: SweepReport) -> None:
        if not user_ids:
            return
        with self.runtime.db.read() as session:
            digests = build_personal(session, user_ids=user_ids, day=day)
        for digest in digests:
            held = self._claim(claims.Target(user_id=digest.user_id), day)
            if held is not None:
                text, blocks = personal_digest(digest)
                label = f"DM {digest.user_id} {day.isoformat()}"
                self._deliver(held, _Message(digest.user_id, text, blocks, label), report)

    def _claim(self, target: claims.Target, day: date) -> claims.Claim | None:
        now = self.runtime.now()
        return claims.claim(
            self.runtime.db,
            target=target,
            local_date=day,
            worker=self.worker,
            now=now,
            lease=self.lease,
        )

    def _deliver(self, held: claims.Claim, message: _Message, report: SweepReport) -> None:
        db = self.runtime.db
        try:
            check_message(text=message.text, blocks=message.blocks)
            channel = self._open(message.channel) if held.target.user_id else message.channel
        except Exception as exc:
            self._failed(held, message, exc, report, sent=False)
            return
        if not claims.mark_sending(db, held, channel_id=channel, now=self.runtime.now()):
            logger.info("digest %s: the claim was taken over; not posting", message.label)
            return
        try:
            ts = self._post(channel, message, held)
        except Exception as exc:
            self._failed(held, message, exc, report, sent=True)
            return
        claims.mark_posted(db, held, channel_id=channel, ts=ts, now=self.runtime.now())
        report.posted.append(f"{message.label} ts {ts}")

    def _open(self, user_id: str) -> str:
        return str(self.client.conversations_open(users=user_id)["channel"]["id"])

    def _post(self, channel: str, message: _Message, held: claims.Claim | None) -> str:
        payload: dict[str, Any] = {"kind": "forced"}
        if held is not None:
            payload = {
                "kind": "personal" if held.target.user_id else "channel",
                "claim_id": held.id,
                "local_date": held.local_date.isoformat(),
            }
        response = self.client.chat_postMessage(
            channel=channel,
            text=message.text,
            blocks=message.blocks,
            # A marker to look for in the channel's history if an outcome is ever in doubt.
            metadata={"event_type": EVENT_TYPE, "event_payload": payload},
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(response["ts"])

    def _failed(
        self,
        held: claims.Claim,
        message: _Message,
        exc: Exception,
        report: SweepReport,
        *,
        sent: bool,
    ) -> None:
        db, now = self.runtime.db, self.runtime.now()
        outcome, reason = classify(exc)
        if not sent:  # a failure before chat.postMessage (limits, opening the DM) posted nothing
            outcome = Outcome.FAILED
        if outcome is Outcome.UNCERTAIN:
            claims.mark_uncertain(db, held, error=reason)
            remedy = (
                f"if it is missing, post it with `python -m bot digest --channel "
                f"{message.channel} --force`"
                if held.target.schedule_id is not None
                else "a personal digest is not sent twice"
            )
            logger.error(
                "digest %s: Slack may or may not have posted it (%s); it will not be posted "
                "again on its own. Check the conversation; %s.",
                message.label,
                reason,
                remedy,
            )
            report.uncertain.append(f"{message.label}: {reason}")
            return
        retry_at = claims.release(db, held, error=reason, now=now)
        logger.warning("digest %s failed (%s); retrying after %s", message.label, reason, retry_at)
        report.failed.append(f"{message.label}: {reason}")

    def force(self, channel_id: str, *, requested_by: str = "cli") -> SweepReport:
        """Post the channel's digest now, even if today's went out (``digest --force``).

        When today's scheduled digest is due and unposted, this posts it (it then counts as
        today's); otherwise it posts a deliberate extra one, recorded as such.
        """
        report = self.run(channel_id=channel_id)
        if report.posted:
            return report
        db, now = self.runtime.db, self.runtime.now()
        with db.write() as session:
            schedule = get_schedule(session, channel_id)
            tz = schedule.timezone if schedule else self.runtime.settings.timezone
            day = local_now(now, tz).date()
            extra = claims.record_extra(
                session,
                channel_id=channel_id,
                local_date=day,
                reason="forced",
                requested_by=requested_by,
                now=now,
            )
            text, blocks = channel_digest(build_digest(session, day=day, now=now))
        label = f"{channel_id} {day.isoformat()} (forced)"
        try:
            check_message(text=text, blocks=blocks)
            ts = self._post(channel_id, _Message(channel_id, text, blocks, label), None)
        except Exception as exc:
            _outcome, reason = classify(exc)
            report.failed.append(f"{label}: {reason}")
            return report
        with db.write() as session:
            claims.record_extra_ts(session, extra.id, channel_id, ts)
        report.posted.append(f"{label} ts {ts}")
        return report


def sweep_now(runtime: Runtime, client: WebClient | None = None) -> SweepReport:
    """One sweep with a fresh digest client (the shell runs this after moving the clock)."""
    from bot.scheduler.client import make_digest_client

    return DigestSweeper(runtime, client or make_digest_client(runtime.settings)).run()
