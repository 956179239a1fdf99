"""Block Kit for approvals: the round's message (drawn the same before and after each
click), the request-changes modal, and the thread replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

from bot.domain.approvals import Status
from bot.domain.catalog import KINDS
from bot.slack import ids
from bot.slack.blocks import Blocks, context, line_sections, section, to_dicts
from bot.slack.text import escape, fit, group_mention, link, mention, short_date

if TYPE_CHECKING:
    from bot.departments.service import DepartmentView
    from bot.storage.approval_models import ApprovalRequest, ApprovalStep
    from bot.storage.asset_models import Asset
    from bot.storage.condition_models import Condition
    from bot.storage.proof_models import Proof


TITLE_IN_MESSAGE = 120


class ApprovalButton(BaseModel):
    """The value a decision button carries: which round and department, nothing else."""

    model_config = ConfigDict(extra="forbid")

    r: int
    d: str


class ChangesModalState(BaseModel):
    """Rides in the request-changes modal's private_metadata."""

    model_config = ConfigDict(extra="forbid")

    request_id: int
    dept: str
    # The round's message the form was opened from; None from the App Home.
    channel: str | None = None
    message_ts: str | None = None


def asset_title(asset: Asset) -> str:
    return f"A-{asset.id} {fit(asset.title, TITLE_IN_MESSAGE)}"


def people_for(asset: Asset) -> str:
    """The owner and the freelancer, as mentions (the freelancer by name when not in Slack)."""
    people = [mention(asset.owner_id)]
    freelancer = getattr(asset, "freelancer", None)
    if freelancer is not None:
        slack_id = getattr(freelancer, "slack_user_id", None)
        people.append(mention(slack_id) if slack_id else escape(freelancer.name))
    return " and ".join(people)


def _who(dept: DepartmentView) -> str:
    if dept.usergroup_id:
        return group_mention(dept.usergroup_id)
    return ", ".join(mention(user) for user in dept.members) or "no members"


def _step_line(step: ApprovalStep, dept: DepartmentView, tz: ZoneInfo, *, open_round: bool) -> str:
    name = f"*{escape(dept.name)}*"
    if step.status == Status.PENDING:
        return f"{name} — {_who(dept)} … pending" if open_round else f"{name} — not decided"
    when = step.decided_at.astimezone(tz) if step.decided_at else None
    at = f" at {when:%H:%M} on {short_date(when.date())}" if when else ""
    if step.status == Status.APPROVED and step.override:
        return (
            f"{name} — approved by override ({mention(step.decided_by)}{at}): "
            f"_{fit(step.reason or '', 300)}_"
        )
    if step.status == Status.APPROVED and step.reason:
        return (
            f"{name} — approved with changes by {mention(step.decided_by)}{at} "
            f":white_check_mark: “{fit(step.reason, 500)}”"
        )
    if step.status == Status.APPROVED:
        return f"{name} — approved by {mention(step.decided_by)}{at} :white_check_mark:"
    return (
        f"{name} — changes requested by {mention(step.decided_by)}{at}: "
        f"“{fit(step.reason or '', 500)}”"
    )


def _footer(request: ApprovalRequest) -> str | None:
    if request.status == Status.CANCELLED and request.close_reason:
        return f"Cancelled: {fit(request.close_reason, 300)}"
    return {
        Status.APPROVED: "Approved by every department.",
        Status.CHANGES_REQUESTED: "Closed: changes requested. The asset is back in design.",
        Status.SUPERSEDED: "Superseded by a newer round; these buttons no longer count.",
        Status.CANCELLED: "Cancelled.",
    }.get(Status(request.status))


def proof_link(proof: Proof) -> str:
    """``v2 booklet.pdf`` linked to the file in Slack."""
    return link(proof.permalink, f"{proof.label} {proof.name}", 120)


