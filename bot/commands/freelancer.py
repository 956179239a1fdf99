"""/freelancer: the directory of freelance designers, their rate agreements and workload.

Every reply here is the ephemeral ack, seen by the caller only: that is what lets a
coordinator see rates. Nothing in this module posts to a channel.
"""

from __future__ import annotations

from bot.assets.messages import asset_label
from bot.commands.dispatch import Handler, Invocation, expect_args
from bot.commands.parser import parse_id
from bot.commands.values import date_option, required, user_id
from bot.core.errors import UsageError, echo
from bot.departments.work import Work
from bot.freelancers import directory
from bot.freelancers import messages as views
from bot.freelancers import service as freelancers
from bot.slack.replies import Reply

RATE_EXAMPLE = "rate:450 per:asset currency:GBP"


def _freelancer_id(invocation: Invocation) -> int:
    if not invocation.args:
        raise UsageError(f"Which freelancer? Usage: `{invocation.usage()}`")
    return parse_id(invocation.args[0], prefix="F", field="freelancer")


def _no_extra_words(invocation: Invocation, allowed: int) -> None:
    if len(invocation.args) > allowed:
        extra = invocation.args[allowed]
        raise UsageError(
            f"`{invocation.noun.command} {invocation.verb.name}` doesn't understand {echo(extra)}; "
            f"values go in key:value, quoted when they have spaces. Usage: `{invocation.usage()}`"
        )


def _slack(value: str) -> str | None:
    # An empty value unlinks the Slack user; anything else must be a mention.
    return user_id(value, field="slack:") if value.strip() else None


def _add_rate(invocation: Invocation, work: Work) -> freelancers.RateInput | None:
    options = invocation.options
    if "rate" not in options:
        stray = [key for key in ("per", "currency", "from") if key in options]
        if stray:
            raise UsageError(f"`{stray[0]}:` goes with a rate, e.g. `{RATE_EXAMPLE}`.")
        return None
    today = work.today
    return freelancers.RateInput(
        amount=options["rate"],
        currency=required(invocation, "currency", "currency:GBP"),
        unit=required(invocation, "per", "per:asset"),
        valid_from=date_option(invocation, "from", today) or today,
    )


def add(work: Work, invocation: Invocation) -> Reply:
    if not invocation.args:
        raise UsageError(f"A freelancer needs a name. Usage: `{invocation.usage()}`")
    options = invocation.options
    data = freelancers.ContactInput(
        name=" ".join(invocation.args),
        email=required(invocation, "email", "email:jane@example.com"),
        phone=options.get("phone"),
        slack_user_id=_slack(options["slack"]) if "slack" in options else None,
        skills=options.get("skills"),
        portfolio=options.get("portfolio"),
        notes=options.get("notes"),
    )
    rate = _add_rate(invocation, work)
    today = work.today
    added = freelancers.add_freelancer(
        work.session, actor=work.actor, data=data, rate=rate, now=work.now
    )
    agreement = freelancers.latest_agreement(added.agreements)
    return Reply(text=views.added_text(added, agreement, today))


def list_(work: Work, invocation: Invocation) -> Reply:
    unknown = [word for word in invocation.args if word.lower() != "all"]
    if unknown:
        raise UsageError(
            f"`/freelancer list` doesn't understand {echo(unknown[0])}. "
            f"Usage: `{invocation.usage()}`"
        )
    include_archived = bool(invocation.args)
    skill = invocation.options.get("skill")
    today = work.today
    rows = directory.list_directory(
        work.session, today=today, skill=skill, include_archived=include_archived
    )
    return views.directory(
        rows,
        today=today,
        show_rates=work.actor.is_coordinator,
        include_archived=include_archived,
        skill=skill,
    )


def show(work: Work, invocation: Invocation) -> Reply:
    if not invocation.args:
        raise UsageError(f"Which freelancer? Usage: `{invocation.usage()}` (or a name)")
    today = work.today
    found = directory.profile(work.session, " ".join(invocation.args), today=today)
    return views.profile_reply(
        found,
        today=today,
        show_rates=work.actor.is_coordinator,
        show_contacts=work.actor.is_coordinator or work.actor.is_staff,
    )


def edit(work: Work, invocation: Invocation) -> Reply:
    wanted = _freelancer_id(invocation)
    _no_extra_words(invocation, 1)
    changes = dict(invocation.options)
    if "slack" in changes:
        changes["slack"] = _slack(changes["slack"]) or ""
    edited, changed = freelancers.edit_freelancer(
        work.session, actor=work.actor, freelancer_id=wanted, changes=changes, now=work.now
    )
    who = f"*{views.label(edited)}* {views.name(edited)}"
    if not changed:
        return Reply(text=f"{who}: nothing changed.")
    fields = ", ".join("slack" if column == "slack_user_id" else column for column in changed)
    return Reply(text=f"{who}: updated {fields}.")


def rate(work: Work, invocation: Invocation) -> Reply:
    expect_args(invocation, 2)
    wanted = _freelancer_id(invocation)
    _no_extra_words(invocation, 2)
    today = work.today
    options = invocation.options
    data = freelancers.RateInput(
        amount=invocation.args[1],
        currency=options.get("currency"),
        unit=options.get("per"),
        valid_from=date_option(invocation, "from", today) or today,
        note=options.get("note"),
    )
    freelancer, agreement = freelancers.record_rate(
        work.session, actor=work.actor, freelancer_id=wanted, rate=data, now=work.now
    )
    current = freelancers.current_agreement(freelancer.agreements, today)
    return Reply(text=views.rate_text(freelancer, agreement, current, today))


def archive(work: Work, invocation: Invocation) -> Reply:
    wanted = _freelancer_id(invocation)
    freelancer = freelancers.set_active(
        work.session, actor=work.actor, freelancer_id=wanted, active=False, now=work.now
    )
    text = (
        f"Archived *{views.label(freelancer)}* {views.name(freelancer)}: out of the lists "
        "and can't be assigned; their history stays."
    )
    still = directory.open_assets(work.session, freelancer.id)
    if still:
        ids = ", ".join(asset_label(asset) for asset in still[:10])
        text += f" Still assigned to {ids}: reassign with `/asset assign A-… F-…`."
    return Reply(text=text)


def restore(work: Work, invocation: Invocation) -> Reply:
    wanted = _freelancer_id(invocation)
    freelancer = freelancers.set_active(
        work.session, actor=work.actor, freelancer_id=wanted, active=True, now=work.now
    )
    return Reply(
        text=f"Restored *{views.label(freelancer)}* {views.name(freelancer)} to the directory."
    )


HANDLERS: dict[str, Handler] = {
    "add": add,
    "list": list_,
    "show": show,
    "edit": edit,
    "rate": rate,
    "archive": archive,
    "restore": restore,
}
