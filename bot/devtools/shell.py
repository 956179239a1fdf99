"""`python -m bot shell`: the whole app in a terminal, no Slack account needed.

Lines are sent to the real Bolt app as signed Slack requests (slash commands, clicks, modal
submissions); whatever the app sends to the fake Slack comes back as readable text.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console

from bot.assets.service import home_thread
from bot.commands.catalog import NOUNS
from bot.commands.parser import parse, parse_date
from bot.core.clock import ShiftedClock
from bot.core.errors import SleeveError
from bot.devtools import demo
from bot.devtools.render import Button, mrkdwn_to_text, render_blocks, rich_markup
from bot.devtools.shell_files import keep_dm_files, upload
from bot.devtools.workspace import Workspace
from bot.storage.asset_models import Asset

PROMPT_HELP = (
    "Type a slash command (/asset help), `as <user>`, `click N`, `submit key:value …`, "
    "`clock +1d`, `thread A-3`, `upload A-3 FILE`, `home`, `help` or `quit`."
)
_MENTION = re.compile(r"(?<![\w.<|])@([a-z][a-z0-9._-]*)")
_CHANNEL = re.compile(r"(?<![\w<|])#([a-z0-9][a-z0-9_-]*)")
_SHIFT = re.compile(r"\+(\d{1,4})([dhm])")
COMMANDS = tuple(noun.command for noun in NOUNS.values())


class Shell:
    def __init__(self, workspace: Workspace, clock: ShiftedClock, out: TextIO) -> None:
        self.ws = workspace
        self.clock = clock
        self.out = out
        self.user = demo.COORDINATOR
        self.buttons: dict[int, tuple[str, str, Button]] = {}
        self.seen_messages: dict[tuple[str, str], int] = {}
        self.seen_ephemerals = 0
        self.seen_mail = 0
        self.seen_views: dict[str, int] = {}
        self.open_view: dict[str, Any] | None = None
        self.clock_file: Path | None = None
        self.console = Console(file=out, highlight=False, soft_wrap=True, emoji=True)

    # -- output ----------------------------------------------------------------------------

    def say(self, line: str = "") -> None:
        if self.console.is_terminal:  # a person at a terminal: mrkdwn styled, emoji drawn
            self.console.print(rich_markup(line))
        else:  # a script's output stays plain text, as Slack's mrkdwn source
            print(line, file=self.out, flush=True)

    def text(self, mrkdwn: str) -> str:
        fake = self.ws.fake
        return mrkdwn_to_text(
            mrkdwn,
            user_name=fake.user_name,
            channel_name=fake.channel_name,
            group_name=lambda group_id: group_id,
        )

    def _add_button(self, channel: str, ts: str) -> Any:
        def add(button: Button) -> int:
            number = len(self.buttons) + 1
            self.buttons[number] = (channel, ts, button)
            return number

        return add

    def render(
        self,
        where: str,
        text: str,
        blocks: list[dict[str, Any]] | None,
        channel: str = "",
        ts: str = "",
    ) -> None:
        lines = (
            render_blocks(blocks, text=self.text, add_button=self._add_button(channel, ts))
            if blocks
            else self.text(text).splitlines()
        )
        self.say(f"{where}  Sleeve: {lines[0] if lines else ''}")
        for line in lines[1:]:
            self.say(f"    {line}")

    def show_ack(self, status: int, body: str) -> None:
        if status == 401:
            self.say("(Slack) the request was refused: bad signature")
            return
        if not body:
            return
        try:
            import json

            payload = json.loads(body)
        except ValueError:
            self.say(f"(only you)  {body}")
            return
        if payload.get("response_action") == "errors":
            for block, message in payload.get("errors", {}).items():
                self.say(f"(form) {block}: {message}")
            return
        if "text" in payload or "blocks" in payload:
            self.render("(only you)", payload.get("text", ""), payload.get("blocks"))

    def show_mail(self) -> None:
        """``mail → jane@example.com: [SLV-014] A-3 Front cover — changes requested``."""
        mailbox = self.ws.mailbox
        if mailbox is None:
            return
        messages = mailbox.messages
        for message in messages[self.seen_mail :]:
            self.say(f"mail → {message['To'].addresses[0].addr_spec}: {message['Subject']}")
        self.seen_mail = len(messages)

    def show_news(self) -> None:
        fake = self.ws.fake
        for message in fake.messages():
            key = (message.channel, message.ts)
            version = len(message.edits)
            if self.seen_messages.get(key) == version:
                continue
            updated = key in self.seen_messages
            self.seen_messages[key] = version
            where = fake.place(message.channel)
            if message.thread_ts and message.thread_ts != message.ts:
                where += " › thread"
            if updated:
                where += "  (updated)"
            self.render(where, message.text, message.blocks, message.channel, message.ts)
            if not updated and message.channel.startswith("D"):
                keep_dm_files(self, message.files)
        self.show_mail()
        ephemerals = fake.ephemerals()
        for ephemeral in ephemerals[self.seen_ephemerals :]:
            who = fake.user_name(ephemeral.user or "") or ephemeral.user
            where = "(only you)" if ephemeral.user == self.user.user_id else f"(only @{who})"
            self.render(where, ephemeral.text, ephemeral.blocks)
        self.seen_ephemerals = len(ephemerals)
        for view in fake.views:
            version = len(view.updates)
            if self.seen_views.get(view.id) == version or view.type != "modal":
                continue
            self.seen_views[view.id] = version
            self.open_view = {**view.view, "id": view.id, "hash": view.hash}
            title = view.view.get("title", {}).get("text", "")
            self.say(f"(modal) {title} — fill it with `submit key:value …`:")
            for line in render_blocks(
                view.view.get("blocks", []), text=self.text, add_button=self._add_button("", "")
            ):
                self.say(f"    {line}")

    # -- commands --------------------------------------------------------------------------

    def slack_escape(self, text: str) -> str:
        """What Slack does to command text with should_escape: entities and mentions."""
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        def user(match: re.Match[str]) -> str:
            found = demo.by_name(match.group(1))
            return f"<@{found.user_id}|{found.name}>" if found else match.group(0)

        def channel(match: re.Match[str]) -> str:
            name = match.group(1)
            if name == demo.PRODUCTION_NAME:
                return f"<#{demo.PRODUCTION}|{name}>"
            return match.group(0)

        return _CHANNEL.sub(channel, _MENTION.sub(user, text))

    def handle(self, line: str) -> bool:
        line = line.strip()
        if not line or line.startswith(("//", "#")):  # a comment, in a script
            return True
        word, _, rest = line.partition(" ")
        if line.startswith("/"):
            if word.lower() not in COMMANDS:
                self.say(f"Sleeve has no {word[:40]} command. Its commands: {', '.join(COMMANDS)}.")
                return True
            response = self.ws.driver.command(
                self.user.user_id,
                word.lower(),
                self.slack_escape(rest.strip()),
                channel_id=self.ws.channel,
            )
            self.show_ack(response.status, response.body)
        elif word == "as":
            found = demo.by_name(rest.strip())
            if found is None:
                names = ", ".join(user.name for user in demo.USERS)
                self.say(f"No such person. People here: {names}.")
            else:
                self.user = found
                self.say(f"You are now @{found.name} ({found.department or 'no department'}).")
        elif word == "click":
            self.click(rest.strip())
        elif word == "submit":
            self.submit(rest.strip())
        elif word == "clock":
            self.move_clock(rest.strip())
        elif word == "thread":
            self.show_thread(rest.strip())
        elif word == "upload":
            upload(self, rest)
        elif word == "home":
            self.ws.driver.open_home(self.user.user_id)
            self.ws.settle()
            home = self.ws.fake.home_views.get(self.user.user_id)
            if home is not None:
                self.render("(your Home tab)", "", home.view.get("blocks", []))
        elif word in ("help", "?"):
            self.say(PROMPT_HELP)
            self.say(f"Slash commands (each has `help`): {', '.join(COMMANDS)}.")
        elif word in ("quit", "exit"):
            return False
        else:
            self.say(f"Not understood: {line[:60]}. {PROMPT_HELP}")
        self.ws.settle()
        self.show_news()
        return True

    def click(self, arg: str) -> None:
        if not arg.isdigit() or int(arg) not in self.buttons:
            self.say("Click a button by its number, e.g. `click 2`.")
            return
        channel, ts, button = self.buttons[int(arg)]
        message = self.ws.fake.message(channel, ts)
        if message is None:
            self.say("That message is gone.")
            return
        payload_message = {
            "type": "message",
            "ts": message.ts,
            "text": message.text,
            "blocks": message.blocks or [],
            "user": message.user,
        }
        if message.thread_ts:
            payload_message["thread_ts"] = message.thread_ts
        response = self.ws.driver.click(
            self.user.user_id,
            channel_id=channel,
            message=payload_message,
            block_id=button.block_id,
            action_id=button.action_id,
            value=button.value,
        )
        self.show_ack(response.status, response.body)

    def submit(self, arg: str) -> None:
        if self.open_view is None:
            self.say("No form is open.")
            return
        view = self.open_view
        inputs = {b["block_id"]: b for b in view.get("blocks", []) if b.get("type") == "input"}
        try:
            parsed = parse("submit " + self.slack_escape(arg), option_keys=list(inputs))
            values = {
                block_id: {
                    inputs[block_id]["element"]["action_id"]: self.element_value(
                        inputs[block_id]["element"], raw
                    )
                }
                for block_id, raw in parsed.options.items()
            }
        except SleeveError as exc:
            self.say(f"(form) {exc.message}")
            return
        response = self.ws.driver.submit(self.user.user_id, view, values)
        self.show_ack(response.status, response.body)
        if not response.body:
            self.open_view = None

    def element_value(self, element: dict[str, Any], raw: str) -> dict[str, Any]:
        kind = element["type"]
        if kind == "static_select":
            for option in element.get("options", []):
                if raw.lower() in (option["value"].lower(), option["text"]["text"].lower()):
                    return {"type": kind, "selected_option": option}
            return {"type": kind, "selected_option": None}
        if kind == "datepicker":
            today = self.ws.runtime.today()
            return {"type": kind, "selected_date": parse_date(raw, today=today).isoformat()}
        if kind == "users_select":
            match = re.fullmatch(r"<@(\w+)(?:\|[^>]*)?>", raw)
            return {"type": kind, "selected_user": match.group(1) if match else None}
        return {"type": kind, "value": raw}

    def move_clock(self, arg: str) -> None:
        if not arg.strip():
            self.say_time()
            return
        delta = self._clock_delta(arg.strip())
        if delta is None:
            self.say(
                "Move the clock forward like `clock +1d`, `clock +3h`, `clock +30m`, "
                "or to the next 09:05 with `clock 09:05`."
            )
            return
        self.clock.advance(delta)
        if self.clock_file is not None:  # the next session carries on from here
            self.clock_file.write_text(f"{self.clock.offset.total_seconds():.0f}\n")
        self.say_time()
        # What the scheduler would do at the new time: post the digests now due, and remind
        # approvals that have waited too long.
        from bot.approvals.flow import send_reminders
        from bot.scheduler import sweep_now

        sweep_now(self.ws.runtime, self.ws.app.client)
        send_reminders(self.ws.runtime, self.ws.app.client)

    def show_thread(self, arg: str) -> None:
        """The card an asset's news goes under, and its thread, with live buttons again."""
        match = re.fullmatch(r"[Aa]-?(\d{1,9})", arg)
        if not match:
            self.say("Show an asset's thread like `thread A-3`.")
            return
        with self.ws.runtime.db.read() as session:
            asset = session.get(Asset, int(match.group(1)))
            channel, ts = home_thread(asset) if asset is not None else (None, None)
        if asset is None or not channel or not ts:
            self.say(f"A-{match.group(1)} has no thread yet (no card was posted for it).")
            return
        parent = self.ws.fake.message(channel, ts)
        for message in [parent, *self.ws.fake.thread(channel, ts)] if parent else []:
            where = self.ws.fake.place(message.channel) + (
                " › thread" if message is not parent else ""
            )
            self.render(where, message.text, message.blocks, message.channel, message.ts)

    def mark_seen(self) -> None:
        """What the fake Slack holds now is not news (restored from an earlier session)."""
        for message in self.ws.fake.messages():
            self.seen_messages[(message.channel, message.ts)] = len(message.edits)

    def say_time(self) -> None:
        local = self.clock.now().astimezone(self.ws.runtime.tz)
        ahead = self.clock.offset
        note = f", {ahead.days} d {ahead.seconds // 3600} h ahead of real time" if ahead else ""
        self.say(f"It is now {local:%a %d %b %Y %H:%M} ({self.ws.runtime.tz.key}{note}).")

    def _clock_delta(self, arg: str) -> timedelta | None:
        if match := _SHIFT.fullmatch(arg):
            amount, unit = int(match.group(1)), match.group(2)
            return timedelta(**{{"d": "days", "h": "hours", "m": "minutes"}[unit]: amount})
        if match := re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", arg):
            local = self.clock.now().astimezone(self.ws.runtime.tz)
            wanted = local.replace(hour=int(match.group(1)), minute=int(match.group(2)))
            wanted = wanted.replace(second=0, microsecond=0)
            if wanted <= local:
                wanted += timedelta(days=1)
            return wanted - local
        return None

    # -- loop ------------------------------------------------------------------------------

    def prompt(self) -> str:
        return f"@{self.user.name}> "

    def run(self, source: TextIO, *, interactive: bool) -> None:
        while True:
            if interactive:
                try:
                    line = input(self.prompt())
                except EOFError:
                    self.say()
                    return
                except KeyboardInterrupt:  # Ctrl-C drops the line being typed, like a shell
                    self.say("\n(Ctrl-C: the line was dropped; `quit` or Ctrl-D leaves.)")
                    continue
            else:
                line = source.readline()
                if not line:
                    return
                self.say(f"{self.prompt()}{line.rstrip()}")
            if not self.handle(line):
                return
