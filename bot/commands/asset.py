"""/asset: create, list, show, and every change to an asset."""

from __future__ import annotations

from datetime import date

from bot.approvals import closing
from bot.approvals import conditions as approval_conditions
from bot.approvals import messages as approval_views
from bot.approvals import service as approvals
from bot.approvals.flow import redraw, roster
from bot.approvals.handoff import deliver_by_hand
from bot.assets import listing
from bot.assets import messages as views
from bot.assets import service as assets
from bot.assets.flow import ASSET_CARD, announce
from bot.assets.modal import new_asset_modal
from bot.commands.dispatch import Handler, Invocation
from bot.commands.parser import parse_date, parse_list
from bot.commands.values import asset_id, date_option, page_number, required, user_id
from bot.core.errors import UsageError, echo
from bot.departments.service import get_department
from bot.departments.work import Work
from bot.domain.actors import require_owner_or_coordinator
from bot.domain.dates import readable
from bot.domain.stages import Stage, parse_stage
from bot.freelancers import assignments
from bot.freelancers import messages as freelancer_views
from bot.freelancers.notices import due_text, freelancer_mail, mail_for_change, mailed
from bot.proofs import messages as proof_views
from bot.proofs import service as proofs
from bot.releases.cards import card_updates
from bot.slack.replies import OpenView, Outgoing, Post, Reply
from bot.slack.text import escape
from bot.storage.asset_models import Asset

PAGE_SIZE = 20
FLAGS = ("overdue", "mine", "all")


def new(work: Work, invocation: Invocation) -> Reply:
    if not invocation.args and not invocation.options:
        if not invocation.trigger_id:
            raise UsageError(f"Usage: `{invocation.usage()}`")
        view = new_asset_modal(
            assets.releases_to_pick(work.session), channel_id=invocation.channel_id
        )
        return Reply(outbox=[OpenView(trigger_id=invocation.trigger_id, view=view)])
    if not invocation.args:
        raise UsageError(f"An asset needs a title. Usage: `{invocation.usage()}`")
    due = date_option(invocation, "due", work.today)
    if due is None:
        required(invocation, "due", "due:2027-01-10")
    owner = invocation.options.get("owner")
    data = assets.NewAsset(
        title=" ".join(invocation.args),
        kind=assets.parse_kind(required(invocation, "kind", "kind:cover")),
        due=due,
        release=invocation.options.get("release"),
        owner_id=user_id(owner, field="owner:") if owner else None,
        priority=assets.parse_priority(invocation.options.get("priority", "normal")),
        notes=invocation.options.get("notes"),
        channel_id=invocation.channel_id,
    )
    asset = assets.create_asset(work.session, actor=work.actor, data=data, now=work.now)
    freelancer = invocation.options.get("freelancer")
    created = f"Created {views.asset_line(asset, work.today)}{_warned(asset, work.today)}"
    if freelancer is None:
        post = announce(work, asset, data.channel_id)
        redrawn = card_updates(asset, work.today) if asset.release is not None else []
        return Reply(text=created, outbox=[post, *redrawn])
    assigned = assignments.assign(
        work.session,
        actor=work.actor,
        asset_id=asset.id,
        freelancer_ref=freelancer,
        now=work.now,
        today=work.today,
    )
    post = announce(work, asset, data.channel_id)
    # The assignment notice goes under the card just posted, or in the release's thread.
    notice = Post(
        channel=post.channel,
        thread_ts=post.thread_ts,
        thread_of=None if post.thread_ts else 0,
        text=freelancer_views.assignment_notice(assigned, work.actor.user_id),
    )
    ack = freelancer_views.assigned_text(assigned, warn_no_agreement=work.actor.is_coordinator)
    redrawn = card_updates(asset, work.today) if asset.release is not None else []
    created = f"Created {views.asset_line(asset, work.today)}{_warned(asset, work.today)}"
    return Reply(text=f"{created}\n{ack}", outbox=[post, notice, *redrawn])


def list_(work: Work, invocation: Invocation) -> Reply:
    unknown = [word for word in invocation.args if word.lower() not in FLAGS]
    if unknown:
        raise UsageError(
            f"`/asset list` doesn't understand {echo(unknown[0])}. Usage: `{invocation.usage()}`"
        )
    flags = {word.lower() for word in invocation.args}
    options = invocation.options
    today = work.today
    page = page_number(invocation)
    filters = listing.AssetFilter(
        release=options.get("release"),
        stage=parse_stage(options["stage"]).value if "stage" in options else None,
        kind=assets.parse_kind(options["kind"]) if "kind" in options else None,
        dept=get_department(work.session, options["dept"]).key if "dept" in options else None,
        overdue="overdue" in flags,
        mine_of=invocation.user_id if "mine" in flags else None,
        include_closed="all" in flags,
    )
    offset = (page - 1) * PAGE_SIZE
    found = listing.list_assets(
        work.session, filters=filters, today=today, offset=offset, limit=PAGE_SIZE
    )
    words = [*sorted(flags), *(f"{k}:{v}" for k, v in options.items() if k != "page")]
    next_command = None
    if found.more or offset + len(found.rows) < found.total:
        next_command = " ".join(["/asset list", *words, f"page:{page + 1}"])
    first_page = " ".join(["/asset list", *words])
    return views.asset_list(
        found, offset=offset, today=today, next_command=next_command, first_page=first_page
    )


