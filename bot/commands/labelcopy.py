"""/labelcopy: a release's label copy, its form, and locking it as the proofs' reference."""

from __future__ import annotations

from bot.commands.dispatch import Handler, Invocation, expect_args
from bot.commands.values import required
from bot.core.errors import UsageError
from bot.departments.work import Work
from bot.labelcopy import messages as views
from bot.labelcopy import service as copies
from bot.labelcopy.checks import check_tracklist
from bot.releases.service import get_release
from bot.slack.replies import OpenView, Outgoing, Post, Reply
from bot.storage.release_models import Release


def show(work: Work, invocation: Invocation) -> Reply:
    (catno,) = expect_args(invocation, 1)
    release = get_release(work.session, catno)
    copy = copies.copy_of(work.session, release)
    tracks = copies.as_tracks(copy) if copy is not None else []
    report = check_tracklist(tracks, formats=release.format_keys) if tracks else None
    return views.copy_detail(release, copy, tracks, report)


def edit(work: Work, invocation: Invocation) -> Reply:
    (catno,) = expect_args(invocation, 1)
    if not invocation.trigger_id:
        raise UsageError("The form opens from Slack; run `/labelcopy edit` there.")
    release = get_release(work.session, catno)
    copy = copies.editable_copy(work.session, work.actor, release)
    tracks = copies.as_tracks(copy) if copy is not None else []
    state = views.EditState(catno=release.catno, channel=invocation.channel_id)
    view = views.edit_modal(state, release, copy, tracks)
    return Reply(outbox=[OpenView(trigger_id=invocation.trigger_id, view=view)])


def _thread_note(release: Release, text: str) -> list[Outgoing]:
    if not release.channel_id:
        return []
    return [Post(channel=release.channel_id, thread_ts=release.card_ts, text=text)]


def lock(work: Work, invocation: Invocation) -> Reply:
    (catno,) = expect_args(invocation, 1)
    copy = copies.lock_copy(work.session, actor=work.actor, catno=catno, now=work.now)
    release = copy.release
    note = views.locked_note(release, work.user_id)
    return Reply(
        text=f"Locked {release.catno}'s label copy ({len(copy.tracks)} tracks).",
        outbox=_thread_note(release, note),
    )


def unlock(work: Work, invocation: Invocation) -> Reply:
    (catno,) = expect_args(invocation, 1)
    reason = required(invocation, "reason", 'reason:"Track 3 retitled"')
    copy = copies.unlock_copy(
        work.session, actor=work.actor, catno=catno, reason=reason, now=work.now
    )
    release = copy.release
    note = views.unlocked_note(release, work.user_id, reason)
    return Reply(text=f"Unlocked {release.catno}'s label copy.", outbox=_thread_note(release, note))


HANDLERS: dict[str, Handler] = {"show": show, "edit": edit, "lock": lock, "unlock": unlock}
