"""What a listener answers: an ephemeral reply carried by the ack, and an outbox of Web API
work done after the ack. Plain pydantic data, so it is saved as JSON in the outbox."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import uuid4

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
    """A file shared in a channel (a thread) or a DM through Slack's upload v2 methods. Always
    sent at most once: a share whose answer was lost is never repeated on its own."""

    kind: Literal["upload"] = "upload"
    channel: str
    thread_ts: str | None = None
    filename: str
    title: str
    content_b64: str  # small files only (previews): the row carries them
    alt_text: str | None = None
    comment: str | None = None
    # ``channel`` is a user id: the file goes to the app's DM with them (conversations.open).
    open_dm: bool = False


class Ephemeral(BaseModel):
    kind: Literal["ephemeral"] = "ephemeral"
    channel: str
    user: str
    text: str
    blocks: Blocks | None = None
    thread_ts: str | None = None


class Publish(BaseModel):
    """views.publish of a person's App Home. Only the person is saved: the view is built when
    it is sent, from the state then, so when a later row publishes the same Home this one is
    skipped (a burst of changes, one redraw)."""

    kind: Literal["publish"] = "publish"
    user: str


class Attachment(BaseModel):
    filename: str
    mimetype: str
    content_b64: str  # small files only (a PO's PDF): the row carries them


class Mail(BaseModel):
    """One e-mail through the outbox, like a message: never sent twice (a mail whose final
    reply was lost is not sent again on its own), tried again while the server answers
    4xx. ``mail_kind`` names its templates (``bot/mail/templates``); ``log_id`` the
    ``mail_log`` row it fills in; a permanent refusal is noted in ``note_channel``'s thread."""

    kind: Literal["mail"] = "mail"
    mail_kind: str
    to_address: str
    to_name: str
    subject: str
    context: dict[str, Any]
    attachments: list[Attachment] = Field(default_factory=list)
    reply_to: str | None = None
    log_id: int | None = None
    note_channel: str | None = None
    note_thread_ts: str | None = None
    # Names the mail for good: its Message-ID, the same on every try of this one entry.
    nonce: str = Field(default_factory=lambda: uuid4().hex)


class OpenView(BaseModel):
    kind: Literal["open_view"] = "open_view"
    trigger_id: str
    view: dict[str, Any]


Outgoing = Annotated[
    Post | Update | Upload | Ephemeral | Publish | Mail | OpenView, Field(discriminator="kind")
]


def publishes_last(items: list[Outgoing]) -> list[Outgoing]:
    """The same items with each person's Home redraw once, at the end: a redraw may wait for
    its slot, and messages should not wait behind it. ``thread_of`` indexes follow."""
    if not any(isinstance(item, Publish) for item in items):
        return items
    kept = [index for index, item in enumerate(items) if not isinstance(item, Publish)]
    moved = {old: new for new, old in enumerate(kept)}
    others: list[Outgoing] = []
    for index in kept:
        item = items[index]
        if isinstance(item, Post) and item.thread_of is not None:
            item = item.model_copy(update={"thread_of": moved[item.thread_of]})
        others.append(item)
    users = dict.fromkeys(item.user for item in items if isinstance(item, Publish))
    return [*others, *(Publish(user=user) for user in users)]


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
