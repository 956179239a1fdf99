"""Block Kit for releases: the release card (the home thread of its assets), list and show."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from slack_sdk.models.blocks import HeaderBlock

from bot.assets.messages import asset_line
from bot.domain.templates import PlannedAsset
from bot.slack.blocks import Blocks, context, line_sections, section, to_dicts
from bot.slack.replies import Reply
from bot.slack.text import escape, fit, short_date, truncate

if TYPE_CHECKING:
    from bot.releases.editing import EditedRelease
    from bot.storage.asset_models import Asset
    from bot.storage.release_models import Release


def _summary(release: Release) -> str:
    if release.cancelled_at is not None:
        return f"*Cancelled:* {fit(release.cancel_reason or '', 300)}"
    parts = [
        f"*{fit(release.artist, 100)}*",
        f"street date {short_date(release.street_date)} {release.street_date.year}",
        ", ".join(release.format_keys),
    ]
    if release.upc:
        parts.append(f"UPC {release.upc}")
    return " · ".join(parts)


def release_card(
    release: Release, assets: list[Asset], today: date, flags: dict[int, str] | None = None
) -> tuple[str, Blocks]:

    flags = flags or {}
    lines = []
    for asset in assets:
        line = asset_line(asset, today, with_release=False)
        if asset.id in flags:
            line += f"\n      :warning: {escape(flags[asset.id])}"
        lines.append(line)
    blocks = [
        HeaderBlock(text=truncate(f"{release.catno} · {release.title}", 150)),
        section(_summary(release)),
        *line_sections(lines, more_command=f"/asset list release:{release.catno}"),
        context("Approvals, assignments and changes for these assets happen in this thread."),
    ]
    text = escape(f"{release.catno} {truncate(release.title, 150)} — {len(assets)} assets")
    return text, to_dicts(blocks)


def flags_for(pairs: list[tuple[Asset, PlannedAsset]]) -> dict[int, str]:
    return {asset.id: plan.overdue_reason for asset, plan in pairs if plan.overdue_reason}


def release_detail(release: Release, assets: list[Asset], today: date) -> Reply:
    text, blocks = release_card(release, assets, today)
    return Reply(text=text, blocks=blocks)


def release_list(rows: list[tuple[Release, int]], total: int) -> Reply:
    if not rows:
        return Reply(text="No releases yet. `/release new` creates one.")
    lines = [
        f"*{escape(release.catno)}* {fit(release.title, 80)} — "
        f"{fit(release.artist, 60)} · {short_date(release.street_date)} "
        f"{release.street_date.year} · {', '.join(release.format_keys)} · "
        + ("cancelled" if release.cancelled_at else f"{open_count} open")
        for release, open_count in rows
    ]
    blocks = [section(f"*Releases by street date* ({total})"), *line_sections(lines, total=total)]
    return Reply(text=f"{total} releases", blocks=to_dicts(blocks))


def moved_notice(release: Release, days: int, moved: int, actor_id: str) -> str:
    direction = "later" if days > 0 else "earlier"
    return (
        f"Street date of *{escape(release.catno)}* moved {abs(days)} days {direction} to "
        f"{short_date(release.street_date)} {release.street_date.year} by <@{actor_id}>: "
        f"{moved} open asset{'s' if moved != 1 else ''} moved with it."
    )


def late_warning(late: list[Asset], today: date, shown: int = 5) -> str:
    """The assets a move made overdue: inside the art lead time, the street date is at risk."""
    names = [f"*A-{a.id}* {fit(a.title, 60)}" for a in late[:shown]]
    more = f" and {len(late) - shown} more" if len(late) > shown else ""
    return (
        f":warning: That is inside the art lead time: {len(late)} asset"
        f"{'s are' if len(late) != 1 else ' is'} now late — {', '.join(names)}{more}."
    )


def edited_notice(edited: EditedRelease, actor_id: str, today: date) -> str:
    release = edited.release
    what = ", ".join("channel" if key == "channel_id" else key for key in edited.changed)
    text = f"*{escape(release.catno)}* updated by <@{actor_id}>: {what}."
    if edited.added:
        text += f" New assets: {', '.join(f'*A-{a.id}* {fit(a.title, 60)}' for a in edited.added)}."
    if edited.dropped:
        text += (
            f" Cancelled with the format: {', '.join(f'A-{c.asset.id}' for c in edited.dropped)}."
        )
    return text


def cancelled_notice(release: Release, assets: int, actor_id: str) -> str:
    return (
        f"*{escape(release.catno)}* {fit(release.title, 80)} was cancelled by <@{actor_id}>: "
        f"{fit(release.cancel_reason or '', 300)}. {assets} open asset{'s' if assets != 1 else ''} "
        "cancelled with it."
    )
