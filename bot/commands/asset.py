"""/asset: create, list, show, and every change to an asset."""

from __future__ import annotations

from bot.commands.dispatch import Handler, Invocation
from bot.commands.parser import parse_date
from bot.commands.values import asset_id, date_option, page_number, required, user_id
from bot.domain.errors import UsageError, echo
from bot.domain.stages import parse_stage
from bot.runtime import Runtime
from bot.services import assets, assignments
from bot.services.actors import Actor, actor_for
from bot.services.departments import get_department
from bot.slack.replies import OpenView, Post, Reply
from bot.storage.models import Asset
from bot.views import assets as views
from bot.views import freelancers as freelancer_views
from bot.views.asset_modal import new_asset_modal

ASSET_CARD = "asset_card"
PAGE_SIZE = 20
FLAGS = ("overdue", "mine")


def new(runtime: Runtime, invocation: Invocation) -> Reply:
    if not invocation.args and not invocation.options:
        if not invocation.trigger_id:
            raise UsageError(f"Usage: `{invocation.usage()}`")
        with runtime.db.read() as session:
            view = new_asset_modal(session, channel_id=invocation.channel_id)
        return Reply(outbox=[OpenView(trigger_id=invocation.trigger_id, view=view)])
    if not invocation.args:
        raise UsageError(f"An asset needs a title. Usage: `{invocation.usage()}`")
    today = runtime.today()
    due = date_option(invocation, "due", today)
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
    return create_and_announce(
        runtime, invocation.user_id, data, freelancer=invocation.options.get("freelancer")
    )


def create_and_announce(
    runtime: Runtime, actor_id: str, data: assets.NewAsset, *, freelancer: str | None = None
) -> Reply:
    """Shared by the command and the modal: create, then post the card or a thread line."""
    today = runtime.today()
    with runtime.db.write() as session:
        actor = actor_for(session, actor_id)
        asset = assets.create_asset(session, actor=actor, data=data, now=runtime.now())
        assigned = None
        if freelancer is not None:
            assigned = assignments.assign(
                session,
                actor=actor,
                asset_id=asset.id,
                freelancer_ref=freelancer,
                now=runtime.now(),
                today=today,
            )
        line = views.asset_line(asset, today)
        if asset.release is not None:
            channel, thread = assets.home_thread(asset)
            post = Post(
                channel=channel or data.channel_id, thread_ts=thread, text=f"New asset: {line}"
            )
        else:
            text, blocks = views.asset_card(asset, today)
            post = Post(
                channel=data.channel_id,
                text=text,
                blocks=blocks,
                record=ASSET_CARD,
                record_id=asset.id,
            )
    if assigned is None:
        return Reply(text=f"Created {line}", outbox=[post])
    # The assignment notice goes under the card just posted, or in the release's thread.
    notice = Post(
        channel=post.channel,
        thread_ts=post.thread_ts,
        thread_of=None if post.thread_ts else 0,
        text=freelancer_views.assignment_notice(assigned, actor.user_id),
    )
    ack = freelancer_views.assigned_text(assigned, warn_no_agreement=actor.is_coordinator)
    return Reply(text=f"Created {line}\n{ack}", outbox=[post, notice])


def list_(runtime: Runtime, invocation: Invocation) -> Reply:
    unknown = [word for word in invocation.args if word.lower() not in FLAGS]
    if unknown:
        raise UsageError(
            f"`/asset list` doesn't understand {echo(unknown[0])}. Usage: `{invocation.usage()}`"
        )
    flags = {word.lower() for word in invocation.args}
    options = invocation.options
    today = runtime.today()
    page = page_number(invocation)
    with runtime.db.read_connection() as conn:
        filters = assets.AssetFilter(
            release=options.get("release"),
            stage=parse_stage(options["stage"]).value if "stage" in options else None,
            kind=assets.parse_kind(options["kind"]) if "kind" in options else None,
            dept=get_department(conn, options["dept"]).key if "dept" in options else None,
            overdue="overdue" in flags,
            mine_of=invocation.user_id if "mine" in flags else None,
        )
        offset = (page - 1) * PAGE_SIZE
        found = assets.list_assets(
            conn, filters=filters, today=today, offset=offset, limit=PAGE_SIZE
        )
    next_command = None
    if found.more or offset + len(found.rows) < found.total:
        words = [*sorted(flags), *(f"{k}:{v}" for k, v in options.items() if k != "page")]
        next_command = " ".join(["/asset list", *words, f"page:{page + 1}"])
    return views.asset_list(found, offset=offset, today=today, next_command=next_command)


