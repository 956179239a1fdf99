"""Block Kit for digests: the channel digest, the personal DM, and schedule summaries.

Every list is cut to a character budget so the whole message stays within Block Kit's limits
(50 blocks, 3,000 characters a section, about 12,000 characters of block text) however
many items there are; what is cut is counted in "…and N more" with the command that lists it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from slack_sdk.models.blocks import Block, HeaderBlock

from bot.domain.dates import readable
from bot.domain.money import format_money
from bot.slack.blocks import SECTION_CHARS, BlockLike, Blocks, context, section, to_dicts
from bot.slack.text import escape, fit, mention

if TYPE_CHECKING:
    from bot.digests.conditions import OpenCondition
    from bot.digests.content import (
        DigestContent,
        DigestItem,
        PersonalDigest,
        StreetDateAtRisk,
        UnlockedCopy,
        WaitingApproval,
    )
    from bot.digests.invoices import LateInvoice
    from bot.storage.digest_models import DigestSchedule


TITLE_CHARS = 60
# The channel digest's budgets add up to 10,600 characters: with the headings, the "…and
# N more" lines and the preview's footer, well under the 12,000 of a message's blocks.
AT_RISK_BUDGET = 1_000
OVERDUE_BUDGET = 4_000  # was 5,000: street dates at risk took the rest
DUE_SOON_BUDGET = 3_000
WAITING_BUDGET = 1_800
OVERDUE_COMMAND = "/asset list overdue"
DUE_SOON_COMMAND = "/asset list"
WAITING_COMMAND = "/approval pending"
COPY_BUDGET = 800
# A personal digest's open conditions (it has room: it holds one person's work).
CONDITIONS_BUDGET = 2_000
CONDITIONS_COMMAND = "/asset conditions A-…"
RELEASES_COMMAND = "/release list"
# A personal digest: overdue 4,000 + due soon 3,000 + invoices 2,500, under the 12,000 too.
INVOICES_BUDGET = 2_500
INVOICES_COMMAND = "/invoice list overdue"
FLAG_WORDS = {
    "total": "total differs from the order",
    "currency": "currency differs from the order",
    "not_received": "not yet received",
}


@dataclass(frozen=True)
class _Line:
    group: str | None  # a heading shown once before the first line of its group
    text: str


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _day(day: date, today: date) -> str:
    return readable(day, today)


def _people(item: DigestItem) -> str:
    parts = [mention(item.owner_id)]
    if item.freelancer_user_id:
        parts.append(f"freelancer {mention(item.freelancer_user_id)}")
    elif item.freelancer_name:
        parts.append(f"freelancer {fit(item.freelancer_name, 40)}")
    return " · ".join(parts)


def item_line(item: DigestItem, today: date, *, with_release: bool = False) -> str:
    title = fit(item.title, TITLE_CHARS)
    label = f"*A-{item.asset_id}*"
    if with_release and item.release_catno:
        label += f" {escape(item.release_catno)}"
    parts = [f"• {label} {title}", item.stage, f"due {_day(item.due, today)}"]
    if item.priority != "normal":
        parts.insert(1, f"*{item.priority}*")
    if item.due < today:
        parts.append(f"*{_plural((today - item.due).days, 'day')} late*")
    parts.append(_people(item))
    return " · ".join(parts)


def _release_heading(item: DigestItem) -> str:
    if item.release_id is None:
        return "_Not part of a release_"
    title = fit(item.release_title or "", TITLE_CHARS)
    return f"*{escape(item.release_catno or '')}* {title}".rstrip()


def _by_release(items: Sequence[DigestItem], today: date) -> list[_Line]:
    """Items grouped by release; a group comes where its first item comes (least float first)."""
    groups: dict[int | None, list[DigestItem]] = {}
    for item in items:
        groups.setdefault(item.release_id, []).append(item)
    return [
        _Line(_release_heading(members[0]), item_line(item, today))
        for members in groups.values()
        for item in members
    ]


def _age(requested_at: datetime, now: datetime) -> str:
    hours = max(int((now - requested_at).total_seconds() // 3600), 0)
    return f"waiting {_plural(hours // 24, 'day')}" if hours >= 24 else f"waiting {hours} h"


def waiting_line(waiting: WaitingApproval, now: datetime) -> str:
    title = fit(waiting.asset_title, TITLE_CHARS)
    return (
        f"• *A-{waiting.asset_id}* {title} — {escape(waiting.department)} · "
        f"{_age(waiting.requested_at, now)}"
    )


def pack(lines: Iterable[_Line], *, total: int, budget: int, command: str) -> list[BlockLike]:
    """Sections holding as many lines as fit in ``budget`` characters, then "…and N more"."""
    sections: list[BlockLike] = []
    chunk: list[str] = []
    chunk_chars = used = shown = 0
    group: str | None = None
    for line in lines:
        texts = [line.text] if line.group == group else [line.group or "", line.text]
        cost = sum(len(text) + 1 for text in texts)
        if used + cost > budget:
            break
        if chunk_chars + cost > SECTION_CHARS:
            sections.append(section("\n".join(chunk)))
            chunk, chunk_chars = [], 0
        chunk.extend(texts)
        chunk_chars += cost
        used += cost
        shown += 1
        group = line.group
    if chunk:
        sections.append(section("\n".join(chunk)))
    if total > shown:
        sections.append(context(f"…and {total - shown} more: `{command}`"))
    return sections


def _titled(title: str, total: int) -> Block:
    return section(f"*{title}* ({total})")


def channel_digest(content: DigestContent) -> tuple[str, Blocks]:
    today = content.day
    heading = f"Production digest · {today:%a} {today.day} {today:%b %Y}"
    blocks: list[BlockLike] = [HeaderBlock(text=heading)]
    if content.all_clear:
        blocks.append(section("*All clear:* nothing overdue, nothing due in the next 7 days."))
    if content.at_risk.total:  # first: a street date is what the work is for
        blocks.append(_titled("Street dates at risk", content.at_risk.total))
        lines = [_Line(None, at_risk_line(item)) for item in content.at_risk.items]
        blocks += pack(
            lines, total=content.at_risk.total, budget=AT_RISK_BUDGET, command=RELEASES_COMMAND
        )
    if content.overdue.total:
        blocks.append(_titled("Overdue", content.overdue.total))
        lines = _by_release(content.overdue.items, today)
        blocks += pack(
            lines, total=content.overdue.total, budget=OVERDUE_BUDGET, command=OVERDUE_COMMAND
        )
    if content.due_soon.total:
        blocks.append(_titled("Due in the next 7 days", content.due_soon.total))
        lines = [
            _Line(None, item_line(i, today, with_release=True)) for i in content.due_soon.items
        ]
        blocks += pack(
            lines, total=content.due_soon.total, budget=DUE_SOON_BUDGET, command=DUE_SOON_COMMAND
        )
    if content.waiting.total:
        blocks.append(_titled("Waiting on approval", content.waiting.total))
        lines = [_Line(None, waiting_line(w, content.now)) for w in content.waiting.items]
        blocks += pack(
            lines, total=content.waiting.total, budget=WAITING_BUDGET, command=WAITING_COMMAND
        )
    if content.copy_unlocked.total:
        blocks.append(_titled("In review, label copy not locked", content.copy_unlocked.total))
        lines = [_Line(None, copy_line(item)) for item in content.copy_unlocked.items]
        blocks += pack(
            lines, total=content.copy_unlocked.total, budget=COPY_BUDGET, command=RELEASES_COMMAND
        )
    if content.on_hold:
        blocks.append(context(f"*On hold:* {content.on_hold} (`/asset list stage:on_hold`)"))
    return _summary(content), to_dicts(blocks)


def at_risk_line(item: StreetDateAtRisk) -> str:
    """``*SLV-014* Midnight Tapes street date at risk: Vinyl jacket (A-7) needs 58 days, 41 left``"""
    return (
        f"*{fit(item.catno, 32)}* {fit(item.title, TITLE_CHARS)} street date at risk: "
        f"{fit(item.asset_title, TITLE_CHARS)} (A-{item.asset_id}) needs "
        f"{_plural(item.needs, 'day')}, {item.left} left"
    )


def copy_line(item: UnlockedCopy) -> str:
    art = _plural(item.in_review, "piece") + " of art"
    return (
        f"*{fit(item.catno, 32)}* {fit(item.title, TITLE_CHARS)}: {art} in review against "
        f"label copy that may still change (`/labelcopy lock {fit(item.catno, 32)}`)"
    )


def _summary(content: DigestContent) -> str:
    day = f"{content.day:%a} {content.day.day} {content.day:%b}"
    parts = [
        f"{total} {what}"
        for total, what in (
            (
                content.at_risk.total,
                "street dates at risk" if content.at_risk.total > 1 else "street date at risk",
            ),
            (content.overdue.total, "overdue"),
            (content.due_soon.total, "due in the next 7 days"),
            (content.waiting.total, "waiting on approval"),
            (content.copy_unlocked.total, "in review with label copy unlocked"),
            (content.on_hold, "on hold"),
        )
        if total
    ]
    if content.all_clear:
        parts.insert(0, "all clear")
    return f"Production digest for {day}: {', '.join(parts)}"


def invoice_line(invoice: LateInvoice, today: date) -> str:
    """``• *OM-7781* from Optimal Media · PO-2027-0001 · due Fri 1 Jan · *3 days late* ·
    1,075.00 EUR · _not yet received_``: only ever in a purchaser's DM (it has the amount)."""
    way = "to" if invoice.direction == "out" else "from"  # the label's own, or a supplier's
    parts = [f"• *{fit(invoice.number, 60)}* {way} {fit(invoice.party, 60)}"]
    if invoice.order_number:
        parts.append(escape(invoice.order_number))
    parts += [
        f"due {_day(invoice.due, today)}",
        f"*{_plural((today - invoice.due).days, 'day')} late*",
        format_money(invoice.amount, invoice.currency),
    ]
    flags = [FLAG_WORDS.get(flag, flag) for flag in invoice.flags]
    if flags:
        parts.append(f"_{', '.join(flags)}_")
    return " · ".join(parts)


