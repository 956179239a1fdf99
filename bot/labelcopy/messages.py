"""What label copy says in Slack: the copy itself, its edit form, and the thread's notes.
Pure builders: they read what they are given."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field
from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.labelcopy.tracklist import LINE_EXAMPLE, Track, format_duration
from bot.slack import ids
from bot.slack.blocks import (
    context,
    fields_section,
    header,
    line_sections,
    to_dicts,
)
from bot.slack.replies import Reply
from bot.slack.text import fit, mention, truncate

if TYPE_CHECKING:
    from bot.labelcopy.checks import CheckReport
    from bot.storage.labelcopy_models import LabelCopy
    from bot.storage.release_models import Release

TRACKS_MAX_CHARS = 3000  # Slack's limit for a plain-text input


class EditState(BaseModel):
    """The edit form's private_metadata: which release, and where to answer."""

    model_config = ConfigDict(extra="forbid")

    catno: str = Field(max_length=32)
    channel: str = Field(max_length=32)


def track_line(track: Track) -> str:
    """``A1 Night Drive (Radio Edit) 4:12 GBABC2700001 | credits``: the form's grammar."""
    parts = [track.label, track.full_title]
    if track.duration_s:
        parts.append(format_duration(track.duration_s))
    if track.isrc:
        parts.append(track.isrc)
    line = " ".join(parts)
    return f"{line} | {track.credits}" if track.credits else line


def copy_detail(
    release: Release, copy: LabelCopy | None, tracks: Sequence[Track], report: CheckReport | None
) -> Reply:
    title = f"Label copy · {release.catno}"
    if copy is None:
        return Reply(
            text=f"{release.catno} has no label copy yet: `/labelcopy edit {release.catno}`."
        )
    state = f"locked by {mention(copy.locked_by)}" if copy.locked_at else "not locked"
    blocks: list[Any] = [
        header(truncate(f"{title} {release.title}", 150)),
        fields_section(
            [
                f"*Artist*\n{fit(copy.artist, 200)}",
                f"*Title*\n{fit(copy.title, 200)}{' (' + fit(copy.version, 100) + ')' if copy.version else ''}",
                f"*UPC*\n{release.upc or '—'}",
                f"*Label*\n{fit(copy.label or '—', 200)}",
                f"*(P)*\n{fit(copy.p_line or '—', 300)}",
                f"*(C)*\n{fit(copy.c_line or '—', 300)}",
            ]
        ),
        context(f"{state} · {len(tracks)} tracks"),
    ]
    lines = [
        f"`{fit(t.label, 8)}` {fit(track_line(t).removeprefix(t.label + ' '), 300)}" for t in tracks
    ]
    if lines:
        blocks.extend(
            line_sections(
                lines, budget=8000, max_sections=8, more_command=f"/labelcopy edit {release.catno}"
            )
        )
    if report is not None and report.figures:
        blocks.append(context(fit(" · ".join(report.figures), 1500)))
    return Reply(text=f"{title}: {state}", blocks=to_dicts(blocks))


def saved_text(release: Release, count: int, report: CheckReport) -> str:
    text = f"Saved {release.catno}'s label copy: {count} tracks."
    if report.figures:
        text += " " + "; ".join(report.figures) + "."
    if report.warnings:
        text += "\n:warning: " + "\n:warning: ".join(report.warnings[:8])
    return text


def edit_modal(
    state: EditState, release: Release, copy: LabelCopy | None, tracks: Sequence[Track]
) -> dict[str, Any]:
    current = {
        "title": (copy.title if copy else release.title),
        "artist": (copy.artist if copy else release.artist),
    }
    if copy is not None:
        current |= {
            name: getattr(copy, name) for name, _, _ in ids.LABELCOPY_FIELDS if name not in current
        }
    blocks: list[Any] = [
        context(f"{release.catno} · UPC {release.upc or 'none yet (`/release edit`)'}"),
    ]
    for name, label, limit in ids.LABELCOPY_FIELDS:
        blocks.append(
            InputBlock(
                block_id=name,
                label=label,
                optional=name not in ("title", "artist"),
                element=PlainTextInputElement(
                    action_id=f"{name}_input",
                    initial_value=(current.get(name) or None),
                    max_length=limit,
                    multiline=name == "legal",
                ),
            )
        )
    text = "\n".join(track_line(t) for t in tracks)
    blocks.append(
        InputBlock(
            block_id=ids.LABELCOPY_TRACKS_BLOCK,
            label="Tracklist, one track a line",
            hint=f'Like: {LINE_EXAMPLE}. Quote a title with a time in it: "Love 24:7".',
            element=PlainTextInputElement(
                action_id=ids.LABELCOPY_TRACKS_INPUT,
                multiline=True,
                max_length=TRACKS_MAX_CHARS,
                initial_value=text[:TRACKS_MAX_CHARS] or None,
            ),
        )
    )
    view = View(
        type="modal",
        callback_id=ids.LABELCOPY_EDIT_VIEW,
        title="Label copy",
        submit="Save",
        close="Cancel",
        private_metadata=state.model_dump_json(),
        blocks=blocks,
    )
    return view.to_dict()


def locked_note(release: Release, user_id: str) -> str:
    return (
        f"Label copy of *{fit(release.catno, 32)}* locked by {mention(user_id)}: proofs of the "
        "back cover, booklet, tray card and labels are now checked against it."
    )


def unlocked_note(release: Release, user_id: str, reason: str) -> str:
    return (
        f"Label copy of *{fit(release.catno, 32)}* unlocked by {mention(user_id)}: "
        f"{fit(reason, 300)}"
    )