def show(runtime: Runtime, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    with runtime.db.read_connection() as conn:
        asset, history = assets.show_asset(conn, wanted)
    return views.asset_detail(asset, history, runtime.today())


def _notice(asset: Asset, field: str, before: object, after: object, actor_id: str) -> list[Post]:
    channel, thread = assets.home_thread(asset)
    if channel is None:
        return []
    text = views.change_notice(asset, field, str(before or "—"), str(after or "—"), actor_id)
    return [Post(channel=channel, thread_ts=thread, text=text)]


def _changed(runtime: Runtime, invocation: Invocation, change: assets.Change) -> Reply:
    asset = change.asset
    return Reply(
        text=f"{views.asset_label(asset)}: {change.field} is now {change.after}.",
        outbox=_notice(asset, change.field, change.before, change.after, invocation.user_id),
    )


def move(runtime: Runtime, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    target = parse_stage(required(invocation, "stage", "stage:prepress"))
    with runtime.db.write() as session:
        actor = actor_for(session, invocation.user_id)
        change = assets.move_asset(
            session, actor=actor, asset_id=wanted, target=target, now=runtime.now()
        )
        return _changed(runtime, invocation, change)


def due(runtime: Runtime, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    if len(invocation.args) < 2:
        raise UsageError(f"Which date? Usage: `{invocation.usage()}`")
    new_due = parse_date(invocation.args[1], today=runtime.today(), field="due date")
    with runtime.db.write() as session:
        actor = actor_for(session, invocation.user_id)
        change = assets.set_due(
            session, actor=actor, asset_id=wanted, due=new_due, now=runtime.now()
        )
        return _changed(runtime, invocation, change)


def owner(runtime: Runtime, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    if len(invocation.args) < 2:
        raise UsageError(f"Who? Usage: `{invocation.usage()}`")
    new_owner = user_id(invocation.args[1], field="owner")
    with runtime.db.write() as session:
        actor = actor_for(session, invocation.user_id)
        change = assets.set_owner(
            session, actor=actor, asset_id=wanted, owner_id=new_owner, now=runtime.now()
        )
        return Reply(
            text=f"{views.asset_label(change.asset)} is now owned by <@{new_owner}>.",
            outbox=_notice(
                change.asset, "owner", f"<@{change.before}>", f"<@{new_owner}>", invocation.user_id
            ),
        )


def _assigned(assigned: assignments.Assigned, actor: Actor) -> Reply:
    channel, thread = assets.home_thread(assigned.asset)
    notice = freelancer_views.assignment_notice(assigned, actor.user_id)
    return Reply(
        text=freelancer_views.assigned_text(assigned, warn_no_agreement=actor.is_coordinator),
        outbox=[Post(channel=channel, thread_ts=thread, text=notice)] if channel else [],
    )


def assign(runtime: Runtime, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    if len(invocation.args) < 2:
        raise UsageError(f"Who? Usage: `{invocation.usage()}` (an F-id or a name)")
    with runtime.db.write() as session:
        actor = actor_for(session, invocation.user_id)
        assigned = assignments.assign(
            session,
            actor=actor,
            asset_id=wanted,
            freelancer_ref=" ".join(invocation.args[1:]),
            now=runtime.now(),
            today=runtime.today(),
        )
        return _assigned(assigned, actor)


def link(runtime: Runtime, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    if len(invocation.args) < 2:
        raise UsageError(f"Which link? Usage: `{invocation.usage()}`")
    url, *label_words = invocation.args[1:]
    with runtime.db.write() as session:
        actor = actor_for(session, invocation.user_id)
        added = assets.add_link(
            session,
            actor=actor,
            asset_id=wanted,
            url=url,
            link_label=" ".join(label_words) or None,
            now=runtime.now(),
        )
        return Reply(text=f"Linked to {views.asset_label(added.asset)}.")


def hold(runtime: Runtime, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    with runtime.db.write() as session:
        actor = actor_for(session, invocation.user_id)
        change = assets.hold_asset(session, actor=actor, asset_id=wanted, now=runtime.now())
        return _changed(runtime, invocation, change)


def cancel(runtime: Runtime, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    reason = required(invocation, "reason", 'reason:"Dropped from the campaign"')
    with runtime.db.write() as session:
        actor = actor_for(session, invocation.user_id)
        change = assets.cancel_asset(
            session, actor=actor, asset_id=wanted, reason=reason, now=runtime.now()
        )
        return _changed(runtime, invocation, change)


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
