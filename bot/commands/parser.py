"""Tokenizer and parser for slash-command text: ``/<noun> <verb> [positional…] [key:value…]``.

Slack sends the text with ``should_escape: true``: ``&``, ``<`` and ``>`` typed by the user
arrive as ``&amp;``, ``&lt;`` and ``&gt;``, so a raw ``<…>`` is always Slack's own markup.
Mentions (``<@U1|name>``, ``<#C1|name>``, ``<!subteam^S1|@name>``) are kept whole for the
value helpers below; links (``<https://x|label>``, ``<mailto:a@b|a@b>``) are unwrapped.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, time, timedelta
from types import MappingProxyType

from bot.core.errors import UsageError, ValidationError, echo

# Zero-width characters that pasted text carries; str.isspace() does not cover them.
_EXTRA_SPACES = frozenset("\u200b\u2060\ufeff")
_STRAIGHT = '"'
# Smart punctuation turns `key:"…"` into `key:”…”` (a quote after a letter is a closer),
# so both curly double quotes may open; apostrophes (Don’t) are never quotes.
_CURLY_OPENERS = frozenset("“”")
_CURLY_CLOSER = "”"
_KEY = re.compile(r"[A-Za-z][A-Za-z_]*:")
# Slack markup; only the label after "|" may contain spaces (display names do).
_MARKUP = re.compile(
    r"<(?P<target>[@#!][^\s|<>]*|[A-Za-z][A-Za-z0-9+.\-]*:[^\s|<>]*)(?:\|(?P<label>[^<>\n]*))?>"
)
_DECODE = re.compile(rf"{_MARKUP.pattern}|&(?P<entity>amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}

MAX_DAYS_AHEAD = 3650


@dataclass(frozen=True)
class Token:
    text: str  # unquoted and unescaped; for an option, the value
    quoted: bool = False
    key: str | None = None  # lower-cased option key when the token looks like key:value


@dataclass(frozen=True)
class ParsedCommand:
    verb: str | None
    positionals: tuple[str, ...] = ()
    options: Mapping[str, str] = dataclass_field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class UserRef:
    id: str | None  # None for a plain "@name" the caller still has to resolve
    name: str | None


@dataclass(frozen=True)
class ChannelRef:
    id: str | None
    name: str | None


@dataclass(frozen=True)
class GroupRef:
    id: str | None
    name: str | None  # without the leading "@"


def _is_space(ch: str) -> bool:
    return ch.isspace() or ch in _EXTRA_SPACES


def _clean(value: str, limit: int = 40) -> str:
    """The user's text on one printable line without backticks, shortened."""
    text = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    text = text.replace("`", "'")
    return f"{text[:limit]}…" if len(text) > limit else text


def _show(value: str, limit: int = 40) -> str:
    """The user's value, safe to echo in a message."""
    return echo(value, limit)


def typed_length(text: str) -> int:
    """How many characters the user typed: Slack's escaping of &, < and > not counted."""
    return len(_unescape(text))


def _unescape(text: str) -> str:
    # One pass, so "&amp;lt;" becomes "&lt;" and not "<".
    return re.sub(r"&(amp|lt|gt);", lambda m: _ENTITIES[m.group(1)], text)


def _decode(text: str) -> str:
    """Unescape user text, keep mentions whole and unwrap links to their address."""

    def replace(m: re.Match[str]) -> str:
        if m.group("entity"):
            return _ENTITIES[m.group("entity")]
        target = m.group("target")
        if target[0] in "@#!":
            return m.group(0)
        url = _unescape(target)
        return url[len("mailto:") :] if url.lower().startswith("mailto:") else url

    return _DECODE.sub(replace, text)