def decision_buttons(request_id: int, dept_key: str) -> ActionsBlock:
    """A department's three buttons on an open round: the same ids in the thread and on
    each approver's App Home, so one listener decides from either."""
    value = ApprovalButton(r=request_id, d=dept_key).model_dump_json()
    return ActionsBlock(
        block_id=ids.approval_block_id(request_id, dept_key),
        elements=[
            ButtonElement(text="Approve", action_id=ids.APPROVE, value=value, style="primary"),
            ButtonElement(
                text="Approve with changes", action_id=ids.APPROVE_WITH_CHANGES, value=value
            ),
            ButtonElement(
                text="Request changes", action_id=ids.REQUEST_CHANGES, value=value, style="danger"
            ),
        ],
    )


def approval_message(
    request: ApprovalRequest,
    asset: Asset,
    depts: dict[str, DepartmentView],
    tz: ZoneInfo,
    *,
    buttons: bool = True,
) -> tuple[str, Blocks]:
    heading = f"Approval needed for {asset_title(asset)} (round {request.round})"
    details = [f"requested by {mention(request.requested_by)}"]
    if request.due:
        details.append(f"decide by {short_date(request.due)}")
    if request.proof is not None:
        details.append(f"proof {proof_link(request.proof)}")
    blocks: list[Any] = [section(f"*{heading}*"), context(" · ".join(details))]
    if request.note:
        blocks.append(section(f"> {fit(request.note, 1500)}"))
    is_open = request.status == Status.PENDING
    open_round = buttons and is_open
    for step in request.steps:
        dept = depts[step.department_key]
        blocks.append(section(_step_line(step, dept, tz, open_round=is_open)))
        if open_round and step.status == Status.PENDING:
            blocks.append(decision_buttons(request.id, step.department_key))
    if request.skipped_keys:
        blocks.append(context(f"Not asked this round: {_names(request.skipped_keys, depts)}."))
    footer = _footer(request)
    if footer:
        blocks.append(context(footer))
    return heading, to_dicts(blocks)


def request_changes_modal(
    state: ChangesModalState, dept_name: str, asset: Asset, *, approving: bool = False
) -> dict[str, Any]:
    """The reason form of "Request changes", or (``approving``) the conditions form of
    "Approve with changes": one condition a line."""
    view = View(
        type="modal",
        callback_id=ids.APPROVE_WITH_CHANGES_VIEW if approving else ids.REQUEST_CHANGES_VIEW,
        title="Approve with changes" if approving else "Request changes",
        submit="Approve" if approving else "Send",
        close="Cancel",
        private_metadata=state.model_dump_json(),
        blocks=[
            section(f"{escape(dept_name)} on {asset_title(asset)}"),
            InputBlock(
                block_id=ids.REQUEST_CHANGES_REASON_BLOCK,
                label="What must change? One condition a line"
                if approving
                else "What needs to change?",
                element=PlainTextInputElement(
                    action_id=ids.REQUEST_CHANGES_REASON_INPUT, multiline=True, max_length=2000
                ),
            ),
        ],
    )
    return view.to_dict()


def _names(keys: list[str], depts: dict[str, DepartmentView]) -> str:
    return ", ".join(escape(depts[key].name) if key in depts else key for key in keys)


def all_approved_reply(
    asset: Asset, request: ApprovalRequest, depts: dict[str, DepartmentView]
) -> str:
    skipped = request.skipped_keys
    if not skipped:
        who = "every department"
    else:
        asked = _names([step.department_key for step in request.steps], depts)
        who = f"{asked} (not asked this round: {_names(skipped, depts)})"
    return f"{asset_title(asset)} is approved by {who}. Over to you, {people_for(asset)}."


def cancelled_reply(request: ApprovalRequest, actor_id: str) -> str:
    """The thread's note that a round ended without a decision, and why."""
    why = fit(request.close_reason or "", 300)
    return (
        f"Approval round {request.round} of {asset_title(request.asset)} was cancelled by "
        f"{mention(actor_id)}" + (f": {why}." if why else ".")
    )


def changes_reply(asset: Asset, dept: DepartmentView, step: ApprovalStep) -> str:
    reason = fit(step.reason or "", 2500).replace("\n", "\n> ")
    return (
        f"{escape(dept.name)} asked for changes to {asset_title(asset)} "
        f"({mention(step.decided_by)}):\n> {reason}\n{people_for(asset)}: it is back in design."
    )