def personal_digest(digest: PersonalDigest) -> tuple[str, Blocks]:
    today = digest.day
    blocks: list[BlockLike] = [HeaderBlock(text=f"Your digest · {today:%a} {today.day} {today:%b}")]
    for title, part, budget, command in (
        ("Overdue", digest.overdue, OVERDUE_BUDGET, f"{OVERDUE_COMMAND} mine"),
        ("Due in the next 7 days", digest.due_soon, DUE_SOON_BUDGET, f"{DUE_SOON_COMMAND} mine"),
    ):
        if part.total:
            blocks.append(_titled(title, part.total))
            lines = [_Line(None, item_line(i, today, with_release=True)) for i in part.items]
            blocks += pack(lines, total=part.total, budget=budget, command=command)
    bills = digest.invoices
    if bills.total:
        blocks.append(_titled("Unpaid invoices past due", bills.total))
        lines = [_Line(None, invoice_line(invoice, today)) for invoice in bills.items]
        blocks += pack(lines, total=bills.total, budget=INVOICES_BUDGET, command=INVOICES_COMMAND)
    to_do = digest.conditions
    if to_do.total:
        blocks.append(_titled("Open conditions on your assets", to_do.total))
        lines = [_Line(None, condition_line(item)) for item in to_do.items]
        blocks += pack(
            lines, total=to_do.total, budget=CONDITIONS_BUDGET, command=CONDITIONS_COMMAND
        )
    blocks.append(context("You asked for this with `/digest me on`; `/digest me off` stops it."))
    text = (
        f"Your digest: {digest.overdue.total} overdue, "
        f"{digest.due_soon.total} due in the next 7 days"
    )
    if bills.total:
        text += f", {_plural(bills.total, 'unpaid invoice')} past due"
    if to_do.total:
        text += f", {_plural(to_do.total, 'open condition')}"
    return text, to_dicts(blocks)


