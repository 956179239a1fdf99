"""Records kept by the fake Slack: directory entries, messages, views and calls.

Tests read these (as copies) through ``FakeSlack``'s query helpers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

BOT_USER_ID = "U0SLEEVEBOT"
BOT_ID = "B0SLEEVEBOT"
APP_ID = "A0SLEEVEAPP"
RESPONSE_URL_USES = 5  # Slack allows five posts to one response_url.

Body = dict[str, Any]


def error(code: str, *messages: str) -> Body:
    body: Body = {"ok": False, "error": code}
    if messages:
        body["response_metadata"] = {"messages": list(messages)}
    return body


def truthy(value: Any) -> bool:
    # Form bodies carry booleans as "1"/"0" (slack_sdk) or "true"/"false".
    return value in (True, 1, "1", "true", "True")


@dataclass
class User:
    id: str
    name: str
    real_name: str
    is_restricted: bool = False
    is_bot: bool = False
    tz: str = "Europe/London"


@dataclass
class Channel:
    id: str
    name: str
    is_im: bool = False
    is_mpim: bool = False
    user: str | None = None
    is_private: bool = False  # a private channel: events say channel_type "group"


@dataclass
class Usergroup:
    id: str
    handle: str
    name: str
    users: list[str] = field(default_factory=list)


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None
    user: str = BOT_USER_ID
    thread_ts: str | None = None
    replies: list[str] = field(default_factory=list)  # reply ts, oldest first
    edits: list[Body] = field(default_factory=list)  # {"text", "blocks"} applied, in order
    thread_parent_found: bool = True  # False: thread_ts named no top-level message here
    metadata: Any = None
    via: str = "api"  # or "response_url"
    subtype: str | None = None  # "file_share" for messages that share files
    files: list[Body] = field(default_factory=list)  # file objects as the message carries them


@dataclass
class Ephemeral:
    channel: str | None
    user: str | None
    text: str
    blocks: list[dict[str, Any]] | None
    thread_ts: str | None
    message_ts: str
    via: str = "api"
    replace_original: bool = False


@dataclass
class View:
    id: str
    type: str
    user: str | None
    trigger_id: str | None
    view: Body  # the current payload as sent
    hash: str
    external_id: str | None = None
    updates: list[Body] = field(default_factory=list)  # payloads applied after the first


@dataclass
class Call:
    method: str
    args: Body
    status: int
    body: Any  # the JSON answer, the plain-text answer, or None for a dropped connection
    fault: str | None = None  # "injected" or "dropped"
    at: float = field(default_factory=time.monotonic)  # when it was answered


@dataclass
class ResponseUrl:
    key: str
    user: str | None
    channel: str | None
    message_ts: str | None
    uses: int = 0


@dataclass
class ResponsePost:
    key: str
    payload: Body
    status: int
    body: str


@dataclass
class Trigger:
    id: str
    user: str | None
    issued_at: float
    used: bool = False


@dataclass
class StoredFile:
    """A file in the workspace, or one whose upload (files.getUploadURLExternal) is under way."""

    id: str
    name: str
    title: str
    mimetype: str
    filetype: str
    user: str
    created: int
    content: bytes | None = None  # None until the bytes arrive at the upload URL
    alt_txt: str | None = None
    snippet_type: str | None = None
    complete: bool = False  # visible in the workspace (add_file, or completeUploadExternal done)
    upload_key: str | None = None  # the opaque tail of its upload URL, while one is open
    shares: list[tuple[str, str, str | None]] = field(default_factory=list)  # channel, ts, thread


@dataclass
class SharedFile:
    """A file as a channel message shares it (``FakeSlack.files_in``)."""

    file: Body
    message: Message
