"""Block Kit for assets: one-line summaries, the asset card, /asset show and /asset list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.domain.catalog import KINDS
from bot.domain.dates import readable
from bot.domain.stages import Stage, is_overdue
from bot.slack.blocks import (
    Blocks,
    context,
    fields_section,
    header,
    line_sections,
    section,
    to_dicts,
)
from bot.slack.replies import Reply
from bot.slack.text import escape, fit, mention, truncate

if TYPE_CHECKING:
    from bot.assets.listing import AssetPage
    from bot.storage.asset_models import Asset
    from bot.storage.audit_models import AuditEntry


TITLE_IN_LINE = 80
CONDITIONS_IN_LINE = 160  # the open conditions under an asset's line on a card


def asset_label(asset: Asset) -> str:
    return f"A-{asset.id}"


def due_text(asset: Asset, today: date) -> str:
    if asset.due is None:
        return "no due date"
    text = f"due {readable(asset.due, today)}"
    if is_overdue(Stage(asset.stage), asset.due, today):
        late = (today - asset.due).days
        text += f" · *{late} day{'s' if late != 1 else ''} late*"
    return text


def asset_line(asset: Asset, today: date, *, with_release: bool = True) -> str:
    parts = [
        f"*{asset_label(asset)}* {fit(asset.title, TITLE_IN_LINE)}",
        asset.kind,
        asset.stage,
        due_text(asset, today),
        mention(asset.owner_id),
    ]
    if asset.priority != "normal":
        parts.insert(2, f"*{asset.priority}*")
    if with_release and asset.release is not None:
        parts.insert(1, escape(asset.release.catno))
    line = " · ".join(parts)
    if asset.open_conditions:
        line += "\n      " + conditions_text(asset)
    return line


def conditions_text(asset: Asset) -> str:
    """``:pushpin: to do: 1. logo 10% bigger; 2. fix the spine text``, cut to a line."""
    listed = "; ".join(f"{c.number}. {c.text}" for c in asset.open_conditions)
    return f":pushpin: to do: {fit(listed, CONDITIONS_IN_LINE)}"


def asset_card(asset: Asset, today: date) -> tuple[str, Blocks]:
    """The card an asset without a release gets in its channel; its thread is the home thread."""
    text = f"{asset_label(asset)} {truncate(asset.title, 150)}"
    blocks = [
        section(asset_line(asset, today)),
        context(
            f"{KINDS[asset.kind].label} · priority {asset.priority} · news of "
            f"{asset_label(asset)} goes in this thread"
        ),
    ]
    return escape(text), to_dicts(blocks)


def _freelancer(asset: Asset) -> str:
    freelancer = asset.freelancer
    if freelancer is None:
        return "—"
    who = mention(freelancer.slack_user_id) if freelancer.slack_user_id else ""
    return f"F-{freelancer.id} {fit(freelancer.name, 80)} {who}".rstrip()


HISTORY_CHARS = 2900  # a context block's text: whole lines only, so nothing is cut midway


def _changed_to(after: dict[str, object] | None) -> str:
    """What one audit entry changed a field to, readable: a link by its label or address."""
    if not after or len(after) != 1:
        return ""
    value = next(iter(after.values()))
    if isinstance(value, dict):
        value = value.get("label") or value.get("url") or ""
    return f" → {fit(str(value), 60)}" if value not in (None, "") else ""


def _history(history: list[AuditEntry], today: date) -> str:
    """The latest entries that fit, oldest first."""
    lines: list[str] = []
    used = 0
    for entry in reversed(history):
        line = (
            f"{readable(entry.at.date(), today)} {entry.at:%H:%M} {mention(entry.actor)} "
            f"{fit(entry.action, 40)}{_changed_to(entry.after)}"
        )
        if used + len(line) + 1 > HISTORY_CHARS:
            break
        lines.insert(0, line)
        used += len(line) + 1
    return "\n".join(lines)


def asset_detail(
    asset: Asset,
    history: list[AuditEntry],
    today: date,
    rounds: Sequence[str] = (),
    versions: Sequence[str] = (),
) -> Reply:
    """The asset, its links, proof ``versions`` and ``rounds`` (one line each, newest
    first) and history."""
    release = (
        escape(f"{asset.release.catno} {truncate(asset.release.title, 60)}")
        if asset.release
        else "—"
    )
    blocks = [
        header(truncate(f"{asset_label(asset)} {asset.title}", 150)),
        fields_section(
            [
                f"*Stage*\n{asset.stage}",
                f"*Due*\n{due_text(asset, today)}",
                f"*Kind*\n{KINDS[asset.kind].label}",
                f"*Owner*\n{mention(asset.owner_id)}",
                f"*Priority*\n{asset.priority}",
                f"*Release*\n{release}",
                f"*Freelancer*\n{_freelancer(asset)}",
            ]
        ),
    ]
    if asset.notes:
        blocks.append(section("*Notes*\n" + fit(asset.notes, 2000)))
    if asset.cancel_reason:
        blocks.append(section("*Cancelled because*\n" + fit(asset.cancel_reason, 1500)))
    if asset.links:
        links = [
            f"• {fit(link.label or link.url, 80)}: {fit(link.url, 300)}" for link in asset.links
        ]
        blocks.extend(line_sections(links, budget=3000, max_sections=1))
    if versions:
        blocks.extend(line_sections(["*Proofs*", *versions], budget=2500, max_sections=1))
    if rounds:
        blocks.extend(line_sections(["*Approval rounds*", *rounds], budget=2500, max_sections=1))
    if history:
        blocks.append(context(_history(history, today)))
    return Reply(text=f"{asset_label(asset)} {fit(asset.title, 150)}", blocks=to_dicts(blocks))


def asset_list(
    found: AssetPage, *, offset: int, today: date, next_command: str | None, first_page: str
) -> Reply:
    if not found.rows and offset:
        return Reply(text=f"That page is past the end: {found.total} match. `{first_page}`")
    if not found.rows:
        return Reply(text="No assets match. `/asset new` creates one.")
    first, last = offset + 1, offset + len(found.rows)
    total = f"{found.total}+" if found.more else str(found.total)
    header = f"Assets {first}–{last} of {total}, by due date"
    blocks = [
        section(f"*{header}*"),
        *line_sections(
            [asset_line(asset, today) for asset in found.rows],
            total=found.total - offset,
            more_command=next_command,
            at_least=found.more,
        ),
    ]
    return Reply(text=header, blocks=to_dicts(blocks))


# Fields whose values are Slack user ids, shown as mentions rather than as text.
PERSON_FIELDS = frozenset({"owner"})


def change_notice(asset: Asset, field: str, before: str, after: str, actor_id: str) -> str:
    """A short home-thread line about a change, mentioning the owner."""
    shown = mention if field in PERSON_FIELDS else escape
    return (
        f"*{asset_label(asset)}* {fit(asset.title, TITLE_IN_LINE)}: {field} "
        f"{shown(before)} → *{shown(after)}* (by {mention(actor_id)}) · owner {mention(asset.owner_id)}"
    )
