"""/asset: create, list, show, and every change to an asset."""

from __future__ import annotations

from bot.assets import messages as views
from bot.assets import service as assets
from bot.assets.flow import ASSET_CARD, announce
from bot.assets.modal import new_asset_modal
from bot.commands.dispatch import Handler, Invocation
from bot.commands.parser import parse_date
from bot.commands.values import asset_id, date_option, page_number, required, user_id
from bot.core.errors import UsageError, echo
from bot.departments.service import get_department
from bot.departments.work import Work
from bot.domain.actors import Actor
from bot.domain.stages import parse_stage
from bot.freelancers import assignments
from bot.freelancers import messages as freelancer_views
from bot.slack.replies import OpenView, Post, Reply
from bot.storage.asset_models import Asset

PAGE_SIZE = 20
FLAGS = ("overdue", "mine")


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
    if freelancer is None:
        post = announce(work, asset, data.channel_id)
        return Reply(text=f"Created {views.asset_line(asset, work.today)}", outbox=[post])
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
    line = views.asset_line(asset, work.today)
    return Reply(text=f"Created {line}\n{ack}", outbox=[post, notice])


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
    filters = assets.AssetFilter(
        release=options.get("release"),
        stage=parse_stage(options["stage"]).value if "stage" in options else None,
        kind=assets.parse_kind(options["kind"]) if "kind" in options else None,
        dept=get_department(work.session, options["dept"]).key if "dept" in options else None,
        overdue="overdue" in flags,
        mine_of=invocation.user_id if "mine" in flags else None,
    )
    offset = (page - 1) * PAGE_SIZE
    found = assets.list_assets(
        work.session, filters=filters, today=today, offset=offset, limit=PAGE_SIZE
    )
    next_command = None
    if found.more or offset + len(found.rows) < found.total:
        words = [*sorted(flags), *(f"{k}:{v}" for k, v in options.items() if k != "page")]
        next_command = " ".join(["/asset list", *words, f"page:{page + 1}"])
    return views.asset_list(found, offset=offset, today=today, next_command=next_command)


def show(work: Work, invocation: Invocation) -> Reply:
    asset, history = assets.show_asset(work.session, asset_id(invocation))
    return views.asset_detail(asset, history, work.today)


def _notice(asset: Asset, field: str, before: object, after: object, actor_id: str) -> list[Post]:
    channel, thread = assets.home_thread(asset)
    if channel is None:
        return []
    text = views.change_notice(asset, field, str(before or "—"), str(after or "—"), actor_id)
    return [Post(channel=channel, thread_ts=thread, text=text)]


def _changed(invocation: Invocation, change: assets.Change) -> Reply:
    asset = change.asset
    return Reply(
        text=f"{views.asset_label(asset)}: {change.field} is now {change.after}.",
        outbox=_notice(asset, change.field, change.before, change.after, invocation.user_id),
    )


def move(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    target = parse_stage(required(invocation, "stage", "stage:prepress"))
    change = assets.move_asset(
        work.session, actor=work.actor, asset_id=wanted, target=target, now=work.now
    )
    return _changed(invocation, change)


def due(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    if len(invocation.args) < 2:
        raise UsageError(f"Which date? Usage: `{invocation.usage()}`")
    new_due = parse_date(invocation.args[1], today=work.today, field="due date")
    change = assets.set_due(
        work.session, actor=work.actor, asset_id=wanted, due=new_due, now=work.now
    )
    return _changed(invocation, change)


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
        outbox=_notice(change.asset, "owner", change.before, new_owner, invocation.user_id),
    )


def _assigned(assigned: assignments.Assigned, actor: Actor) -> Reply:
    channel, thread = assets.home_thread(assigned.asset)
    notice = freelancer_views.assignment_notice(assigned, actor.user_id)
    return Reply(
        text=freelancer_views.assigned_text(assigned, warn_no_agreement=actor.is_coordinator),
        outbox=[Post(channel=channel, thread_ts=thread, text=notice)] if channel else [],
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
    return _assigned(assigned, work.actor)


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
    return _changed(invocation, change)


def cancel(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    reason = required(invocation, "reason", 'reason:"Dropped from the campaign"')
    change = assets.cancel_asset(
        work.session, actor=work.actor, asset_id=wanted, reason=reason, now=work.now
    )
    return _changed(invocation, change)


HANDLERS: dict[str, Handler] = {
    "new": new,
    "list": list_,
    "show": show,
    "move": move,
    "due": due,
    "owner": owner,
    "assign": assign,
    "link": link,
    "hold": hold,
    "cancel": cancel,
}
RECORDERS = {ASSET_CARD: assets.record_card}
