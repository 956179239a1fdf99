"""Workspace state and Web API method logic of the fake Slack (no HTTP here).

``SlackState`` answers already-parsed, already-authenticated calls with the JSON bodies Slack
would send. All access goes through ``lock``: the HTTP server calls in from its threads while
tests read the state from theirs.
"""

from __future__ import annotations

import itertools
import re
import secrets
import threading
import time
import zlib
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.devtools.fake_slack_limits import (
    INVALID_BLOCKS,
    MSG_BLOCKS_TOO_LONG,
    MSG_TOO_LONG,
    NO_TEXT,
    VIEW_TOO_LARGE,
    message_problems,
    view_problems,
)
from bot.devtools.fake_slack_models import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    Body,
    Call,
    Channel,
    Ephemeral,
    Message,
    ResponsePost,
    ResponseUrl,
    Trigger,
    User,
    Usergroup,
    View,
    error,
    truthy,
)
from bot.devtools.fake_slack_responses import ResponseUrls

# When a message breaks several limits Slack names one error; the block errors win.
_MESSAGE_CODES = (INVALID_BLOCKS, MSG_BLOCKS_TOO_LONG, MSG_TOO_LONG, NO_TEXT)


class SlackState(ResponseUrls):
    def __init__(self, team_id: str, team_name: str, team_domain: str, ts_base: float) -> None:
        self.lock = threading.RLock()
        self.team_id, self.team_name, self.team_domain = team_id, team_name, team_domain
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.usergroups: dict[str, Usergroup] = {}
        self.messages: dict[tuple[str, str], Message] = {}  # insertion order is ts order
        self.deleted: list[Message] = []
        self.ephemerals: list[Ephemeral] = []
        self.views: dict[str, View] = {}
        self.home_views: dict[str, View] = {}
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.responses: list[ResponsePost] = []
        self.calls: list[Call] = []
        self.trigger_ttl: float | None = None  # Slack's is 3 s; off so slow tests pass
        self._dms: dict[tuple[str, ...], str] = {}
        self._micros = round(ts_base * 1_000_000)
        self._ids = itertools.count(1)
        self.add_user(BOT_USER_ID, "sleeve", real_name="Sleeve", is_bot=True)
        self.handlers: dict[str, Callable[[Body], Body]] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.post_message,
            "chat.update": self.update,
            "chat.postEphemeral": self.post_ephemeral,
            "chat.getPermalink": self.get_permalink,
            "views.open": self.views_open,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "users.info": self.users_info,
            "conversations.open": self.conversations_open,
            "usergroups.list": self.usergroups_list,
            "usergroups.users.list": self.usergroups_users_list,
        }

    # Directory and ids.

    def add_user(self, user_id: str, name: str, **kw: Any) -> None:
        with self.lock:
            self.users[user_id] = User(user_id, name, kw.pop("real_name", None) or name, **kw)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    def now(self) -> int:
        """The fake clock's current second (file ``created``), in step with message ts."""
        return self._micros // 1_000_000

    def next_ts(self) -> str:
        self._micros += 100  # unique and strictly increasing, like Slack's per-channel ts
        return f"{self._micros // 1_000_000}.{self._micros % 1_000_000:06d}"

    def new_trigger_id(self, user: str | None) -> str:
        with self.lock:
            team = zlib.crc32(self.team_id.encode()) % 10_000_000
            trigger_id = f"{next(self._ids):06d}.{team:07d}.{secrets.token_hex(3)}"
            self.triggers[trigger_id] = Trigger(trigger_id, user, time.monotonic())
            return trigger_id

    def dm(self, user_ids: tuple[str, ...]) -> Channel:
        key = tuple(sorted(user_ids))
        if key not in self._dms:
            one = len(key) == 1
            cid = self.new_id("D" if one else "G")
            name = key[0] if one else "mpdm-" + "--".join(key)
            self.channels[cid] = Channel(cid, name, is_im=one, is_mpim=not one, user=key[0])
            self._dms[key] = cid
        return self.channels[self._dms[key]]

    def channel(self, ref: Any) -> Channel | None:
        """A channel by id, by name (with or without ``#``), or a user's DM like Slack."""
        if not isinstance(ref, str):
            return None
        if ref in self.channels:
            return self.channels[ref]
        if ref in self.users:
            return self.dm((ref,))
        name = ref.removeprefix("#")
        return next((c for c in self.channels.values() if c.name == name), None)

    # Messages.

    def handle(self, method: str, args: Body) -> Body:
        with self.lock:
            return self.handlers[method](args)

    @staticmethod
    def message_error(text: Any, blocks: Any) -> Body | None:
        if isinstance(blocks, str):
            return error("invalid_blocks_format", "[ERROR] blocks is not valid JSON")
        problems = message_problems(text=text if isinstance(text, str) else None, blocks=blocks)
        for code in _MESSAGE_CODES:
            chosen = [f"[ERROR] {p}" for p in problems if getattr(p, "code", "") == code]
            if chosen:
                return error(code, *chosen)
        return None

    def store(self, channel: str, text: str, blocks: Any, thread_ts: Any, **kw: Any) -> Message:
        msg = Message(channel, self.next_ts(), text, blocks or None, thread_ts=thread_ts, **kw)
        if thread_ts:
            parent = self.messages.get((channel, thread_ts))
            if parent is not None and parent.thread_ts is None:
                parent.replies.append(msg.ts)
            else:
                msg.thread_parent_found = False  # Slack accepts it anyway
        self.messages[(channel, msg.ts)] = msg
        return msg

    def message_json(self, msg: Message) -> Body:
        out: Body = {"type": "message", "user": msg.user, "bot_id": BOT_ID, "app_id": APP_ID}
        out.update(text=msg.text, ts=msg.ts, team=self.team_id)
        if msg.blocks:
            out["blocks"] = msg.blocks
        if msg.thread_ts:
            out["thread_ts"] = msg.thread_ts
        return out

    def edit(self, msg: Message, text: str, blocks: Any) -> None:
        msg.text, msg.blocks = text, blocks or None
        msg.edits.append({"text": msg.text, "blocks": msg.blocks})

    def post_message(self, args: Body) -> Body:
        channel = self.channel(args["channel"])
        if channel is None:
            return error("channel_not_found")
        text, blocks = args.get("text"), args.get("blocks")
        if problem := self.message_error(text, blocks):
            return problem
        msg = self.store(
            channel.id, text or "", blocks, args.get("thread_ts"), metadata=args.get("metadata")
        )
        return {"ok": True, "channel": channel.id, "ts": msg.ts, "message": self.message_json(msg)}

    def update(self, args: Body) -> Body:
        channel = self.channel(args["channel"])
        if channel is None:
            return error("channel_not_found")
        msg = self.messages.get((channel.id, args["ts"]))
        if msg is None:
            return error("message_not_found")
        # Fields left out keep their current value, as in Slack.
        text, blocks = args.get("text", msg.text), args.get("blocks", msg.blocks)
        if problem := self.message_error(text, blocks):
            return problem
        self.edit(msg, text or "", blocks)
        body = {"ok": True, "channel": channel.id, "ts": msg.ts, "text": msg.text}
        return body | {"message": self.message_json(msg)}

    def post_ephemeral(self, args: Body) -> Body:
        channel = self.channel(args["channel"])
        if channel is None:
            return error("channel_not_found")
        if args["user"] not in self.users:
            return error("user_not_in_channel")
        text, blocks = args.get("text"), args.get("blocks")
        if problem := self.message_error(text, blocks):
            return problem
        ts = self.next_ts()
        thread_ts = args.get("thread_ts")
        self.ephemerals.append(
            Ephemeral(channel.id, args["user"], text or "", blocks or None, thread_ts, ts)
        )
        return {"ok": True, "message_ts": ts}

    def get_permalink(self, args: Body) -> Body:
        channel = self.channel(args["channel"])
        if channel is None:
            return error("channel_not_found")
        msg = self.messages.get((channel.id, args["message_ts"]))
        if msg is None:
            return error("message_not_found")
        base = f"https://{self.team_domain}.slack.com/archives/{channel.id}"
        link = f"{base}/p{msg.ts.replace('.', '')}"
        if msg.thread_ts and msg.thread_parent_found:
            link += f"?thread_ts={msg.thread_ts}&cid={channel.id}"
        return {"ok": True, "channel": channel.id, "permalink": link}

    # Views.

    @staticmethod
    def view_arg(args: Body, kind: str) -> tuple[Body, Body | None]:
        """The decoded view and, when Slack would refuse it, the error body to answer with."""
        view = args["view"]
        if not isinstance(view, dict):
            return {}, error("invalid_arguments", "[ERROR] view is not a JSON object")
        problems = view_problems(view)
        if any(getattr(p, "code", "") == VIEW_TOO_LARGE for p in problems):
            return view, error("view_too_large", *[f"[ERROR] {p}" for p in problems])
        if view.get("type") != kind:
            problems.append(f"view: type must be {kind!r} for this method")
        if problems:
            return view, error("invalid_arguments", *[f"[ERROR] {p}" for p in problems])
        return view, None

    def view_json(self, v: View) -> Body:
        out: Body = {"id": v.id, "team_id": self.team_id, "app_id": APP_ID, "bot_id": BOT_ID}
        out |= {"type": v.type, "hash": v.hash, "root_view_id": v.id, "state": {"values": {}}}
        out |= {k: val for k, val in v.view.items() if k not in out}
        out.setdefault("private_metadata", "")
        out.setdefault("callback_id", "")
        out.setdefault("external_id", "")
        return out

    @staticmethod
    def new_hash() -> str:
        return f"{int(time.time())}.{secrets.token_hex(4)}"

    def views_open(self, args: Body) -> Body:
        view, problem = self.view_arg(args, "modal")
        if problem:
            return problem
        trigger_id, trigger = args.get("trigger_id"), None
        if trigger_id:
            trigger = self.triggers.get(trigger_id)
            if trigger is None:
                return error("invalid_trigger_id")
            if trigger.used:
                return error("exchanged_trigger_id")
            if self.trigger_ttl and time.monotonic() - trigger.issued_at > self.trigger_ttl:
                return error("expired_trigger_id")
            trigger.used = True
        external_id = view.get("external_id") or None
        if external_id and any(v.external_id == external_id for v in self.views.values()):
            return error("duplicate_external_id")
        user = trigger.user if trigger else None
        v = View(self.new_id("V"), "modal", user, trigger_id, view, self.new_hash(), external_id)
        self.views[v.id] = v
        return {"ok": True, "view": self.view_json(v)}

    def views_update(self, args: Body) -> Body:
        view, problem = self.view_arg(args, "modal")
        if problem:
            return problem
        view_id, external_id = args.get("view_id"), args.get("external_id")
        found = self.views.get(view_id) if view_id else None
        if found is None and external_id:
            found = next((v for v in self.views.values() if v.external_id == external_id), None)
        if found is None:
            return error("not_found")
        if args.get("hash") and args["hash"] != found.hash:
            return error("hash_conflict")
        found.view, found.hash = view, self.new_hash()
        found.updates.append(found.view)
        return {"ok": True, "view": self.view_json(found)}

    def views_publish(self, args: Body) -> Body:
        view, problem = self.view_arg(args, "home")
        if problem:
            return problem
        user = args["user_id"]
        if user not in self.users:
            return error("invalid_arguments", "[ERROR] invalid `user_id`")
        current = self.home_views.get(user)
        if current and args.get("hash") and args["hash"] != current.hash:
            return error("hash_conflict")
        if current is None:
            current = View(self.new_id("V"), "home", user, None, view, self.new_hash())
            self.home_views[user] = current
        else:
            current.view, current.hash = view, self.new_hash()
            current.updates.append(current.view)
        return {"ok": True, "view": self.view_json(current)}

    # Directory methods.

    def auth_test(self, args: Body) -> Body:
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": "sleeve",
            "team_id": self.team_id,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "is_enterprise_install": False,
        }

    def users_info(self, args: Body) -> Body:
        user = self.users.get(args["user"])
        if user is None:
            return error("user_not_found")
        offset = datetime.now(ZoneInfo(user.tz)).utcoffset()
        profile = {"real_name": user.real_name, "display_name": user.name}
        profile |= {"real_name_normalized": user.real_name, "display_name_normalized": user.name}
        body = {"id": user.id, "team_id": self.team_id, "name": user.name, "deleted": False}
        body |= {"real_name": user.real_name, "tz": user.tz, "profile": profile}
        body |= {"tz_offset": int(offset.total_seconds()) if offset else 0, "is_bot": user.is_bot}
        body |= {"is_restricted": user.is_restricted, "is_ultra_restricted": False}
        return {"ok": True, "user": body | {"is_app_user": False}}

    def conversations_open(self, args: Body) -> Body:
        if args.get("channel"):
            channel = self.channels.get(args["channel"])
            if channel is None:
                return error("channel_not_found")
            return {"ok": True, "channel": {"id": channel.id}}
        users = tuple(u for u in re.split(r"\s*,\s*", str(args["users"])) if u)
        if not users:
            return error("users_list_not_supplied")
        if any(u not in self.users for u in users):
            return error("user_not_found")
        existed = tuple(sorted(users)) in self._dms
        body: Body = {"ok": True, "channel": {"id": self.dm(users).id}}
        return body | ({"no_op": True, "already_open": True} if existed else {})

    def usergroup_json(self, group: Usergroup, with_users: bool) -> Body:
        out: Body = {"id": group.id, "team_id": self.team_id, "is_usergroup": True}
        out |= {"name": group.name, "handle": group.handle, "description": "", "date_delete": 0}
        out["user_count"] = len(group.users)
        if with_users:
            out["users"] = list(group.users)
        return out

    def usergroups_list(self, args: Body) -> Body:
        with_users = truthy(args.get("include_users"))
        groups = [self.usergroup_json(g, with_users) for g in self.usergroups.values()]
        return {"ok": True, "usergroups": groups}

    def usergroups_users_list(self, args: Body) -> Body:
        group = self.usergroups.get(args["usergroup"])
        if group is None:
            return error("no_such_subteam")
        return {"ok": True, "users": list(group.users)}
