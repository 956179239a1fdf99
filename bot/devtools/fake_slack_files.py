"""Files in the fake Slack as tests use them: adding and sharing files, and the file URLs.

``url_private``/``url_private_download`` (``/files-pri/...``) answer a GET carrying the bot
token with the bytes; without it (or with another token) they answer as Slack does, HTTP 200
with an HTML sign-in page, so an app must check what it downloaded. Upload URLs
(``/upload/v1/...``, from files.getUploadURLExternal) take the POST slack_sdk's
``files_upload_v2`` sends: the raw bytes as the body (a multipart ``file`` field works too).
Both go through fault injection and ``calls()`` as ``DOWNLOAD_METHOD`` and ``UPLOAD_METHOD``.
"""

from __future__ import annotations

import copy
import email.policy
import re
from collections.abc import Callable
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any
from urllib.parse import quote, unquote

from bot.devtools.fake_slack_file_store import SHARE_FIELDS, FileStore
from bot.devtools.fake_slack_http import Reply
from bot.devtools.fake_slack_models import Body, Message, SharedFile
from bot.devtools.fake_slack_state import SlackState

# The names file downloads and upload POSTs go by in calls() and fail_next()/latency().
DOWNLOAD_METHOD = "files.download"
UPLOAD_METHOD = "files.upload"
FILE_METHODS = (DOWNLOAD_METHOD, UPLOAD_METHOD)

_DOWNLOAD = re.compile(r"/files-pri/(?P<team>[^/-]+)-(?P<file>[^/]+)/(?:download/)?(?P<name>[^/]+)")
_HTML = {"Content-Type": "text/html; charset=utf-8"}
_TEXT = {"Content-Type": "text/plain; charset=utf-8"}
_SIGN_IN = """<!DOCTYPE html>
<html lang="en-US"><head><meta charset="utf-8"><title>Slack</title></head>
<body><h1>Sign in to {domain}.slack.com</h1>
<form action="/signin" method="post"><input type="email" name="email">
<button type="submit">Sign in with Email</button></form></body></html>
"""
_NOT_FOUND = b"<!DOCTYPE html><html><head><title>Not Found</title></head><body></body></html>"


def file_route(path: str) -> str | None:
    """The method name a file URL goes by, or None for other paths."""
    if path.startswith("/files-pri/"):
        return DOWNLOAD_METHOD
    if path.startswith("/upload/v1/"):
        return UPLOAD_METHOD
    return None


def route_args(method: str, path: str, raw: bytes) -> Body:
    """What calls() records for a file URL request."""
    if method == UPLOAD_METHOD:
        return {"path": path, "length": len(raw)}
    match = _DOWNLOAD.fullmatch(path)
    return {"path": path, "file": match["file"] if match else None}


def check_file_info_stub(file: Body, user: str) -> Body:
    """A file as Slack Connect channels' events carry it: the app must call files.info."""
    stub: Body = {"id": file.get("id"), "mode": "file_access", "file_access": "check_file_info"}
    return stub | {"created": 0, "timestamp": 0, "user": user}


