"""/digest: schedule, off, now, preview, the personal digest by DM, and the calendar feed."""

from __future__ import annotations

from bot.calendars import messages as calendar_views
from bot.calendars import service as calendars
from bot.commands.dispatch import Handler, Invocation
from bot.commands.parser import parse_time_of_day
from bot.commands.values import channel_id
from bot.core.errors import UsageError, echo
from bot.departments.work import Work
from bot.digests import messages as views
from bot.digests import service as digests
from bot.digests.content import build_digest
from bot.digests.outgoing import RECORD_EXTRA, RECORDERS, channel_post
from bot.domain.actors import require_coordinator
from bot.slack.replies import Reply


def _channel(invocation: Invocation) -> str:
    value = invocation.options.get("channel")
    return channel_id(value) if value is not None else invocation.channel_id


def _no_extra_args(invocation: Invocation) -> None:
    if invocation.args:
        raise UsageError(
            f"`{invocation.noun.command} {invocation.verb.name}` doesn't take "
            f"{echo(invocation.args[0])}. Usage: `{invocation.usage()}`"
        )


def schedule(work: Work, invocation: Invocation) -> Reply:
    if len(invocation.args) != 1:
        raise UsageError(f"When? Usage: `{invocation.usage()}`")
    options = invocation.options
    spec = digests.ScheduleSpec(
        channel_id=_channel(invocation),
        at=parse_time_of_day(invocation.args[0], field="time"),
        timezone=digests.parse_timezone(options["tz"]) if "tz" in options else None,
        days=digests.parse_days(options["days"]) if "days" in options else None,
    )
    now = work.now
    saved, created = digests.set_schedule(
        work.session,
        actor=work.actor,
        spec=spec,
        default_tz=work.runtime.settings.timezone,
        now=now,
    )
    summary = views.schedule_text(saved, digests.next_run(saved, now))
    verb = "Scheduled" if created else "Updated"
    return Reply(text=f"{verb}. {summary} `/digest preview` shows what it will say.")


def off(work: Work, invocation: Invocation) -> Reply:
    _no_extra_args(invocation)
    wanted = _channel(invocation)
    digests.turn_off(work.session, actor=work.actor, channel_id=wanted, now=work.now)
    return Reply(text=f"The digest for <#{wanted}> is off. `/digest schedule 09:00` restarts it.")


def now(work: Work, invocation: Invocation) -> Reply:
    """A deliberate extra post: today's scheduled digest still goes out at its time."""
    _no_extra_args(invocation)
    wanted = _channel(invocation)
    at = work.now
    require_coordinator(work.actor, "post the digest on demand")
    found = digests.get_schedule(work.session, wanted)
    tz = found.timezone if found is not None else work.runtime.settings.timezone
    day = digests.local_now(at, tz).date()
    extra = digests.record_extra(
        work.session,
        channel_id=wanted,
        local_date=day,
        reason="now",
        requested_by=work.actor.user_id,
        now=at,
    )
    post = channel_post(
        wanted,
        build_digest(work.session, day=day, now=at, stage_days=work.runtime.stage_days),
        key=None,
    )
    post = post.model_copy(update={"record": RECORD_EXTRA, "record_id": extra.id})
    return Reply(text=f"Posting the digest to <#{wanted}>.", outbox=[post])


def preview(work: Work, invocation: Invocation) -> Reply:
    _no_extra_args(invocation)
    at = work.now
    found = digests.get_schedule(work.session, invocation.channel_id)
    scheduled = found is not None and found.enabled
    tz = found.timezone if found is not None and scheduled else work.runtime.settings.timezone
    content = build_digest(
        work.session,
        day=digests.local_now(at, tz).date(),
        now=at,
        stage_days=work.runtime.stage_days,
    )
    if found is not None and scheduled:
        footer = views.schedule_text(found, digests.next_run(found, at))
    else:
        footer = (
            f"No digest is scheduled in <#{invocation.channel_id}>; "
            "`/digest schedule 09:00` starts one."
        )
    text, blocks = views.preview(content, f"Only you can see this preview. {footer}")
    return Reply(text=text, blocks=blocks)


def settings(work: Work, invocation: Invocation) -> Reply:
    _no_extra_args(invocation)
    schedules = digests.enabled_schedules(work.session)
    lines = [views.schedule_text(s, digests.next_run(s, work.now)) for s in schedules]
    mine = invocation.user_id in digests.subscribers(work.session)
    return Reply(text=views.settings_text(lines, personal=mine, at=digests.PERSONAL_TIME))


def me(work: Work, invocation: Invocation) -> Reply:
    choice = invocation.args[0].lower() if len(invocation.args) == 1 else ""
    if choice not in ("on", "off"):
        raise UsageError(f"On or off? Usage: `{invocation.usage()}`")
    digests.set_personal(work.session, user_id=invocation.user_id, on=choice == "on", now=work.now)
    if choice == "off":
        return Reply(text="Your personal digest is off.")
    at = digests.PERSONAL_TIME
    return Reply(
        text=(
            f"You'll get your own digest by DM at {at:%H:%M} ({work.runtime.settings.timezone}) on "
            "weekdays when something you own is overdue or due in the next 7 days. "
            "`/digest me off` stops it."
        )
    )


def calendar(work: Work, invocation: Invocation) -> Reply:
    """The person's private feed URL; `reset` revokes it and gives a new one."""
    choice = invocation.args[0].lower() if len(invocation.args) == 1 else ""
    if len(invocation.args) > 1 or choice not in ("", "reset"):
        raise UsageError(
            f"`/digest calendar` takes nothing, or `reset`. Usage: `{invocation.usage()}`"
        )
    settings = work.runtime.settings
    key = calendars.feed_key(settings)
    reset = choice == "reset"
    if settings.public_url is None:
        # Without it the URL can't be shown; a reset still revokes the old one.
        if reset:
            calendars.rotate(work.session, user_id=work.user_id, key=key, now=work.now)
        return Reply(text=calendar_views.not_set_up_text(reset=reset))
    coordinator = work.actor.is_coordinator
    if reset:
        secret = calendars.rotate(work.session, user_id=work.user_id, key=key, now=work.now)
        url = calendars.feed_url(settings.public_url, secret)
        return Reply(text=calendar_views.reset_text(url, coordinator=coordinator))
    feed = calendars.current(work.session, user_id=work.user_id, key=key, now=work.now)
    url = calendars.feed_url(settings.public_url, feed.secret)
    replaced = feed.issued is calendars.Issued.REPLACED
    return Reply(text=calendar_views.feed_text(url, coordinator=coordinator, replaced=replaced))


HANDLERS: dict[str, Handler] = {
    "schedule": schedule,
    "off": off,
    "now": now,
    "preview": preview,
    "settings": settings,
    "me": me,
    "calendar": calendar,
}
__all__ = ["HANDLERS", "RECORDERS"]