def _skip_bare(text: str, i: int) -> int:
    while i < len(text) and not _is_space(text[i]):
        markup = _MARKUP.match(text, i) if text[i] == "<" else None
        i = markup.end() if markup else i + 1
    return i


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The decoded value of the quote opening at ``start`` and the index after it."""
    opener = text[start]
    closer = _STRAIGHT if opener == _STRAIGHT else _CURLY_CLOSER
    parts: list[str] = []
    i = chunk = start + 1
    while i < len(text):
        ch = text[i]
        if opener == _STRAIGHT and ch == "\\" and text[i + 1 : i + 2] in ('"', "\\"):
            parts += [text[chunk:i], text[i + 1]]
            i = chunk = i + 2
        elif ch == "<" and (markup := _MARKUP.match(text, i)):
            i = markup.end()  # a quote inside a display name does not close the value
        elif ch == closer:
            parts.append(text[chunk:i])
            if i + 1 < len(text) and not _is_space(text[i + 1]):
                raise UsageError(
                    f"Put a space after the closing {closer} of "
                    f"{_show(opener + ''.join(parts) + closer)}."
                )
            return _decode("".join(parts)), i + 1
        else:
            i += 1
    raise UsageError(
        f"The quote {opener} before {_show(text[start + 1 :], 20)} is never closed. "
        f'Close it with {closer}, e.g. artist:"The Vels" or artist:“The Vels”.'
    )


def tokenize(text: str) -> list[Token]:
    """Split command text into tokens; raises UsageError for a badly quoted value."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        if _is_space(text[i]):
            i += 1
            continue
        key = None
        match = _KEY.match(text, i)
        # "https://x" is a URL, not an option "https".
        if match and not text.startswith("//", match.end()):
            key = match.group()[:-1].lower()
            i = match.end()
        # Quotes open only at the start of a token or value, so 12" or Don"t stay literal.
        if i < len(text) and (text[i] == _STRAIGHT or text[i] in _CURLY_OPENERS):
            value, i = _read_quoted(text, i)
            tokens.append(Token(value, quoted=True, key=key))
        else:
            end = _skip_bare(text, i)
            tokens.append(Token(_decode(text[i:end]), quoted=False, key=key))
            i = end
    return tokens


def _command_label(noun: str, verb: str) -> str:
    noun = _clean(noun.strip())
    if not noun:
        return "This command"
    label = noun if noun.startswith("/") else f"/{noun}"
    if label.split()[-1].lower() != verb:  # callers may pass "/asset" or "/asset new"
        label = f"{label} {verb}"
    return f"`{label}`"


def parse(
    text: str, *, option_keys: Collection[str] | None = None, noun: str = ""
) -> ParsedCommand:
    """Parse ``<verb> [positional…] [key:value…]``; every mistake is a UsageError.

    With ``option_keys``, a ``word:value`` token whose word is not one of them is refused
    (unless it is a URL), so a typo in a key is never silently taken as text.
    """
    tokens = tokenize(text)
    if not tokens:
        return ParsedCommand(verb=None)
    first, rest = tokens[0], tokens[1:]
    if first.quoted or first.key is not None:
        words = _clean(noun).split()
        example = f"`{words[0]} help`" if words else "`help`"
        raise UsageError(f"Start with what to do, e.g. {example} lists what you can write.")
    verb = first.text.lower()
    allowed: tuple[str, ...] | None = None
    if option_keys is not None:
        ordered = option_keys if isinstance(option_keys, Sequence) else sorted(option_keys)
        allowed = tuple(dict.fromkeys(k.lower() for k in ordered))
    positionals: list[str] = []
    options: dict[str, str] = {}
    for token in rest:
        if token.key is None:
            positionals.append(token.text)
            continue
        key = token.key
        if allowed is not None and key not in allowed:
            label = _command_label(noun, _clean(verb))
            guess = closest(key, allowed)
            hint = f" Did you mean `{guess}:`?" if guess else ""
            takes = ", ".join(f"{k}:" for k in allowed) if allowed else "no key:value options"
            raise UsageError(
                f"{label} doesn't take `{key}:`.{hint} It takes {takes}. "
                'Quote text that contains a colon, e.g. "Side A: Intro".'
            )
        if key in options:
            raise UsageError(f"`{key}:` is given twice; give it once.")
        if not token.text and not token.quoted:
            raise UsageError(
                f"`{key}:` needs a value right after the colon, "
                f'e.g. `{key}:value` or `{key}:"two words"`.'
            )
        options[key] = token.text
    return ParsedCommand(verb, tuple(positionals), MappingProxyType(options))


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``word`` (for "did you mean …"), or None if none is close."""
    by_lower = {choice.lower(): choice for choice in choices}
    matches = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[matches[0]] if matches else None


# --- value helpers -------------------------------------------------------------------------

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^<>\n]*))?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^<>\n]*))?>")
_GROUP = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|([^<>\n]*))?>")
_PLAIN_NAME = re.compile(r"[^\s@#<>,`]+")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_RELATIVE = re.compile(r"\+([0-9]{1,6})([dw])")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EXTRA_DAY_NAMES = {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
# Index 0 is Monday, as in date.weekday().
_WEEKDAYS = {n: d for d, name in enumerate(_DAY_NAMES) for n in (name, name[:3])} | _EXTRA_DAY_NAMES


def _label(raw: str | None) -> str | None:
    name = _unescape(raw or "").strip().removeprefix("@").strip()
    return name or None


def _split_items(value: str, *, on_space: bool = False) -> list[str]:
    """Split on commas (and spaces) outside mentions, whose labels may contain both."""
    items: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(value):
        markup = _MARKUP.match(value, i) if value[i] == "<" else None
        if markup:
            current.append(markup.group())
            i = markup.end()
            continue
        if value[i] == "," or (on_space and _is_space(value[i])):
            items.append("".join(current))
            current = []
        else:
            current.append(value[i])
        i += 1
    items.append("".join(current))
    return [item for item in (raw.strip() for raw in items) if item]


def _ref(
    value: str, markup: re.Pattern[str], sigil: str, field: str, like: str
) -> tuple[str | None, str | None]:
    """(id, label) of a Slack mention, or (None, name) of a typed ``@name`` / ``#name``."""
    text = value.strip()
    if match := markup.fullmatch(text):
        return match.group(1), _label(match.group(2))
    if text.startswith(sigil) and _PLAIN_NAME.fullmatch(text[1:]):
        return None, text[1:]
    raise ValidationError(f"`{field}` should be {like} (got {_show(value)}).")


