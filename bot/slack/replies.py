"""What a listener answers: an ephemeral reply carried by the ack, and an outbox of Web API
work done after the ack. Plain pydantic data, so it is saved as JSON in the outbox."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from bot.slack.limits import check_message

Blocks = list[dict[str, Any]]


class Post(BaseModel):
    """chat.postMessage; ``record`` names a recorder that stores the new message's ts.

    ``channel`` is a user id when ``open_dm`` (conversations.open first). A ``once`` message
    is never sent twice, even if that means not at all when Slack's answer is lost.
    """

    kind: Literal["post"] = "post"
    channel: str
    text: str
    blocks: Blocks | None = None
    thread_ts: str | None = None
    # Reply in the thread of an earlier Post of the same outbox (its index).
    thread_of: int | None = None
    record: str | None = None
    record_id: int | None = None
    metadata: dict[str, Any] | None = None
    open_dm: bool = False
    once: bool = False


class Update(BaseModel):
    """chat.update. A ``redraw`` shows a card's whole current state: when a later outbox row
    redraws the same message, this one is skipped (a burst of changes, one redraw)."""

    kind: Literal["update"] = "update"
    channel: str
    ts: str
    text: str
    blocks: Blocks | None = None
    redraw: bool = False


class Upload(BaseModel):
    """A file shared in a channel (a thread) through Slack's upload v2 methods. Always sent
    at most once: a share whose answer was lost is never repeated on its own."""

    kind: Literal["upload"] = "upload"
    channel: str
    thread_ts: str | None = None
    filename: str
    title: str
    content_b64: str  # small files only (previews): the row carries them
    alt_text: str | None = None
    comment: str | None = None


class Ephemeral(BaseModel):
    kind: Literal["ephemeral"] = "ephemeral"
    channel: str
    user: str
    text: str
    blocks: Blocks | None = None
    thread_ts: str | None = None


class OpenView(BaseModel):
    kind: Literal["open_view"] = "open_view"
    trigger_id: str
    view: dict[str, Any]


Outgoing = Annotated[Post | Update | Upload | Ephemeral | OpenView, Field(discriminator="kind")]


class Reply(BaseModel):
    """A listener's answer. ``text``/``blocks`` go back in the HTTP ack, seen only by the user."""

    text: str | None = None
    blocks: Blocks | None = None
    outbox: list[Outgoing] = Field(default_factory=list)

    def ack_body(self) -> dict[str, Any] | None:
        if self.text is None and self.blocks is None:
            return None
        check_message(text=self.text, blocks=self.blocks)
        body: dict[str, Any] = {"response_type": "ephemeral", "text": self.text or ""}
        if self.blocks is not None:
            body["blocks"] = self.blocks
        return body
