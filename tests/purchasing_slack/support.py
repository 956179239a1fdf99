"""Driving purchasing the way Slack would: commands, and clicks on the approval DMs."""

from __future__ import annotations

import io
import json
import re

import pdfplumber
from slack_bolt import BoltResponse

from bot.devtools.fake_slack_models import Message
from bot.devtools.workspace import Workspace
from bot.slack import ids
from tests.helpers import CORA, ack, ack_text, release_new
from tests.interactions.approval_support import payload_message

MOE = "U0MOE"  # management
# Any figure with cents ("1,075.00", "2.15") or a currency code: none may reach a channel.
AMOUNT = re.compile(r"\d[\d,]*\.\d{2}\b|\b(EUR|GBP|USD)\b")


def say(ws: Workspace, command: str, text: str, user: str = CORA) -> str:
    reply = ack_text(ws.command(user, command, text))
    ws.settle()
    return reply


def vendor_and_order(ws: Workspace) -> None:
    """V-1 Optimal Media, SLV-014, and PO-2026-0001 for 500 LPs at 2.15 (1,075.00 EUR)."""
    ack(
        release_new(
            ws, '"Midnight Tapes" artist:"The Vels" date:2027-05-14 format:vinyl catno:SLV-014'
        )
    )
    said = say(
        ws, "/vendor", 'add "Optimal Media" kind:plant currency:EUR terms:30 tax:DE123456789'
    )
    assert "V-1" in said, said
    said = say(ws, "/order", 'new V-1 item:"LP pressing 140g" qty:500 price:2.15 release:SLV-014')
    assert "PO-2026-0001" in said, said


def dm_messages(ws: Workspace, user: str) -> list[Message]:
    """Top-level messages in the app's DM with ``user``."""
    with ws.fake.state.lock:
        dm = ws.fake.state.dm((user,)).id
    return [m for m in ws.fake.messages(dm) if m.thread_ts is None]


def invoice_button(message: Message, action_id: str) -> tuple[str, str]:
    for block in message.blocks or []:
        if block.get("type") == "actions" and block["block_id"].startswith("invoice:"):
            for element in block["elements"]:
                if element["action_id"] == action_id:
                    return block["block_id"], element["value"]
    raise AssertionError(f"no {action_id} button")


def click_invoice(
    ws: Workspace, user: str, message: Message, action_id: str = ids.INVOICE_APPROVE
) -> BoltResponse:
    block_id, value = invoice_button(message, action_id)
    return ws.driver.click(
        user,
        channel_id=message.channel,
        message=payload_message(message),
        block_id=block_id,
        action_id=action_id,
        value=value,
    )


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def channel_texts(ws: Workspace) -> list[str]:
    """Every message posted in a channel (not a DM), its text and blocks."""
    with ws.fake.state.lock:
        dms = {c.id for c in ws.fake.state.channels.values() if c.is_im or c.is_mpim}
    return [
        m.text + json.dumps(m.blocks or [], ensure_ascii=False)
        for m in ws.fake.messages()
        if m.channel not in dms
    ]
