"""A fake Slack Web API served over real HTTP on 127.0.0.1, for tests and local runs.

The real ``slack_sdk.WebClient(token=..., base_url=fake.api_url)`` talks to it, so tests
exercise the SDK's encoding, error handling and retry handlers rather than a mock. It checks
what Slack checks (auth, required arguments from ``slack_methods.json``, Block Kit limits,
channels, triggers) and records everything it is sent. Faults (429s, 5xxs, dropped
connections, latency) can be injected to exercise the retry handlers. Files (their download
URLs, files.info and the upload-v2 flow) are in ``fake_slack_files``.

Standalone: ``python -m bot.devtools.fake_slack_main [--port N]`` prints the API URL and serves
until interrupted.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import time
from collections.abc import Callable
from importlib import resources
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote, unquote, urlsplit

from bot.devtools.fake_slack_faults import FaultInjection
from bot.devtools.fake_slack_file_store import FileStore
from bot.devtools.fake_slack_files import FILE_METHODS, FileAccess, file_route, route_args
from bot.devtools.fake_slack_http import Reply, Server, parse_args
from bot.devtools.fake_slack_models import (
    Body,
    Call,
    Channel,
    Ephemeral,
    Message,
    ResponsePost,
    ResponseUrl,
    Usergroup,
    View,
    error,
)
from bot.devtools.fake_slack_state import SlackState
from bot.devtools.fake_socket_mode import SocketModeServer

RESPONSE_URL_METHOD = "response_url"  # the name response_url posts go by in calls()
T = TypeVar("T")


def load_methods() -> dict[str, Any]:
    """The method facts generated from Slack's docs (package data)."""
    text = resources.files("bot.devtools").joinpath("slack_methods.json").read_text("utf-8")
    return json.loads(text)


