"""The fake Slack's files: file objects, shares, files.info and the upload-v2 methods.

``FileStore`` holds the files and answers the Web API methods (no HTTP here); the download and
upload URLs and the test-facing methods are in ``fake_slack_files``. Callers hold
``SlackState.lock``.
"""

from __future__ import annotations

import json
import mimetypes
import secrets
import uuid
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from bot.devtools.fake_slack_models import (
    BOT_USER_ID,
    Body,
    Channel,
    Message,
    StoredFile,
    error,
)
from bot.devtools.fake_slack_state import SlackState

# Fields only files.info carries: message and event file objects leave them out.
SHARE_FIELDS = ("shares", "channels", "groups", "ims")
_MAX_ALT_TXT = 1000
_MAX_SNIPPET = 1_000_000  # snippets are limited to 1 MB
_MAX_CHANNELS = 100

# Extension -> (filetype, pretty_type) for the common cases; anything else is "binary".
_KINDS = {
    "txt": ("text", "Plain Text"),
    "csv": ("csv", "CSV"),
    "json": ("json", "JSON"),
    "md": ("markdown", "Markdown (raw)"),
    "pdf": ("pdf", "PDF"),
    "png": ("png", "PNG"),
    "jpg": ("jpg", "JPEG"),
    "jpeg": ("jpg", "JPEG"),
    "gif": ("gif", "GIF"),
    "mp3": ("mp3", "MP3"),
    "wav": ("wav", "WAV"),
    "zip": ("zip", "Zip"),
    "py": ("python", "Python"),
}
_PRETTY = {filetype: pretty for filetype, pretty in _KINDS.values()}