def condition_line(item: OpenCondition) -> str:
    """``• *A-3* Front cover — 1. logo 10% bigger``"""
    return (
        f"• *A-{item.asset_id}* {fit(item.asset_title, TITLE_CHARS)} — {item.number}. "
        f"{fit(item.text, 200)}"
    )


def schedule_text(schedule: DigestSchedule, next_at: datetime | None) -> str:
    days = "on weekdays" if schedule.days == "weekdays" else "every day"
    text = (
        f"The digest for <#{schedule.channel_id}> posts at {schedule.local_time:%H:%M} "
        f"{schedule.timezone} {days}"
    )
    if next_at is not None:
        text += f"; next on {next_at:%a} {next_at.day} {next_at:%b} at {next_at:%H:%M}"
    return text + "."


def settings_text(schedules: list[str], *, personal: bool, at: time) -> str:
    """`/digest settings`: every channel's schedule, and the asker's personal digest."""
    lines = schedules or ["No channel has a digest yet: `/digest schedule 09:00` starts one."]
    you = (
        f"You get your own digest by DM at {at:%H:%M} on weekdays (`/digest me off` stops it)."
        if personal
        else "You don't get a personal digest (`/digest me on`)."
    )
    return "\n".join([*lines, you])


def preview(content: DigestContent, footer: str) -> tuple[str, Blocks]:
    text, blocks = channel_digest(content)
    return text, [*blocks, *to_dicts([context(footer)])]
