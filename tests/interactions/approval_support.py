"""Clicking the approval message the way Slack would, for the approval tests."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy import func, select

from bot.devtools.fake_slack_models import Message
from bot.devtools.workspace import Workspace
from bot.slack import ids
from bot.storage.approval_models import ApprovalStep
from tests.helpers import CORA, MIA, ack


def open_round(ws: Workspace) -> None:
    """A poster, and a round asking marketing and legal to approve it."""
    ws.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d')
    ack(ws.command(CORA, "/approval", "request A-1 depts:marketing,legal"))


def decided_steps(ws: Workspace) -> int:
    with ws.runtime.db.read() as session:
        found = session.scalar(
            select(func.count()).select_from(ApprovalStep).where(ApprovalStep.status != "pending")
        )
    return found or 0


def round_messages(ws: Workspace) -> list[Message]:
    return [m for m in ws.fake.messages() if m.text.startswith("Approval needed")]


def payload_message(message: Message) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "message",
        "ts": message.ts,
        "text": message.text,
        "blocks": message.blocks or [],
        "user": message.user,
    }
    if message.thread_ts:
        data["thread_ts"] = message.thread_ts
    return data


def button(message: Message, dept: str, action_id: str = ids.APPROVE) -> tuple[str, str]:
    for block in message.blocks or []:
        if block.get("type") == "actions" and block["block_id"].endswith(f":{dept}"):
            for element in block["elements"]:
                if element["action_id"] == action_id:
                    return block["block_id"], element["value"]
    raise AssertionError(f"no {action_id} button for {dept}")


def click(
    ws: Workspace,
    user: str,
    message: Message,
    dept: str,
    action_id: str = ids.APPROVE,
    *,
    block_id: str | None = None,
    value: str | None = None,
    settle: bool = True,
) -> BoltResponse:
    real_block, real_value = button(message, dept, action_id)
    response = ws.driver.click(
        user,
        channel_id=message.channel,
        message=payload_message(message),
        block_id=block_id or real_block,
        action_id=action_id,
        value=value or real_value,
    )
    if settle:
        ws.settle()
    return response


def last_ephemeral(ws: Workspace, user: str) -> str:
    return ws.fake.ephemerals(user)[-1].text


def approve_payload(ws: Workspace, user: str = MIA, dept: str = "marketing") -> dict[str, Any]:
    """The block_actions payload of ``user`` pressing Approve for ``dept`` on the one round."""
    (message,) = round_messages(ws)
    block_id, value = button(message, dept)
    return ws.driver.block_action_payload(
        user,
        channel_id=message.channel,
        message=payload_message(message),
        block_id=block_id,
        action_id=ids.APPROVE,
        value=value,
    )