def parse_user(value: str, *, field: str = "user") -> UserRef:
    return UserRef(*_ref(value, _USER, "@", field, "a person, like @cora"))


def parse_users(value: str, *, field: str) -> list[UserRef]:
    """Comma- or space-separated people, duplicates dropped, order kept."""
    users: dict[str, UserRef] = {}
    for item in _split_items(value, on_space=True):
        user = parse_user(item, field=field)
        users.setdefault(user.id or f"@{user.name}", user)
    if not users:
        raise ValidationError(f"`{field}` needs at least one person, like @cora,@sam.")
    return list(users.values())


def parse_channel(value: str, *, field: str = "channel") -> ChannelRef:
    channel_id, name = _ref(value, _CHANNEL, "#", field, "a channel, like #production")
    return ChannelRef(channel_id, name and name.lower())  # Slack channel names are lower-case


def parse_usergroup(value: str, *, field: str = "group") -> GroupRef:
    return GroupRef(*_ref(value, _GROUP, "@", field, "a user group, like @legal-team"))


def parse_list(value: str) -> list[str]:
    return _split_items(value)


def _calendar_date(value: str, year: int, month: int, day: int, field: str) -> date:
    if year < 1 or not 1 <= month <= 12:
        raise ValidationError(f"`{field}`: {_show(value)} isn't a real date (YYYY-MM-DD).")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValidationError(
            f"`{field}`: {_show(value)} isn't a real date; "
            f"{calendar.month_name[month]} {year} has {days} days."
        )
    return date(year, month, day)


def parse_date(value: str, *, today: date, field: str = "date") -> date:
    """A date as people write it; ``today`` comes from the caller, in the workspace zone."""
    text = value.strip().lower()
    try:
        if match := _ISO_DATE.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
            return _calendar_date(value, year, month, day, field)
        if text == "today":
            return today
        if text == "tomorrow":
            return today + timedelta(days=1)
        if match := _RELATIVE.fullmatch(text):
            days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
            if days > MAX_DAYS_AHEAD:
                raise ValidationError(
                    f"`{field}` is too far ahead; at most +{MAX_DAYS_AHEAD}d (about ten years)."
                )
            return today + timedelta(days=days)
        if text in _WEEKDAYS:
            # The next such day strictly after today: "fri" on a Friday is a week later.
            return today + timedelta(days=(_WEEKDAYS[text] - today.weekday() - 1) % 7 + 1)
    except OverflowError:
        raise ValidationError(f"`{field}` falls outside the calendar.") from None
    raise ValidationError(
        f"`{field}` should be a date like 2027-01-10, today, tomorrow, +3d, +2w or fri "
        f"(got {_show(value)})."
    )


def parse_time_of_day(value: str, *, field: str = "time") -> time:
    match = _TIME.fullmatch(value.strip())
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return time(int(match.group(1)), int(match.group(2)))
    raise ValidationError(
        f"`{field}` should be a 24-hour time like 09:00 or 17:30 (got {_show(value)})."
    )


def parse_id(value: str, *, prefix: str, field: str) -> int:
    """``A-3`` or ``a-3`` -> 3; the dash is required so ids never look like words."""
    pattern = rf"{re.escape(prefix)}-([0-9]{{1,9}})"
    match = re.fullmatch(pattern, value.strip(), re.IGNORECASE | re.ASCII)
    if match and int(match.group(1)) > 0:
        return int(match.group(1))
    raise ValidationError(
        f"`{field}` should be an id like {prefix.upper()}-3 (got {_show(value)})."
    )