def show(work: Work, invocation: Invocation) -> Reply:
    asset, history = assets.show_asset(work.session, asset_id(invocation))
    requests = approvals.rounds_of(work.session, asset.id)
    rounds = approval_views.round_lines(requests, roster(work.session)) if requests else []
    versions = proof_views.version_lines(proofs.proofs_of(work.session, asset.id))
    open_ones = approval_conditions.open_conditions(work.session, asset.id)
    rounds = [
        *rounds,
        *(f"• condition {line}" for line in approval_views.condition_lines(open_ones)),
        *(
            freelancer_views.mail_line(log, work.runtime.tz)
            for log in mailed(work.session, asset.id)
        ),
    ]
    return views.asset_detail(asset, history, work.today, rounds, versions)


def conditions(work: Work, invocation: Invocation) -> Reply:
    """List an asset's open conditions, or tick some off with ``done:1,2``."""
    wanted = asset_id(invocation)
    raw = invocation.options.get("done")
    if raw is not None:
        numbers = [n for n in parse_list(raw) if n.isdigit() and len(n) < 6]
        if not numbers:
            raise UsageError("`done:` names conditions by number, e.g. done:1,2.")
        ticked = approval_conditions.tick_off(
            work.session,
            actor=work.actor,
            asset_id=wanted,
            numbers=[int(n) for n in numbers],
            now=work.now,
        )
        said = ", ".join(str(c.number) for c in ticked)
        left = len(approval_conditions.open_conditions(work.session, wanted))
        asset = assets.get_asset(work.session, wanted)
        return Reply(
            text=f"A-{wanted}: condition {said} done; {left} still open.",
            outbox=card_updates(asset, work.today),
        )
    found = approval_conditions.open_conditions(work.session, wanted)
    if not found:
        return Reply(text=f"A-{wanted} has no open conditions.")
    lines = "\n".join(approval_views.condition_lines(found))
    return Reply(text=f"Open conditions of A-{wanted}:\n{lines}")


def deliver(work: Work, invocation: Invocation) -> Reply:
    """Announce the approved proof in departments' channels, by hand."""
    wanted = asset_id(invocation)
    raw = invocation.options.get("to")
    keys = [key.lower().lstrip("@#") for key in parse_list(raw)] if raw is not None else None
    if keys == []:
        raise UsageError("`to:` names departments, e.g. to:marketing,manufacturing.")
    asset = assets.get_asset(work.session, wanted)
    require_owner_or_coordinator(work.actor, asset.owner_id, "deliver", views.asset_label(asset))
    proof, handoff = deliver_by_hand(work.session, asset, keys)
    if not handoff.posts:
        names = ", ".join(handoff.no_channel) or "nobody (`/dept deliver` sets who)"
        return Reply(text=f"Nothing sent: no channel to send to for {names}.")
    text = f"Sent {views.asset_label(asset)} {proof.label} to {', '.join(handoff.sent_to)}."
    if handoff.no_channel:
        text += f" No channel set for {', '.join(handoff.no_channel)}."
    return Reply(text=text, outbox=[*handoff.posts, *handoff.thread_note(asset, proof)])


def _notice(asset: Asset, field: str, before: object, after: object, actor_id: str) -> list[Post]:
    channel, thread = assets.home_thread(asset)
    if channel is None:
        return []
    text = views.change_notice(asset, field, str(before or "—"), str(after or "—"), actor_id)
    return [Post(channel=channel, thread_ts=thread, text=text)]


def _warned(asset: Asset, today: date) -> str:
    said = "; ".join(assets.due_warnings(asset, today))
    return f"\n:warning: {said[:1].upper()}{said[1:]}." if said else ""


def _changed(work: Work, invocation: Invocation, change: assets.Change) -> Reply:
    """The reply to a change, its note in the home thread, the redrawn card, and — when the
    asset left review — its cancelled round, redrawn."""
    asset = change.asset
    after = readable(change.after, work.today) if isinstance(change.after, date) else change.after
    text = f"{views.asset_label(asset)}: {change.field} is now {after}."
    if change.field == "due":
        text += _warned(asset, work.today)
    outbox: list[Outgoing] = [
        *_notice(asset, change.field, change.before, change.after, invocation.user_id)
    ]
    closed = closing.follow_stage(work.session, change, actor_id=work.actor.user_id, now=work.now)
    if closed is not None:
        text += f" Its approval round {closed.round} was cancelled."
        outbox += redraw(work.runtime, work.session, closed)
    outbox += mail_for_change(work.session, work.runtime, change, now=work.now) + card_updates(
        asset, work.today
    )
    return Reply(text=text, outbox=outbox)


