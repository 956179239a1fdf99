"""The App Home tab: what waits on you, your assets, what is late, the next street dates.

A Home holds at most 100 blocks: each waiting round takes two (its line and the same three
buttons as in its thread), every list is packed into sections within their 3,000
characters, and what is cut is counted with the command that lists it all.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from slack_sdk.models.blocks import Block, DividerBlock
from slack_sdk.models.views import View

from bot.approvals.messages import decision_buttons
from bot.commands.catalog import NOUNS
from bot.digests.messages import TITLE_CHARS, copy_line, item_line
from bot.domain.dates import readable
from bot.slack.blocks import context, header, line_sections, section
from bot.slack.text import channel_link, escape, fit

if TYPE_CHECKING:
    from bot.digests.queries import DigestItem, Section
    from bot.home.content import HomeContent, StreetDate, WaitingOnYou

HOME_COPY_LINES = 10
LIST_BUDGET = 2_800  # per list: one or two sections


def _role(content: HomeContent) -> str:
    if content.is_guest:
        return (
            "You aren't in a department yet, so this shows your own work only; a coordinator "
            "can add you with `/dept set`."
        )
    names = ", ".join(escape(dept.name) for dept in content.departments)
    return f"You decide for: *{names}*."


def waiting_line(item: WaitingOnYou, today: date) -> str:
    label = f"*A-{item.asset_id}*"
    if item.catno:
        label += f" {escape(item.catno)}"
    parts = [f"{label} {fit(item.asset_title, TITLE_CHARS)}", f"round {item.round}"]
    parts.append(f"for {escape(item.dept_name)}")
    if item.due:
        parts.append(f"decide by {readable(item.due, today)}")
    if item.channel_id:
        parts.append(f"thread in {channel_link(item.channel_id)}")
    return " · ".join(parts)


def your_line(item: DigestItem, today: date) -> str:
    if item.due is not None:
        return item_line(item, today, with_release=True)
    label = f"*A-{item.asset_id}*"
    if item.release_catno:
        label += f" {escape(item.release_catno)}"
    return f"• {label} {fit(item.title, TITLE_CHARS)} · {item.stage} · no due date"


def street_date_line(item: StreetDate, today: date) -> str:
    ready = f"{item.approved} of {item.assets} approved" if item.assets else "no assets yet"
    return (
        f"• *{fit(item.catno, 32)}* {fit(item.title, TITLE_CHARS)} · "
        f"{readable(item.street_date, today)} · {ready}"
    )


def _list(title: str, lines: list[str], total: int, command: str) -> list[Block]:
    blocks: list[Block] = [section(f"*{title}* ({total})")]
    if not total:
        return [*blocks, context("Nothing here.")]
    return blocks + line_sections(lines, total=total, more_command=command, budget=LIST_BUDGET)


def _waiting(waiting: Section, today: date) -> list[Block]:
    blocks: list[Block] = [section(f"*Waiting on you* ({waiting.total})")]
    if not waiting.total:
        return [*blocks, context("No approval waits on you.")]
    for item in waiting.items:
        blocks += [
            section(waiting_line(item, today)),
            decision_buttons(item.request_id, item.dept_key),
        ]
    if waiting.total > len(waiting.items):
        more = waiting.total - len(waiting.items)
        blocks.append(context(f"…and {more} more: `/approval pending mine`"))
    return blocks


def home_view(content: HomeContent) -> dict[str, Any]:
    today = content.day
    blocks: list[Block] = [header("Sleeve"), section(_role(content)), DividerBlock()]
    if not content.is_guest:
        blocks += [*_waiting(content.waiting, today), DividerBlock()]
    yours = [your_line(item, today) for item in content.yours.items]
    blocks += _list("Your assets", yours, content.yours.total, "/asset list mine")
    late_title = "Overdue" if content.is_coordinator else "Your overdue work"
    late = [item_line(item, today, with_release=True) for item in content.overdue.items]
    blocks += _list(late_title, late, content.overdue.total, "/asset list overdue")
    if not content.is_guest:
        dates = [street_date_line(item, today) for item in content.street_dates.items]
        title = "Next street dates"
        blocks += [
            DividerBlock(),
            *_list(title, dates, content.street_dates.total, "/release list"),
        ]
        if content.copy_unlocked.total:
            lines = [f"• {copy_line(item)}" for item in content.copy_unlocked.items]
            title, total = "In review, label copy not locked", content.copy_unlocked.total
            blocks += _list(title, lines[:HOME_COPY_LINES], total, "/release list")
    commands = "\n".join(f"`{noun.command} help` — {noun.description}" for noun in NOUNS.values())
    blocks += [DividerBlock(), section(commands)]
    return View(type="home", blocks=blocks).to_dict()