class FakeSlack(FileAccess, FaultInjection):
    """A Slack workspace behind a Web API on an ephemeral local port."""

    def __init__(
        self,
        bot_token: str = "xoxb-fake-token",
        team_id: str = "T0SLEEVE",
        team_name: str = "Northside Records",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        team_domain: str | None = None,
        ts_base: float = 1_700_000_000.0,
        app_token: str = "xapp-1-fake-app-token",
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token  # app-level: only apps.connections.open takes it
        self._socket_mode: SocketModeServer | None = None
        domain = team_domain or re.sub(r"[^a-z0-9]+", "-", team_name.lower()).strip("-")
        self.state = SlackState(team_id, team_name, domain, ts_base)
        self.methods: dict[str, Any] = load_methods()["methods"]
        self._files = FileStore(self.state, lambda: self.base_url)
        self.state.handlers.update(self._files.handlers)
        # Served like any method, once _answer has checked it got the app-level token.
        self.state.handlers["apps.connections.open"] = lambda args: {
            "ok": True,
            "url": self.socket_mode.url,
        }
        self._address = (host, port)
        self._faults = []
        self._latency = {}
        self._post_rate = None
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle.

    def start(self) -> FakeSlack:
        if self._server is None:
            self._server = Server(self._address, self.dispatch)
            # A short poll keeps stop() (and so each test's teardown) quick.
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.02,), name="fake-slack", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._socket_mode is not None:
            self._socket_mode.stop()
            self._socket_mode = None
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        host = self._address[0]
        return f"http://{'127.0.0.1' if host in ('', '0.0.0.0') else host}:{self.port}"

    @property
    def api_url(self) -> str:
        # WebClient joins the method name onto this with urljoin: the slash matters.
        return f"{self.base_url}/api/"

    @property
    def socket_mode(self) -> SocketModeServer:
        """The WebSocket server ``apps.connections.open`` points Socket Mode apps at."""
        if self._socket_mode is None:
            self._socket_mode = SocketModeServer()
        return self._socket_mode

    # Directory.

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        real_name: str | None = None,
        is_restricted: bool = False,
        is_bot: bool = False,
        tz: str = "Europe/London",
    ) -> None:
        """Add a workspace member; ``is_restricted`` makes a guest."""
        self.state.add_user(
            user_id, name, real_name=real_name, is_restricted=is_restricted, is_bot=is_bot, tz=tz
        )

    def add_channel(
        self, channel_id: str, name: str, *, is_im: bool = False, is_private: bool = False
    ) -> None:
        with self.state.lock:
            channel = Channel(channel_id, name, is_im=is_im, is_private=is_private)
            self.state.channels[channel_id] = channel

    def restore_message(
        self, channel: str, ts: str, text: str, blocks: Any, thread_ts: str | None = None
    ) -> None:
        """Put back a message an earlier run of this fake held (the shell's next session),
        at its own ts, so edits and clicks of it work."""
        with self.state.lock:
            found = self.state.channel(channel)
            cid = found.id if found is not None else channel
            self.state.messages[(cid, ts)] = Message(
                cid, ts, text, blocks or None, thread_ts=thread_ts
            )
            if thread_ts and (cid, thread_ts) in self.state.messages:
                self.state.messages[(cid, thread_ts)].replies.append(ts)

    def add_usergroup(
        self, group_id: str, handle: str, users: list[str] | None = None, *, name: str | None = None
    ) -> None:
        with self.state.lock:
            group = Usergroup(group_id, handle, name or handle, list(users or []))
            self.state.usergroups[group_id] = group

    def user_name(self, user_id: str) -> str | None:
        """The member's short name, as slash-command and action payloads carry it."""
        with self.state.lock:
            user = self.state.users.get(user_id)
            return user.name if user else None

    def channel_name(self, channel_id: str) -> str | None:
        with self.state.lock:
            channel = self.state.channels.get(channel_id)
            return channel.name if channel else None

    def place(self, ref: str) -> str:
        """Where a message is, as a person would say it: ``#production`` or ``DM @mia``."""
        with self.state.lock:
            found = self.state.channel(ref)
            if found is None:
                return f"#{ref}"
            if found.is_im and found.user:
                user = self.state.users.get(found.user)
                return f"DM @{user.name if user else found.user}"
            return f"#{found.name}"

    def dm_channel(self, user_id: str) -> str:
        """The DM channel id the bot has (or gets) with ``user_id``."""
        with self.state.lock:
            return self.state.dm((user_id,)).id

    # Interactivity helpers.

    def new_trigger_id(self, user: str | None = None) -> str:
        """A fresh single-use trigger id like ``132456.7890123.abcdef``."""
        return self.state.new_trigger_id(user)

    @property
    def trigger_ttl(self) -> float | None:
        return self.state.trigger_ttl

    @trigger_ttl.setter
    def trigger_ttl(self, seconds: float | None) -> None:
        self.state.trigger_ttl = seconds

    def response_url_for(
        self,
        key: str,
        *,
        user: str | None = None,
        channel: str | None = None,
        message_ts: str | None = None,
    ) -> str:
        """A response_url for an interaction by ``user`` in ``channel`` on ``message_ts``."""
        with self.state.lock:
            self.state.response_urls[key] = ResponseUrl(key, user, channel, message_ts)
        return f"{self.base_url}/response/{quote(key, safe='')}"

    # Queries; they copy under the lock so tests never race the server threads.

    def _read(self, get: Callable[[SlackState], T]) -> T:
        with self.state.lock:
            return copy.deepcopy(get(self.state))

    def messages(self, channel: str | None = None) -> list[Message]:
        """Top-level messages and replies, oldest first."""
        return self._read(
            lambda s: [m for m in s.messages.values() if channel in (None, m.channel)]
        )

    def thread(self, channel: str, ts: str) -> list[Message]:
        """The replies to the message ``ts``, oldest first."""

        def replies(s: SlackState) -> list[Message]:
            parent = s.messages.get((channel, ts))
            return [s.messages[(channel, r)] for r in parent.replies] if parent else []

        return self._read(replies)

    def message(self, channel: str, ts: str) -> Message | None:
        return self._read(lambda s: s.messages.get((channel, ts)))

    def deleted_messages(self) -> list[Message]:
        return self._read(lambda s: s.deleted)

    def orphan_replies(self) -> list[Message]:
        """Messages whose thread_ts named no top-level message (Slack accepts those)."""
        return [m for m in self.messages() if not m.thread_parent_found]

    def ephemerals(self, user: str | None = None) -> list[Ephemeral]:
        return self._read(lambda s: [e for e in s.ephemerals if user in (None, e.user)])

    @property
    def views(self) -> list[View]:
        """Modals opened with views.open, oldest first (``updates`` holds later payloads)."""
        return self._read(lambda s: list(s.views.values()))

    @property
    def home_views(self) -> dict[str, View]:
        """The Home tab published for each user."""
        return self._read(lambda s: s.home_views)

    @property
    def responses(self) -> list[ResponsePost]:
        """Every post to a response_url, accepted or not."""
        return self._read(lambda s: s.responses)

    def calls(self, method: str | None = None) -> list[Call]:
        """Every request (injected faults included), oldest first."""
        return self._read(lambda s: [c for c in s.calls if method in (None, c.method)])

    def reset_calls(self) -> None:
        with self.state.lock:
            self.state.calls.clear()

    # Request handling.

    def _record(self, method: str, args: Body, status: int, body: Any, fault: str | None) -> None:
        with self.state.lock:
            self.state.calls.append(Call(method, args, status, body, fault))

    def dispatch(self, path: str, headers: Any, raw: bytes) -> Reply | None:
        """The reply to one HTTP request; ``None`` means drop the connection."""
        url = urlsplit(path)
        if url.path.startswith("/api/"):
            method = url.path.removeprefix("/api/")
            args, token, bad_body = parse_args(headers, raw, url.query)
        elif url.path.startswith("/response/"):
            method = RESPONSE_URL_METHOD
            token, bad_body = None, False
            try:
                args = json.loads(raw or b"{}")
            except ValueError:
                args, bad_body = {}, True
            bad_body = bad_body or not isinstance(args, dict)
        elif (route := file_route(url.path)) is not None:
            method, args = route, route_args(route, url.path, raw)
            token, bad_body = None, False
        else:
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        if delay := self._delay(method):
            time.sleep(delay)
        fault = self._take_fault(method) or self._rate_fault(method, args)
        if fault is not None:
            return self._fault_reply(method, args, fault)
        if method in FILE_METHODS:
            return self._file_reply(method, url.path, headers, raw, args)
        if method == RESPONSE_URL_METHOD:
            key = unquote(url.path.removeprefix("/response/"))
            if bad_body:
                status, text = 400, "invalid_payload"
            else:
                status, text = self.state.response_post(key, args)
            self._record(method, args, status, text, None)
            return Reply(status, text.encode(), {"Content-Type": "text/plain; charset=utf-8"})
        body = self._answer(method, args, token, bad_body)
        self._record(method, args, 200, body, None)
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def _answer(self, method: str, args: Body, token: str | None, bad_body: bool) -> Body:
        spec = self.methods.get(method)
        if spec is None:
            return error("unknown_method", f"[ERROR] {method} is not served by this fake")
        if bad_body:
            return error("invalid_form_data")
        if not token:
            return error("not_authed")
        if token != (self.app_token if method == "apps.connections.open" else self.bot_token):
            return error("invalid_auth")
        present = {k for k, v in args.items() if v not in (None, "")}
        missing = [
            f"[ERROR] missing required field: {name}"
            for name in spec["required"]
            if name not in present
        ]
        for group in spec["one_of"]:
            if not present.intersection(group):
                missing.append(f"[ERROR] missing required field: one of {', '.join(group)}")
        if missing:
            return error("invalid_arguments", *missing)
        return self.state.handle(method, args)