def move(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    target = parse_stage(required(invocation, "stage", "stage:prepress"))
    if target is Stage.CANCELLED:
        raise UsageError(
            f'Cancelling needs a reason: `/asset cancel A-{wanted} reason:"Dropped from the '
            'campaign"` (coordinators).'
        )
    change = assets.move_asset(
        work.session, actor=work.actor, asset_id=wanted, target=target, now=work.now
    )
    return _changed(work, invocation, change)


def due(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    if len(invocation.args) < 2:
        raise UsageError(f"Which date? Usage: `{invocation.usage()}`")
    new_due = parse_date(invocation.args[1], today=work.today, field="due date")
    change = assets.set_due(
        work.session, actor=work.actor, asset_id=wanted, due=new_due, now=work.now
    )
    return _changed(work, invocation, change)


def owner(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    if len(invocation.args) < 2:
        raise UsageError(f"Who? Usage: `{invocation.usage()}`")
    new_owner = user_id(invocation.args[1], field="owner")
    change = assets.set_owner(
        work.session, actor=work.actor, asset_id=wanted, owner_id=new_owner, now=work.now
    )
    return Reply(
        text=f"{views.asset_label(change.asset)} is now owned by <@{new_owner}>.",
        outbox=[
            *_notice(change.asset, "owner", change.before, new_owner, invocation.user_id),
            *card_updates(change.asset, work.today),
        ],
    )


def _assigned(assigned: assignments.Assigned, work: Work) -> Reply:
    asset, actor = assigned.asset, work.actor
    channel, thread = assets.home_thread(asset)
    notice = freelancer_views.assignment_notice(assigned, actor.user_id)
    outbox: list[Outgoing] = (
        [Post(channel=channel, thread_ts=thread, text=notice)] if channel else []
    )
    links = [{"label": link.label or "", "url": link.url} for link in asset.links]
    context = {"due_date": due_text(asset.due), "brief": asset.notes or "", "links": links}
    outbox += freelancer_mail(
        work.session, work.runtime, asset, "assignment", now=work.now, extra=context
    )
    return Reply(
        text=freelancer_views.assigned_text(assigned, warn_no_agreement=actor.is_coordinator),
        outbox=[*outbox, *card_updates(asset, work.today)],
    )


def assign(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    if len(invocation.args) < 2:
        raise UsageError(f"Who? Usage: `{invocation.usage()}` (an F-id or a name)")
    assigned = assignments.assign(
        work.session,
        actor=work.actor,
        asset_id=wanted,
        freelancer_ref=" ".join(invocation.args[1:]),
        now=work.now,
        today=work.today,
    )
    return _assigned(assigned, work)


def unassign(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    asset, previous = assignments.unassign(
        work.session, actor=work.actor, asset_id=wanted, now=work.now
    )
    return Reply(
        text=f"A-{wanted} has no freelancer now (was F-{previous.id} {escape(previous.name)}).",
        outbox=[
            *_notice(asset, "freelancer", f"F-{previous.id}", None, invocation.user_id),
            *card_updates(asset, work.today),
        ],
    )


def edit(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    if len(invocation.args) > 1:
        raise UsageError(f"Use key:value, e.g. `{invocation.usage()}`")
    changes = assets.edit_asset(
        work.session,
        actor=work.actor,
        asset_id=wanted,
        changes=dict(invocation.options),
        now=work.now,
    )
    if not changes:
        return Reply(text=f"A-{wanted}: nothing changed.")
    asset = changes[0].asset
    outbox: list[Outgoing] = []
    for change in changes:
        if change.field != "notes":  # notes stay out of the channel
            outbox += _notice(asset, change.field, change.before, change.after, invocation.user_id)
    fields = ", ".join(change.field for change in changes)
    return Reply(
        text=f"A-{wanted}: updated {fields}.", outbox=[*outbox, *card_updates(asset, work.today)]
    )


def link(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    if len(invocation.args) < 2:
        raise UsageError(f"Which link? Usage: `{invocation.usage()}`")
    url, *label_words = invocation.args[1:]
    added = assets.add_link(
        work.session,
        actor=work.actor,
        asset_id=wanted,
        url=url,
        link_label=" ".join(label_words) or None,
        now=work.now,
    )
    return Reply(text=f"Linked to {views.asset_label(added.asset)}.")


def hold(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    change = assets.hold_asset(work.session, actor=work.actor, asset_id=wanted, now=work.now)
    return _changed(work, invocation, change)


def cancel(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    reason = required(invocation, "reason", 'reason:"Dropped from the campaign"')
    change = assets.cancel_asset(
        work.session, actor=work.actor, asset_id=wanted, reason=reason, now=work.now
    )
    return _changed(work, invocation, change)


HANDLERS: dict[str, Handler] = {
    "new": new,
    "list": list_,
    "show": show,
    "move": move,
    "due": due,
    "owner": owner,
    "assign": assign,
    "unassign": unassign,
    "edit": edit,
    "link": link,
    "conditions": conditions,
    "deliver": deliver,
    "hold": hold,
    "cancel": cancel,
}
RECORDERS = {ASSET_CARD: assets.record_card}
