"""Block Kit for the freelancer directory. Rates appear only where the caller passes
``show_rates`` (a coordinator's ephemeral reply); thread notices never carry one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from slack_sdk.models.blocks import HeaderBlock, MarkdownTextObject, SectionBlock

from bot.assets.messages import asset_label, asset_line
from bot.domain.dates import readable
from bot.domain.money import format_rate
from bot.freelancers.assignments import Assigned
from bot.freelancers.directory import Profile, Workload
from bot.slack.blocks import BlockLike, context, line_sections, section, to_dicts
from bot.slack.replies import Reply
from bot.slack.text import fit, mention, truncate

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from bot.storage.freelancer_models import Assignment, Freelancer, RateAgreement
    from bot.storage.mail_models import MailLog


NAME_IN_LINE = 60
HISTORY_LINES = 15
RESTRICTED = "rates: restricted"
STAFF_ONLY = "_for department members_"
RATES_BUDGET = 2000
HISTORY_BUDGET = 2000


def label(freelancer: Freelancer) -> str:
    return f"F-{freelancer.id}"


def name(freelancer: Freelancer, limit: int = NAME_IN_LINE) -> str:
    return fit(freelancer.name, limit)


def who(freelancer: Freelancer) -> str:
    """A mention when they are in Slack (so they are notified), else their name."""
    return mention(freelancer.slack_user_id) if freelancer.slack_user_id else name(freelancer)


def _day(day: date, today: date) -> str:
    return readable(day, today)


def agreement_text(agreement: RateAgreement, today: date) -> str:
    text = f"{format_rate(agreement.amount, agreement.currency, agreement.unit)}"
    text += f" from {_day(agreement.valid_from, today)}"
    if agreement.note:
        text += f" ({fit(agreement.note, 120)})"
    return text


def _directory_line(row: Workload, today: date, show_rates: bool) -> str:
    f = row.freelancer
    parts = [f"*{label(f)}* {name(f)}"]
    skills = ", ".join(f.skill_list)
    parts.append(fit(skills, 120) if skills else "no skills listed")
    parts.append(f"{row.open_assets} open")
    if row.next_due is not None:
        parts.append(f"next due {_day(row.next_due, today)}")
    if show_rates:
        parts.append(
            format_rate(row.current.amount, row.current.currency, row.current.unit)
            if row.current
            else "no rate in force"
        )
    if not f.active:
        parts.append("_archived_")
    return " · ".join(parts)


def directory(
    rows: list[Workload],
    *,
    today: date,
    show_rates: bool,
    include_archived: bool,
    skill: str | None,
) -> Reply:
    scope = " including archived" if include_archived else ""
    matching = f" with a skill like {fit(skill, 40)}" if skill else ""
    if not rows:
        if skill:
            return Reply(text=f"No freelancer{scope}{matching}. `/freelancer list` shows them all.")
        return Reply(text="No freelancers yet. `/freelancer add` adds one.")
    header = f"{len(rows)} freelancer{'s' if len(rows) != 1 else ''}{matching}{scope}"
    header += ", least loaded first (open assets, then next due date)"
    lines = [_directory_line(row, today, show_rates) for row in rows]
    more = "/freelancer list skill:…" if not skill else None
    blocks = [section(f"*{header}*"), *line_sections(lines, more_command=more)]
    if not show_rates:
        blocks.append(context(f"{RESTRICTED} — coordinators see them here."))
    return Reply(text=header, blocks=to_dicts(blocks))


def _rates(profile: Profile, today: date) -> list[BlockLike]:
    if not profile.agreements:
        return [section("*Rates*\nno rate agreement yet")]
    lines = ["*Rates*"]
    for agreement in profile.agreements[:HISTORY_LINES]:
        if profile.current is not None and agreement.id == profile.current.id:
            tag = "current"
        elif agreement.valid_from > today:
            tag = "scheduled"
        else:
            tag = "earlier"
        lines.append(f"• {tag}: {agreement_text(agreement, today)}")
    if profile.current is None:
        lines.insert(1, "no agreement in force today")
    return line_sections(lines, budget=RATES_BUDGET, max_sections=1)


def _history_line(assignment: Assignment, today: date) -> str:
    asset = assignment.asset
    end = assignment.unassigned_at
    until = _day(end.date(), today) if end else asset.stage
    return (
        f"• *{asset_label(asset)}* {fit(asset.title, 100)} · "
        f"{_day(assignment.assigned_at.date(), today)} → {until}"
    )


def profile_reply(profile: Profile, *, today: date, show_rates: bool, show_contacts: bool) -> Reply:
    f = profile.freelancer
    title = f"{label(f)} {f.name}" + ("" if f.active else " (archived)")
    email = fit(f.email, 1300) if show_contacts else STAFF_ONLY
    phone = (fit(f.phone, 200) if f.phone else "—") if show_contacts else STAFF_ONLY
    # Each piece of user text has its own budget, so the whole stays within Slack's 12k.
    fields = [
        MarkdownTextObject(text=f"*Email*\n{email}"),
        MarkdownTextObject(text=f"*Phone*\n{phone}"),
        MarkdownTextObject(text=f"*Slack*\n{mention(f.slack_user_id) if f.slack_user_id else '—'}"),
        MarkdownTextObject(text=f"*Skills*\n{fit(', '.join(f.skill_list), 600) or '—'}"),
        MarkdownTextObject(text=f"*Portfolio*\n{fit(f.portfolio, 600) if f.portfolio else '—'}"),
        MarkdownTextObject(text=f"*Status*\n{'active' if f.active else 'archived'}"),
    ]
    blocks: list[BlockLike] = [HeaderBlock(text=truncate(title, 150)), SectionBlock(fields=fields)]
    if f.notes:
        blocks.append(section("*Notes*\n" + fit(f.notes, 1500)))
    if show_rates:
        blocks.extend(_rates(profile, today))
    else:
        blocks.append(section(f"*Rates*\n{RESTRICTED}"))
    if profile.open_assets:
        blocks.append(section(f"*Open assignments ({len(profile.open_assets)})*"))
        blocks.extend(
            line_sections(
                [asset_line(asset, today) for asset in profile.open_assets],
                budget=2500,
                max_sections=1,
            )
        )
    # Open assignments of open assets are listed above; the rest is history.
    open_ids = {asset.id for asset in profile.open_assets}
    past = [a for a in profile.history if a.unassigned_at or a.asset_id not in open_ids]
    if past:
        lines = ["*Assignment history*"]
        for assignment in past[:HISTORY_LINES]:
            line = _history_line(assignment, today)
            if sum(len(kept) + 1 for kept in lines) + len(line) > HISTORY_BUDGET:
                break  # whole lines only, so no escaped entity is cut
            lines.append(line)
        blocks.append(context("\n".join(lines)))
    return Reply(text=fit(title, 150), blocks=to_dicts(blocks))


def added_text(freelancer: Freelancer, agreement: RateAgreement | None, today: date) -> str:
    text = f"Added *{label(freelancer)}* {name(freelancer)} to the directory."
    if agreement is not None:
        text += f" Rate: {agreement_text(agreement, today)}."
    else:
        text += f" No rate yet: `/freelancer rate {label(freelancer)} 450 per:asset currency:GBP`."
    return text


def rate_text(
    freelancer: Freelancer, agreement: RateAgreement, current: RateAgreement | None, today: date
) -> str:

    text = f"*{label(freelancer)}* {name(freelancer)}: recorded {agreement_text(agreement, today)}."
    if current is not None and current.id != agreement.id:
        if agreement.valid_from > today:
            text += f" Until then the current one stays: {agreement_text(current, today)}."
        else:  # backdated before a later agreement: that later one is still the one in force
            text += (
                " A later agreement is in force and stays current: "
                f"{agreement_text(current, today)}."
            )
    return text


def assignment_notice(assigned: Assigned, actor_id: str) -> str:
    """The home-thread line: who works on it now. Never a rate."""
    asset = assigned.asset
    text = f"*{asset_label(asset)}* {fit(asset.title, 80)}: assigned to {who(assigned.freelancer)}"
    if assigned.previous is not None:
        text += f" (was {name(assigned.previous)})"
    text += f" by {mention(actor_id)}"
    if assigned.moved_to_design:
        text += " · stage brief → *design*"
    return text


def assigned_text(assigned: Assigned, *, warn_no_agreement: bool) -> str:
    f = assigned.freelancer
    text = f"{asset_label(assigned.asset)} is now assigned to *{label(f)}* {name(f)}"
    if assigned.previous is not None:
        text += f" (was {label(assigned.previous)} {name(assigned.previous)})"
    text += "."
    if assigned.moved_to_design:
        text += " It moved from brief to design."
    if warn_no_agreement and not assigned.has_agreement:
        text += (
            f"\n:warning: {label(f)} has no rate agreement in force; record one with "
            f"`/freelancer rate {label(f)} 450 per:asset currency:GBP`."
        )
    return text


MAIL_WORDS = {
    "assignment": "the assignment",
    "changes_requested": "the changes requested",
    "approved": "the approval",
    "due_moved": "the new due date",
    "cancelled": "the cancellation",
}


def mail_line(log: MailLog, tz: ZoneInfo) -> str:
    """``• mailed the assignment to the freelancer · 30 Nov 10:02`` (no address: contact
    details are for staff, and `/asset show` is for everyone)."""
    what = MAIL_WORDS.get(log.mail_kind, log.mail_kind)
    if log.sent_at is not None:
        at = log.sent_at.astimezone(tz)
        return f"• mailed {what} to the freelancer · {at:%d %b %H:%M}"
    if log.failed_at is not None:
        return f"• couldn't mail {what} to the freelancer: {fit(log.error or '', 120)}"
    return f"• mail of {what} to the freelancer is on its way"
