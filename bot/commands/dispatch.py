"""From a slash command to a verb handler: parse, dispatch, help and usage errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.commands.catalog import Noun, Verb
from bot.commands.help import help_reply
from bot.commands.parser import ParsedCommand, closest, parse, typed_length
from bot.core.errors import ConflictError, UsageError, echo
from bot.departments.work import Work, WorkOpener
from bot.slack.replies import Reply
from bot.storage import replays

MAX_TYPED = 4_000  # the most Slack lets anyone type after a slash command


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


Handler = Callable[[Work, Invocation], Reply]
# Keeps a reply's outbox in the unit of work's transaction (the delivery engine's ``save``).
Saver = Callable[[Work, Reply], None]


def run_command(
    opener: WorkOpener,
    noun: Noun,
    handlers: Mapping[str, Handler],
    *,
    text: str,
    channel_id: str,
    trigger_id: str | None,
    save: Saver,
) -> Reply:
    """Parse, then run the verb's handler in one unit of work: a write transaction for a verb
    that changes things (with the replay key and the reply's outbox), a read one otherwise.

    ``trigger_id`` is unique per invocation: a request that repeats one is a replay."""
    if "\x00" in text:
        # No database stores it (PostgreSQL refuses it outright), and no keyboard types it.
        raise UsageError(
            f"That text holds a NUL character; type it again. Try `{noun.command} help`."
        )
    if typed_length(text) > MAX_TYPED:
        raise UsageError(
            f"That command is {typed_length(text):,} characters; Sleeve reads up to "
            f"{MAX_TYPED:,}. Shorten the notes, or leave them out and add them afterwards."
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
    invocation = Invocation(noun, verb, opener.user_id, channel_id, trigger_id, parsed)
    handler = handlers.get(verb.name)
    if handler is None:
        raise UsageError(f"`{noun.command} {verb.name}` isn't available in this version of Sleeve.")
    with opener.open(write=verb.changes_things) as work:
        checks_replay = verb.changes_things and trigger_id is not None
        if checks_replay and not replays.first_sighting(
            work.session, f"command:{trigger_id}", now=work.now
        ):
            raise ConflictError(
                "Sleeve has already run this exact request: it arrived twice. "
                "Type the command again to run it again."
            )
        reply = handler(work, invocation)
        save(work, reply)
    return reply


def expect_args(invocation: Invocation, count: int) -> tuple[str, ...]:
    """The first ``count`` positionals after the verb, or a usage error showing the form."""
    args = invocation.args
    if len(args) < count:
        raise UsageError(f"Usage: `{invocation.usage()}`")
    return args[:count]
