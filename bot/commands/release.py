"""/release: create from templates, list, show, move the street date, edit, cancel."""

from __future__ import annotations

from bot.approvals import closing
from bot.approvals.flow import redraw
from bot.assets.service import Change
from bot.commands.dispatch import Handler, Invocation, expect_args
from bot.commands.values import channel_id, date_option, required
from bot.core.errors import UsageError
from bot.departments.work import Work
from bot.domain.money import format_money
from bot.domain.templates import parse_formats
from bot.purchasing import costs
from bot.purchasing import messages as purchasing_views
from bot.releases import editing
from bot.releases import messages as views
from bot.releases import service as releases
from bot.releases.cards import release_card_update
from bot.slack.replies import Outgoing, Post, Reply, Update
from bot.slack.text import channel_link

RELEASE_CARD = "release_card"
LIST_LIMIT = 100


def new(work: Work, invocation: Invocation) -> Reply:
    today = work.today
    if not invocation.args:
        raise UsageError(f"A release needs a title. Usage: `{invocation.usage()}`")
    street_date = date_option(invocation, "date", today)
    if street_date is None:
        required(invocation, "date", "date:2027-05-14")
    formats = parse_formats(
        required(invocation, "format", "format:cd,vinyl"), work.runtime.templates
    )
    channel = invocation.options.get("channel")
    data = releases.NewRelease(
        title=" ".join(invocation.args),
        artist=required(invocation, "artist", 'artist:"The Vels"'),
        street_date=street_date,  # type: ignore[arg-type]
        formats=formats,
        catno=required(invocation, "catno", "catno:SLV-014"),
        upc=invocation.options.get("upc"),
        channel_id=channel_id(channel) if channel else invocation.channel_id,
    )
    created = releases.create_release(
        work.session,
        actor=work.actor,
        data=data,
        templates=work.runtime.templates,
        today=today,
        now=work.now,
    )
    release = created.release
    flags = views.flags_for(created.planned)
    text, blocks = views.release_card(release, [a for a, _ in created.planned], today, flags)
    late = f" {len(flags)} already overdue: the street date is close." if flags else ""
    return Reply(
        text=f"Created {release.catno} with {len(created.planned)} assets in "
        f"{channel_link(release.channel_id)}.{late}",
        outbox=[
            Post(
                channel=release.channel_id,
                text=text,
                blocks=blocks,
                record=RELEASE_CARD,
                record_id=release.id,
            )
        ],
    )


def list_(work: Work, _invocation: Invocation) -> Reply:
    rows, total = releases.list_releases(work.session, limit=LIST_LIMIT)
    return views.release_list(rows, total)


def show(work: Work, invocation: Invocation) -> Reply:
    (catno,) = expect_args(invocation, 1)
    release = releases.get_release(work.session, catno, with_assets=True)
    return views.release_detail(release, list(release.assets), work.today)


def move(work: Work, invocation: Invocation) -> Reply:
    (catno,) = expect_args(invocation, 1)
    street_date = date_option(invocation, "date", work.today)
    if street_date is None:
        required(invocation, "date", "date:2027-06-01")
    moved = releases.move_release(
        work.session,
        actor=work.actor,
        catno=catno,
        street_date=street_date,  # type: ignore[arg-type]
        today=work.today,
        now=work.now,
    )
    release = moved.release
    days = moved.shift.days
    notice = views.moved_notice(release, days, len(moved.moved), invocation.user_id)
    if moved.late:
        notice += " " + views.late_warning(moved.late, work.today)
    outbox: list[Post | Update] = []
    if release.card_ts:
        outbox = [
            Post(channel=release.channel_id, text=notice, thread_ts=release.card_ts),
            *release_card_update(release, work.today),
        ]
    return Reply(text=notice, outbox=list(outbox))


def edit(work: Work, invocation: Invocation) -> Reply:
    (catno,) = expect_args(invocation, 1)
    changes = dict(invocation.options)
    if "channel" in changes:
        changes["channel"] = channel_id(changes["channel"])
    edited = editing.edit_release(
        work.session,
        actor=work.actor,
        catno=catno,
        changes=changes,
        templates=work.runtime.templates,
        today=work.today,
        now=work.now,
    )
    release = edited.release
    if not edited.changed:
        return Reply(text=f"{release.catno}: nothing changed.")
    notice = views.edited_notice(edited, invocation.user_id, work.today)
    outbox: list[Outgoing] = _round_endings(work, edited.dropped)
    if release.card_ts:
        outbox = [
            Post(channel=release.channel_id, text=notice, thread_ts=release.card_ts),
            *outbox,
            *release_card_update(release, work.today),
        ]
    return Reply(text=notice, outbox=outbox)


def cancel(work: Work, invocation: Invocation) -> Reply:
    (catno,) = expect_args(invocation, 1)
    reason = required(invocation, "reason", 'reason:"Shelved by the label"')
    release, cancelled = editing.cancel_release(
        work.session, actor=work.actor, catno=catno, reason=reason, now=work.now
    )
    notice = views.cancelled_notice(release, len(cancelled), invocation.user_id)
    outbox: list[Outgoing] = _round_endings(work, cancelled)
    if release.card_ts:
        outbox = [
            Post(channel=release.channel_id, text=notice, thread_ts=release.card_ts),
            *outbox,
            *release_card_update(release, work.today),
        ]
    return Reply(text=notice, outbox=outbox)


def _round_endings(work: Work, changes: list[Change]) -> list[Outgoing]:
    """The rounds of cancelled assets, cancelled with them and redrawn."""
    items: list[Outgoing] = []
    for change in changes:
        closed = closing.follow_stage(
            work.session, change, actor_id=work.actor.user_id, now=work.now
        )
        if closed is not None:
            items += redraw(work.runtime, work.session, closed)
    return items


def budget(work: Work, invocation: Invocation) -> Reply:
    """Figures only in the ephemeral ack: coordinators and management see them."""
    catno, amount, currency = expect_args(invocation, 3)
    set_to = costs.set_budget(
        work.session, actor=work.actor, catno=catno, amount=amount, currency=currency, now=work.now
    )
    return Reply(text=f"Budget of {catno.upper()}: {format_money(set_to.amount, set_to.currency)}.")


def costs_(work: Work, invocation: Invocation) -> Reply:
    (catno,) = expect_args(invocation, 1)
    release, rows = costs.costs_for(work.session, actor=work.actor, catno=catno)
    return Reply(text=purchasing_views.costs_text(release, rows))


HANDLERS: dict[str, Handler] = {
    "budget": budget,
    "costs": costs_,
    "new": new,
    "list": list_,
    "show": show,
    "move": move,
    "edit": edit,
    "cancel": cancel,
}
RECORDERS = {RELEASE_CARD: releases.record_card}