def file_kind(name: str, mimetype: str | None, filetype: str | None) -> tuple[str, str]:
    """The (mimetype, filetype) Slack would give a file called ``name``."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = filetype or _KINDS.get(ext, ("binary", ""))[0]
    guessed = mimetypes.guess_type(name)[0]
    if kind == "text" and not guessed:
        guessed = "text/plain"
    return mimetype or guessed or "application/octet-stream", kind


def channel_type(channel: Channel) -> str:
    """The Events API ``channel_type`` of a conversation."""
    if channel.is_im:
        return "im"
    if channel.is_mpim:
        return "mpim"
    return "group" if channel.is_private else "channel"


def _is_public(channel: Channel | None) -> bool:
    return channel is not None and channel_type(channel) == "channel"


class FileStore:
    def __init__(self, state: SlackState, base_url: Callable[[], str]) -> None:
        self.state = state
        self.base_url = base_url  # known only once the server has its port
        self.files: dict[str, StoredFile] = {}
        self.handlers: dict[str, Callable[[Body], Body]] = {
            "files.info": self.files_info,
            "files.getUploadURLExternal": self.get_upload_url,
            "files.completeUploadExternal": self.complete_upload,
        }

    # File objects.

    def add(self, user: str, name: str, **kw: Any) -> StoredFile:
        mimetype, filetype = file_kind(name, kw.pop("mimetype", None), kw.pop("filetype", None))
        title = kw.pop("title", None) or name
        f = StoredFile(
            self.state.new_id("F"), name, title, mimetype, filetype, user, self.state.now(), **kw
        )
        self.files[f.id] = f
        return f

    def visible(self, file_id: Any) -> StoredFile | None:
        """The file when the workspace can see it (uploads not yet completed are hidden)."""
        f = self.files.get(file_id) if isinstance(file_id, str) else None
        return f if f is not None and f.complete else None

    def file_json(self, f: StoredFile, *, with_shares: bool = True) -> Body:
        base, team = self.base_url(), self.state.team_id
        name, snippet = quote(f.name, safe=""), f.snippet_type is not None
        digest = f"{zlib.crc32(f.id.encode()):08x}"[:10]
        out: Body = {"id": f.id, "created": f.created, "timestamp": f.created, "name": f.name}
        out |= {"title": f.title, "mimetype": f.mimetype, "filetype": f.filetype}
        out |= {"pretty_type": _PRETTY.get(f.filetype, f.filetype.upper()), "user": f.user}
        out |= {"user_team": team, "editable": snippet, "size": len(f.content or b"")}
        out |= {"mode": "snippet" if snippet else "hosted", "is_external": False}
        out |= {"external_type": "", "is_public": self._public(f), "public_url_shared": False}
        out |= {"display_as_bot": False, "username": ""}
        out["url_private"] = f"{base}/files-pri/{team}-{f.id}/{name}"
        out["url_private_download"] = f"{base}/files-pri/{team}-{f.id}/download/{name}"
        out["permalink"] = (
            f"https://{self.state.team_domain}.slack.com/files/{f.user}/{f.id}/{name}"
        )
        out["permalink_public"] = f"https://slack-files.com/{team}-{f.id}-{digest}"
        out |= {"has_rich_preview": False, "file_access": "visible"}
        if f.alt_txt:
            out["alt_txt"] = f.alt_txt
        return (out | self._shares_json(f)) if with_shares else out

    def _public(self, f: StoredFile) -> bool:
        return any(_is_public(self.state.channels.get(cid)) for cid, _, _ in f.shares)

    def _shares_json(self, f: StoredFile) -> Body:
        shares: dict[str, dict[str, list[Body]]] = {}
        lists: dict[str, list[str]] = {"channels": [], "groups": [], "ims": []}
        for cid, ts, thread_ts in f.shares:
            channel = self.state.channels.get(cid)
            if channel is None:
                continue
            kind = "public" if _is_public(channel) else "private"
            entry: Body = {"ts": ts, "channel_name": channel.name, "team_id": self.state.team_id}
            entry |= {"share_user_id": f.user, "reply_users": [], "reply_count": 0}
            if thread_ts:
                entry["thread_ts"] = thread_ts
            shares.setdefault(kind, {}).setdefault(cid, []).append(entry)
            key = "channels" if kind == "public" else "ims" if channel.is_im else "groups"
            if cid not in lists[key]:
                lists[key].append(cid)
        return {"shares": shares, **lists}

    # Sharing into conversations.

    def share(
        self,
        channel: Channel,
        user: str,
        carried: list[Body],
        text: str,
        *,
        blocks: Any = None,
        thread_ts: str | None = None,
    ) -> Message:
        """Store the ``file_share`` message carrying ``carried`` and note the shares."""
        msg = self.state.store(
            channel.id, text, blocks, thread_ts, user=user, subtype="file_share", files=carried
        )
        for body in carried:
            if (f := self.files.get(body.get("id", ""))) is not None:
                f.shares.append((channel.id, msg.ts, thread_ts))
                body["is_public"] = self._public(f)  # shared in a public channel now
        return msg

    def share_event(self, msg: Message, channel: Channel, files: list[Body]) -> Body:
        """The ``message``/``file_share`` event Slack sends for a member's share."""
        event: Body = {"type": "message", "subtype": "file_share", "text": msg.text}
        event |= {"files": files, "upload": False, "user": msg.user, "display_as_bot": False}
        event |= {"ts": msg.ts, "client_msg_id": str(uuid.uuid4()), "channel": channel.id}
        if msg.thread_ts:
            event["thread_ts"] = msg.thread_ts
            parent = self.state.messages.get((channel.id, msg.thread_ts))
            if parent is not None:
                event["parent_user_id"] = parent.user
        return event | {"channel_type": channel_type(channel), "event_ts": msg.ts}

    # Web API methods.

    def files_info(self, args: Body) -> Body:
        f = self.visible(args["file"])
        if f is None:
            return error("file_not_found")
        body: Body = {"ok": True, "file": self.file_json(f), "comments": []}
        return body | {"response_metadata": {"next_cursor": ""}}

    def get_upload_url(self, args: Body) -> Body:
        try:
            length = int(args["length"])
        except (TypeError, ValueError):
            return error("invalid_arguments", "[ERROR] length must be an integer")
        if length < 1:
            return error("missing_argument")
        alt_txt, snippet_type = args.get("alt_txt") or None, args.get("snippet_type") or None
        if alt_txt and len(str(alt_txt)) > _MAX_ALT_TXT:
            return error("alt_txt_too_large")
        if snippet_type and length > _MAX_SNIPPET:
            return error("snippet_too_large")
        key = secrets.token_urlsafe(24)
        f = self.add(BOT_USER_ID, str(args["filename"]), filetype=snippet_type)
        f.alt_txt, f.snippet_type, f.upload_key = alt_txt, snippet_type, key
        return {"ok": True, "upload_url": f"{self.base_url()}/upload/v1/{key}", "file_id": f.id}

    def pending_upload(self, key: str) -> StoredFile | None:
        """The file an upload URL is for, while the upload is still open."""
        return next((f for f in self.files.values() if key and f.upload_key == key), None)

    def complete_upload(self, args: Body) -> Body:
        items = _json_list(args["files"])
        if items is None:
            return error("invalid_arguments", "[ERROR] files must be a JSON array of {id, title}")
        found: list[tuple[StoredFile, Body]] = []
        for item in items:
            f = self.files.get(item.get("id")) if isinstance(item, dict) else None
            if f is None or f.complete or f.content is None:
                return error("file_not_found")  # unknown, already completed, or never uploaded
            found.append((f, item))
        channels, problem = self._targets(args)
        if problem is not None:
            return problem
        comment = str(args.get("initial_comment") or "")
        blocks = None if comment else args.get("blocks")  # Slack ignores blocks given a comment
        if blocks and self.state.message_error(None, blocks):
            return error("invalid_blocks")
        # Checked everything first: a refused call leaves nothing completed or shared.
        for f, item in found:
            f.complete, f.upload_key = True, None
            f.title = str(item.get("title") or f.title)
        carried = [self.file_json(f, with_shares=False) for f, _ in found]
        for channel in channels:
            thread_ts = args.get("thread_ts") or None
            self.share(channel, BOT_USER_ID, carried, comment, blocks=blocks, thread_ts=thread_ts)
        return {"ok": True, "files": [self.file_json(f) for f, _ in found]}

    def _targets(self, args: Body) -> tuple[list[Channel], Body | None]:
        refs = [args["channel_id"]] if args.get("channel_id") else []
        refs += [c for c in str(args.get("channels") or "").split(",") if c.strip()]
        if len(refs) > _MAX_CHANNELS:
            return [], error("channels_limit_exceeded")
        channels = [self.state.channel(ref.strip()) for ref in refs]
        if any(c is None for c in channels):
            return [], error("channel_not_found")
        return [c for c in channels if c is not None], None


def _json_list(value: Any) -> list[Any] | None:
    # Form bodies (what slack_sdk sends) carry files as a JSON string; JSON bodies as a list.
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, list) and value else None