class FileAccess:
    """Mixed into ``FakeSlack``, whose state, token, file store and call record these use."""

    state: SlackState
    bot_token: str
    _files: FileStore
    _record: Callable[[str, Body, int, Any, str | None], None]

    def add_file(
        self,
        user_id: str,
        name: str,
        content: bytes,
        *,
        mimetype: str | None = None,
        filetype: str | None = None,
        title: str | None = None,
    ) -> Body:
        """Store a file uploaded by ``user_id``; returns the file object as files.info has it.
        (Its URLs name the server's port, so the fake must be started.)"""
        with self.state.lock:
            f = self._files.add(
                user_id, name, mimetype=mimetype, filetype=filetype, title=title, complete=True
            )
            f.content = bytes(content)
            return self._files.file_json(f)

    def share_file(
        self,
        channel: str,
        user_id: str,
        file: Body,
        *,
        text: str = "",
        thread_ts: str | None = None,
        check_file_info: bool = False,
    ) -> tuple[Message, Body]:
        """``user_id`` shares ``file`` (from ``add_file``) in ``channel``, in the thread
        ``thread_ts`` if given: the stored ``file_share`` message and the Events API
        ``message`` event Slack sends for it. ``check_file_info`` makes the event carry only
        a stub of the file, as Slack Connect channels do."""
        carried = {k: v for k, v in file.items() if k not in SHARE_FIELDS}
        with self.state.lock:
            found = self.state.channel(channel)
            if found is None:
                raise ValueError(f"no channel {channel!r} in the fake workspace")
            msg = self._files.share(found, user_id, [carried], text, thread_ts=thread_ts)
            sent = check_file_info_stub(carried, user_id) if check_file_info else carried
            event = self._files.share_event(msg, found, [copy.deepcopy(sent)])
            return copy.deepcopy(msg), event

    def file(self, file_id: str) -> Body | None:
        """The file object files.info would answer with; None when Slack would not know it."""
        with self.state.lock:
            f = self._files.visible(file_id)
            return self._files.file_json(f) if f is not None else None

    def uploaded(self, file_id: str) -> bytes:
        """The bytes a file holds (uploaded or added); KeyError when none arrived."""
        with self.state.lock:
            f = self._files.files.get(file_id)
            if f is None or f.content is None:
                raise KeyError(file_id)
            return f.content

    def files_in(self, channel: str, thread_ts: str | None = None) -> list[SharedFile]:
        """Files shared in ``channel`` with the messages that shared them, oldest first;
        with ``thread_ts``, only those in that thread (its parent message included)."""
        with self.state.lock:
            found = self.state.channel(channel)
            cid = found.id if found is not None else channel
            shared = [
                SharedFile(f, m)
                for m in self.state.messages.values()
                if m.channel == cid and (thread_ts is None or thread_ts in (m.ts, m.thread_ts))
                for f in m.files
            ]
            return copy.deepcopy(shared)

    # The file URLs (FakeSlack.dispatch sends them here once faults are checked).

    def _file_reply(self, method: str, path: str, headers: Any, raw: bytes, args: Body) -> Reply:
        with self.state.lock:
            if method == UPLOAD_METHOD:
                reply, summary = self._upload(path, headers, raw)
            else:
                reply, summary = self._download(path, headers)
        self._record(method, args, reply.status, summary, None)
        return reply

    def _download(self, path: str, headers: Any) -> tuple[Reply, str]:
        auth = headers.get("Authorization") or ""
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        if token != self.bot_token:
            # Slack sends a browser's sign-in page, not an error: the app must notice.
            page = _SIGN_IN.format(domain=self.state.team_domain).encode()
            return Reply(200, page, dict(_HTML)), "sign-in page"
        match = _DOWNLOAD.fullmatch(path)
        f = self._files.visible(match["file"]) if match else None
        if match is None or f is None or match["team"] != self.state.team_id:
            return Reply(404, _NOT_FOUND, dict(_HTML)), "not found"
        if unquote(match["name"]) != f.name:
            return Reply(404, _NOT_FOUND, dict(_HTML)), "not found"
        content = f.content or b""
        sent = {"Content-Type": f.mimetype}
        if "/download/" in path:
            sent["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f.name, safe='')}"
        return Reply(200, content, sent), f"{len(content)} bytes"

    def _upload(self, path: str, headers: Any, raw: bytes) -> tuple[Reply, str]:
        f = self._files.pending_upload(path.removeprefix("/upload/v1/"))
        if f is None:  # unknown, or already completed: the URL is spent
            return Reply(404, b"Not Found", dict(_TEXT)), "not found"
        f.content = upload_bytes(headers, raw)
        text = f"OK - {len(f.content)}"  # what files.slack.com answers
        return Reply(200, text.encode(), dict(_TEXT)), text


def upload_bytes(headers: Any, raw: bytes) -> bytes:
    """The file in an upload POST: the body itself (slack_sdk), or a multipart ``file`` field."""
    content_type = headers.get("Content-Type") or ""
    if not content_type.lower().startswith("multipart/form-data"):
        return raw
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    form = BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    if not isinstance(form, EmailMessage):
        return raw
    for part in form.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    return raw
