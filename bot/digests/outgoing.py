"""A digest as an outbox message: its key, which keeps it to one a day, and its marker.

A channel's digest is keyed by schedule and local date, a personal one by person and local
date; the outbox saves a key once, so any number of processes sweeping at the same minute
send one digest. Each is posted with message metadata naming it, so a doubtful post can be
found in the conversation's history.
"""

from __future__ import annotations

from datetime import date

from bot.digests.content import DigestContent, PersonalDigest
from bot.digests.messages import channel_digest, personal_digest
from bot.digests.service import record_extra_ts
from bot.runtime import Recorder
from bot.slack.replies import Post

EVENT_TYPE = "sleeve_digest"
KEY_PREFIX = "digest:"
# Stores the ts of a deliberate extra digest (`/digest now`, `digest --force`) once posted.
RECORD_EXTRA = "digest_extra"
RECORDERS: dict[str, Recorder] = {RECORD_EXTRA: record_extra_ts}


def channel_key(schedule_id: int, day: date) -> str:
    return f"{KEY_PREFIX}{day.isoformat()}:channel:{schedule_id}"


def personal_key(user_id: str, day: date) -> str:
    return f"{KEY_PREFIX}{day.isoformat()}:dm:{user_id}"


def channel_post(channel_id: str, content: DigestContent, *, key: str | None) -> Post:
    """The channel's digest; without a key, a deliberate extra one (`--force`, `/digest now`)."""
    text, blocks = channel_digest(content)
    kind = "channel" if key else "forced"
    return Post(
        channel=channel_id,
        text=text,
        blocks=blocks,
        metadata=_marker(kind, key, content.day),
        once=key is not None,
    )


def personal_post(digest: PersonalDigest, day: date) -> Post:
    text, blocks = personal_digest(digest)
    key = personal_key(digest.user_id, day)
    return Post(
        channel=digest.user_id,
        text=text,
        blocks=blocks,
        metadata=_marker("personal", key, day),
        open_dm=True,
        once=True,
    )


def _marker(kind: str, key: str | None, day: date) -> dict[str, object]:
    payload = {"kind": kind, "local_date": day.isoformat()} | ({"key": key} if key else {})
    return {"event_type": EVENT_TYPE, "event_payload": payload}