def reminder_text(
    request: ApprovalRequest, asset: Asset, depts: dict[str, DepartmentView], now: datetime
) -> str:
    waiting = [depts[s.department_key] for s in request.steps if s.status == Status.PENDING]
    hours = int((now - request.requested_at).total_seconds() // 3600)
    who = ", ".join(f"{escape(d.name)} ({_who(d)})" for d in waiting)
    return f"Reminder: {asset_title(asset)} has waited {hours} h for {who}."


def pending_lines(
    requests: list[ApprovalRequest], depts: dict[str, DepartmentView], now: datetime
) -> list[str]:

    lines = []
    for request in requests:
        waiting = ", ".join(
            escape(depts[s.department_key].name)
            for s in request.steps
            if s.status == Status.PENDING
        )
        days = (now - request.requested_at).days
        lines.append(
            f"*A-{request.asset_id}* {fit(request.asset.title, 60)} "
            f"(round {request.round}) · waiting on {waiting} · {days} d"
        )
    return lines


def pending_blocks(lines: list[str], total: int, title: str) -> Blocks:
    return to_dicts([section(f"*{title}* ({total})"), *line_sections(lines, total=total)])


_STEP_MARKS = {
    Status.APPROVED: "approved",
    Status.CHANGES_REQUESTED: "asked for changes",
    Status.PENDING: "pending",
}


def round_lines(requests: list[ApprovalRequest], depts: dict[str, DepartmentView]) -> list[str]:
    """One line a round for `/asset show`: its status and each department's decision."""
    lines = []
    for request in requests:
        steps = []
        for step in request.steps:
            name = escape(depts[step.department_key].name) if step.department_key in depts else ""
            said = _STEP_MARKS.get(Status(step.status), step.status)
            if step.status == Status.PENDING and request.status != Status.PENDING:
                said = "not decided"
            by = f" {mention(step.decided_by)}" if step.decided_by else ""
            steps.append(f"{name or step.department_key} {said}{by}")
        status = Status(request.status).value.replace("_", " ")
        lines.append(f"• Round {request.round} · {status} · " + ", ".join(steps))
    return lines


def delivery_message(asset: Asset, proof: Proof, dept_name: str) -> tuple[str, Blocks]:
    """An approved proof handed to a department's channel."""
    release = ""
    if asset.release is not None:
        release = f" ({fit(asset.release.catno, 32)} {fit(asset.release.title, 80)})"
    text = f"Approved art for {fit(dept_name, 80)}: {asset_title(asset)}{release}"
    blocks = [
        section(f"*{text}*"),
        context(f"{proof_link(proof)} · {KINDS[asset.kind].label} · the approved version"),
    ]
    return text, to_dicts(blocks)


def delivered_reply(proof: Proof, sent_to: list[str], no_channel: list[str]) -> str:
    """The thread's note of where an approved proof went."""
    parts = []
    if sent_to:
        parts.append(f"Approved proof {proof.label} sent to {', '.join(sent_to)}.")
    if no_channel:
        names = ", ".join(escape(name) for name in no_channel)
        parts.append(f"Not sent to {names}: no channel set (`/dept set <dept> channel:#…`).")
    return " ".join(parts)


def conditions_reply(
    asset: Asset, dept_name: str, user_id: str, conditions: Sequence[Condition]
) -> str:
    """The thread's note of an approval with changes, its conditions numbered."""
    lines = "\n".join(f"> {c.number}. {fit(c.text, 300)}" for c in conditions)
    return (
        f"{escape(dept_name)} approved {asset_title(asset)} with changes ({mention(user_id)}):\n"
        f"{lines}\nTick them off with `/asset conditions A-{asset.id} done:"
        f"{conditions[0].number}` when done."
    )


def condition_lines(conditions: Sequence[Condition]) -> list[str]:
    return [f"{c.number}. {fit(c.text, 300)} ({escape(c.department_key)})" for c in conditions]
