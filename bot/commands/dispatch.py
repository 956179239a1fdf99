"""From a slash command to a verb handler: parse, dispatch, help and usage errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.commands.catalog import NOUNS, Noun, Verb
from bot.commands.parser import ParsedCommand, closest, parse
from bot.domain.errors import ConflictError, UsageError, echo
from bot.runtime import Runtime
from bot.slack.replies import Reply
from bot.storage import replays
from bot.views.help import help_reply


@dataclass(frozen=True)
class Invocation:
    """One slash command as the verb handlers see it: who, where, and the parsed text."""

    noun: Noun
    verb: Verb
    user_id: str
    channel_id: str
    trigger_id: str | None
    command: ParsedCommand

    @property
    def args(self) -> tuple[str, ...]:
        return self.command.positionals

    @property
    def options(self) -> Mapping[str, str]:
        return self.command.options

    def usage(self) -> str:
        return f"{self.noun.command} {self.verb.usage}"


Handler = Callable[[Runtime, Invocation], Reply]


def run_command(
    runtime: Runtime,
    noun: Noun,
    handlers: Mapping[str, Handler],
    *,
    text: str,
    user_id: str,
    channel_id: str,
    trigger_id: str | None,
    save: Callable[[Reply], None],
) -> Reply:
    """``trigger_id`` is unique per invocation: a request that repeats one is a replay.

    ``save`` keeps the reply's outbox; for a verb that changes things it runs in the same
    transaction as the replay key and the change."""
    if "\x00" in text:
        # No database stores it (PostgreSQL refuses it outright), and no keyboard types it.
        raise UsageError(
            f"That text holds a NUL character; type it again. Try `{noun.command} help`."
        )
    words = text.split(maxsplit=1)
    verb_name = words[0].lower() if words else ""
    if verb_name in ("", "help"):
        return help_reply(noun)
    verb = noun.verbs.get(verb_name)
    if verb is None:
        guess = closest(verb_name, noun.verbs)
        hint = f" Did you mean `{noun.command} {guess}`?" if guess else ""
        raise UsageError(
            f"`{noun.command}` has no verb {echo(verb_name)}.{hint} Try `{noun.command} help`."
        )
    parsed = parse(text, option_keys=verb.options, noun=f"{noun.command} {verb.name}")
    invocation = Invocation(noun, verb, user_id, channel_id, trigger_id, parsed)
    handler = handlers.get(verb.name)
    if handler is None:
        raise UsageError(f"`{noun.command} {verb.name}` isn't available in this version of Sleeve.")
    if not verb.changes_things:
        reply = handler(runtime, invocation)
        save(reply)
        return reply
    with runtime.db.write() as session:  # the handler's own write() joins this one
        if trigger_id and not replays.first_sighting(
            session, f"command:{trigger_id}", now=runtime.now()
        ):
            raise ConflictError(
                "Sleeve has already run this exact request: it arrived twice. "
                "Type the command again to run it again."
            )
        reply = handler(runtime, invocation)
        save(reply)
    return reply


def expect_args(invocation: Invocation, count: int) -> tuple[str, ...]:
    """The first ``count`` positionals after the verb, or a usage error showing the form."""
    args = invocation.args
    if len(args) < count:
        raise UsageError(f"Usage: `{invocation.usage()}`")
    return args[:count]


def all_nouns() -> Mapping[str, Noun]:
    return NOUNS
