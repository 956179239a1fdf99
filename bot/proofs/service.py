"""Proof versions: which asset a shared file is for, who may add one, recording it, and
the preflight's claim and result. No Slack here; the actor and ``now`` are passed in.

A file becomes a version once per asset (the database's unique key decides, so an event
Slack retries, or a shortcut on the same file, records nothing new). Versions are numbered
under the asset's row lock, so two files shared at once get v2 and v3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.approvals.requesting import Requested, reopen_on_proof
from bot.assets.service import CLOSED, get_asset, home_thread, is_assignee, label
from bot.core.errors import ConflictError, PermissionDenied
from bot.domain.actors import Actor
from bot.storage import audit
from bot.storage.asset_models import Asset
from bot.storage.proof_models import Proof
from bot.storage.release_models import Release

PENDING = "pending"
# A preflight claimed this long ago by a process that never finished is taken over.
PREFLIGHT_LEASE = timedelta(minutes=10)
MAX_PREFLIGHT_ATTEMPTS = 3
_NAMED = re.compile(r"(?<![\w-])A-(\d{1,9})(?![\w-])", re.IGNORECASE)


class SharedFile(BaseModel):
    """What Slack says about a shared file (a file object of an event or files.info)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(max_length=32)
    name: str = Field(default="file", max_length=2000)
    filetype: str | None = None
    mimetype: str | None = None
    size: int | None = None
    permalink: str | None = None
    url_private_download: str | None = None


def named_assets(text: str) -> list[int]:
    """Asset ids a message names (``A-3 v2 with the new logo``), in order."""
    return list(dict.fromkeys(int(m) for m in _NAMED.findall(text or "")))


def asset_for_thread(session: Session, channel: str, thread_ts: str, text: str) -> Asset | None:
    """The asset a file shared in this thread is a proof of: the asset whose own card
    starts the thread, or the asset the message names whose release's card starts it."""
    own = session.scalar(
        select(Asset).where(Asset.channel_id == channel, Asset.card_ts == thread_ts)
    )
    if own is not None:
        return own
    release_id = session.scalar(
        select(Release.id).where(Release.channel_id == channel, Release.card_ts == thread_ts)
    )
    if release_id is None:
        return None
    for asset_id in named_assets(text):
        asset = session.get(Asset, asset_id)
        if asset is not None and asset.release_id == release_id:
            return asset
    return None


def suggested_asset(session: Session, channel: str, message: dict[str, Any]) -> int | None:
    """The asset the shortcut's modal suggests: the one the message names, else the one
    whose thread the message is in."""
    text = str(message.get("text") or "")
    named = named_assets(text)
    if named:
        return named[0]
    thread = message.get("thread_ts")
    asset = asset_for_thread(session, channel, str(thread), text) if thread else None
    return asset.id if asset is not None else None


def may_add_proof(actor: Actor, asset: Asset) -> bool:
    return actor.is_coordinator or asset.owner_id == actor.user_id or is_assignee(actor, asset)


def check_attachable(session: Session, actor: Actor, typed: str) -> tuple[str | None, int]:
    """What is wrong with attaching a proof to the asset typed in the shortcut's modal (None
    when nothing is), and its id."""
    match = re.fullmatch(r"\s*(?:A-)?(\d{1,9})\s*", typed, re.IGNORECASE)
    if match is None:
        return "Type the asset's id, like A-3.", 0
    asset = session.get(Asset, int(match.group(1)))
    if asset is None:
        return f"There is no asset A-{match.group(1)}.", 0
    if not may_add_proof(actor, asset):
        return "Only its owner, its assigned designer or a coordinator can add proofs.", 0
    if asset.stage in CLOSED:
        return f"{label(asset)} is {asset.stage}; it takes no more proofs.", 0
    return None, asset.id


@dataclass(frozen=True)
class Recorded:
    proof: Proof
    new: bool  # False: this file was already a version of the asset
    reopened: Requested | None  # the pending round superseded by one on this version


