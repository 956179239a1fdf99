"""Each person's calendar feed secret: issued, rotated and looked up.

The secret in a feed URL is derived, not stored: HMAC-SHA256 of the person and a random
nonce, under a key made from the Slack signing secret (which the database never holds).
The database keeps the nonce and the secret's SHA-256: a copy of it gives no working URL,
yet `/digest calendar` can show the same URL again. A feed is found by the hash of the
secret presented, so a guess learns nothing from how long the answer takes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.core.settings import Settings
from bot.storage.calendar_models import CalendarFeed

PATH_PREFIX = "/calendar/"
PATH_SUFFIX = ".ics"
# base64url of a SHA-256 digest, without padding: what a well-formed secret looks like.
_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")
# Binds the derived key to this one use of the signing secret.
_CONTEXT = b"sleeve calendar feeds v1"


class Issued(StrEnum):
    NEW = "new"  # the first time the person asked
    SAME = "same"  # the URL they already have
    REPLACED = "replaced"  # the key changed since (a new signing secret): a new URL


@dataclass(frozen=True)
class Feed:
    secret: str
    issued: Issued


def feed_key(settings: Settings) -> bytes:
    """The key feed secrets are derived with; a new signing secret gives every feed a new
    URL the next time its person asks (the old ones keep working until then)."""
    settings.require("slack_signing_secret")
    signing = settings.slack_signing_secret.get_secret_value().encode()  # type: ignore[union-attr]
    return hmac.new(signing, _CONTEXT, hashlib.sha256).digest()


def feed_url(public_url: str, secret: str) -> str:
    return f"{public_url}{PATH_PREFIX}{secret}{PATH_SUFFIX}"


def secret_from_path(path: str) -> str | None:
    """The secret of ``/calendar/<secret>.ics``, or None for any other shape."""
    if not (path.startswith(PATH_PREFIX) and path.endswith(PATH_SUFFIX)):
        return None
    secret = path[len(PATH_PREFIX) : -len(PATH_SUFFIX)]
    return secret if _SECRET.fullmatch(secret) else None


def secret_hash(secret: str) -> str:
    # The secret carries 256 random bits: a fast hash is enough, no salt or stretching needed.
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def _derive(key: bytes, user_id: str, nonce: str) -> str:
    digest = hmac.new(key, f"{user_id}\0{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _find(session: Session, user_id: str) -> CalendarFeed | None:
    query = select(CalendarFeed).where(CalendarFeed.user_id == user_id)
    return session.scalar(query.execution_options(populate_existing=True))


def _insert(session: Session) -> postgresql.Insert | sqlite.Insert:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(CalendarFeed)


def current(session: Session, *, user_id: str, key: bytes, now: datetime) -> Feed:
    """The person's feed secret, made the first time they ask."""
    nonce = secrets.token_hex(16)
    fresh = _derive(key, user_id, nonce)
    values = {"nonce": nonce, "secret_hash": secret_hash(fresh), "issued_at": now}
    # Insert-or-keep, so two first requests at once can't collide: both see one row.
    session.execute(
        _insert(session)
        .values(user_id=user_id, created_at=now, **values)
        .on_conflict_do_nothing(index_elements=["user_id"])
    )
    feed = _find(session, user_id)
    assert feed is not None  # inserted, or already there
    if feed.nonce == nonce:
        return Feed(fresh, Issued.NEW)
    secret = _derive(key, user_id, feed.nonce)
    if hmac.compare_digest(secret_hash(secret), feed.secret_hash):
        return Feed(secret, Issued.SAME)
    return Feed(rotate(session, user_id=user_id, key=key, now=now), Issued.REPLACED)


def rotate(session: Session, *, user_id: str, key: bytes, now: datetime) -> str:
    """A new secret for the person; the old URL stops working at once (its hash is gone)."""
    nonce = secrets.token_hex(16)
    secret = _derive(key, user_id, nonce)
    values = {"nonce": nonce, "secret_hash": secret_hash(secret), "issued_at": now}
    session.execute(
        _insert(session)
        .values(user_id=user_id, created_at=now, **values)
        .on_conflict_do_update(index_elements=["user_id"], set_=values)
    )
    return secret


def owner_of(session: Session, secret: str) -> str | None:
    """Whose feed ``secret`` opens, or None (unknown, rotated away, or malformed)."""
    if not _SECRET.fullmatch(secret):
        return None
    wanted = secret_hash(secret)
    row = session.execute(
        select(CalendarFeed.user_id, CalendarFeed.secret_hash).where(
            CalendarFeed.secret_hash == wanted
        )
    ).first()
    if row is None or not hmac.compare_digest(row.secret_hash, wanted):
        return None
    return str(row.user_id)