def record_proof(
    session: Session,
    *,
    actor: Actor,
    asset_id: int,
    file: SharedFile,
    now: datetime,
) -> Recorded:
    asset = get_asset(session, asset_id, for_update=True)  # numbers versions one at a time
    if not may_add_proof(actor, asset):
        raise PermissionDenied(
            f"Only {label(asset)}'s owner, its assigned designer or a coordinator can add "
            "proofs to it."
        )
    if asset.stage in CLOSED:
        raise ConflictError(f"{label(asset)} is {asset.stage}; it takes no more proofs.")
    existing = session.scalar(
        select(Proof).where(Proof.asset_id == asset.id, Proof.file_id == file.id)
    )
    if existing is not None:
        return Recorded(existing, False, None)
    last = session.scalar(select(func.max(Proof.version)).where(Proof.asset_id == asset.id))
    home = home_thread(asset)
    proof = Proof(
        asset=asset,
        version=(last or 0) + 1,
        file_id=file.id,
        name=file.name[:255],
        filetype=(file.filetype or "")[:40] or None,
        mimetype=(file.mimetype or "")[:120] or None,
        size=file.size,
        permalink=(file.permalink or "")[:1000] or None,
        download_url=(file.url_private_download or "")[:1000] or None,
        shared_by=actor.user_id,
        shared_at=now,
        # The preflight answers in the asset's home thread, wherever the file was shared.
        channel_id=home[0],
        thread_ts=home[1],
        preflight=PENDING,
        preflight_attempts=0,
    )
    session.add(proof)
    session.flush()
    _audit(session, actor, proof, now)
    reopened = reopen_on_proof(session, actor=actor, asset=asset, proof=proof, now=now)
    return Recorded(proof, True, reopened)


def _audit(session: Session, actor: Actor, proof: Proof, now: datetime) -> None:
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="asset",
        entity_id=f"A-{proof.asset_id}",
        action="proof",
        after={"version": proof.label, "file": proof.file_id, "name": proof.name},
    )


def proofs_of(session: Session, asset_id: int, limit: int = 10) -> list[Proof]:
    """The newest versions first."""
    return list(
        session.scalars(
            select(Proof)
            .where(Proof.asset_id == asset_id)
            .order_by(Proof.version.desc())
            .limit(limit)
        )
    )


def claim_preflight(session: Session, proof_id: int, *, now: datetime) -> bool:
    """Take a pending preflight for this process; False when another has it, it is done,
    or it has failed too often to try again."""
    taken = session.execute(
        update(Proof)
        .where(
            Proof.id == proof_id,
            Proof.preflight == PENDING,
            Proof.preflight_attempts < MAX_PREFLIGHT_ATTEMPTS,
            or_(
                Proof.preflight_claimed_at.is_(None),
                Proof.preflight_claimed_at < now - PREFLIGHT_LEASE,
            ),
        )
        .values(preflight_claimed_at=now, preflight_attempts=Proof.preflight_attempts + 1)
    )
    return bool(taken.rowcount)  # type: ignore[attr-defined]


def abandoned_preflights(session: Session, *, now: datetime, limit: int = 20) -> list[int]:
    """Pending preflights no process is working on (it died, or never started)."""
    return list(
        session.scalars(
            select(Proof.id)
            .where(
                Proof.preflight == PENDING,
                Proof.preflight_attempts < MAX_PREFLIGHT_ATTEMPTS,
                or_(
                    Proof.preflight_claimed_at.is_(None),
                    Proof.preflight_claimed_at < now - PREFLIGHT_LEASE,
                ),
                Proof.shared_at < now - timedelta(minutes=1),
            )
            .order_by(Proof.id)
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class Result:
    """What a preflight found, ready to store."""

    status: str  # pass | warn | fail | not_checked
    spec: str | None
    checks: list[dict[str, Any]]
    reason: str | None
    sha256: str | None


def record_result(
    session: Session, proof_id: int, result: Result, *, now: datetime
) -> Proof | None:
    """Store a preflight's result once; None when it was stored already (another process
    finished it first), so its message is posted once."""
    done = session.execute(
        update(Proof)
        .where(Proof.id == proof_id, Proof.preflight == PENDING)
        .values(
            preflight=result.status,
            preflight_at=now,
            spec=(result.spec or "")[:120] or None,
            checks=result.checks,
            reason=result.reason,
            sha256=result.sha256,
        )
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        return None
    return session.scalar(
        select(Proof).where(Proof.id == proof_id).execution_options(populate_existing=True)
    )
