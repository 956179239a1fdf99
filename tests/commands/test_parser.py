"""The slash-command parser: grammar rules by example, and properties over any text."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands.parser import (
    MAX_DAYS_AHEAD,
    ChannelRef,
    GroupRef,
    ParsedCommand,
    Token,
    UserRef,
    closest,
    parse,
    parse_channel,
    parse_date,
    parse_id,
    parse_list,
    parse_time_of_day,
    parse_user,
    parse_usergroup,
    parse_users,
    tokenize,
)
from bot.core.errors import UsageError, ValidationError

ASSET_NEW = ("kind", "due", "release", "owner", "freelancer", "priority", "notes")
FRIDAY = date(2027, 1, 8)
assert FRIDAY.weekday() == 4


def usage_error(text: str, option_keys: Collection[str] | None = None, noun: str = "") -> str:
    with pytest.raises(UsageError) as caught:
        parse(text, option_keys=option_keys, noun=noun)
    return caught.value.message


def validation_error(call: Callable[[], object]) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message


# --- tokens, verbs, positionals and options -------------------------------------------------


def test_verb_positionals_and_options() -> None:
    parsed = parse('NEW "Front cover" kind:cover Due:2027-01-10', option_keys=ASSET_NEW)
    assert parsed == ParsedCommand("new", ("Front cover",), {"kind": "cover", "due": "2027-01-10"})


@pytest.mark.parametrize("text", ["", "   ", "\u00a0\t\n", "\u200b"])
def test_empty_text_has_no_verb(text: str) -> None:
    assert parse(text) == ParsedCommand(None, (), {})


@pytest.mark.parametrize("space", ["\u00a0", "\u2003", "\u3000", "\u202f", "\t", "\n", "\u200b"])
def test_unicode_spaces_separate_tokens(space: str) -> None:
    parsed = parse(f"show{space}A-3{space}{space}kind:cover")
    assert parsed == ParsedCommand("show", ("A-3",), {"kind": "cover"})


def test_tokens_record_quoting_and_key() -> None:
    assert tokenize('new "a b" due:fri notes:"x y" plain') == [
        Token("new"),
        Token("a b", quoted=True),
        Token("fri", key="due"),
        Token("x y", quoted=True, key="notes"),
        Token("plain"),
    ]


@pytest.mark.parametrize(
    ("text", "title", "artist"),
    [
        ('new "Midnight Tapes" artist:"The Vels"', "Midnight Tapes", "The Vels"),
        ("new “Midnight Tapes” artist:“The Vels”", "Midnight Tapes", "The Vels"),
        # Smart punctuation after a letter gives a closing quote as the opener.
        ("new ”Midnight Tapes” artist:”The Vels”", "Midnight Tapes", "The Vels"),
        ("new “Don’t Stop” artist:“Vels’ Own”", "Don’t Stop", "Vels’ Own"),
        ('new “Say "hi"” artist:"A “B” C"', 'Say "hi"', "A “B” C"),
    ],
)
def test_straight_and_curly_quotes(text: str, title: str, artist: str) -> None:
    parsed = parse(text, option_keys=["artist"])
    assert parsed.positionals == (title,)
    assert parsed.options == {"artist": artist}


def test_backslash_escapes_inside_straight_quotes() -> None:
    parsed = parse(r'cancel A-3 reason:"the \"old\" one" path:"C:\dir\\x"')
    assert parsed.options == {"reason": 'the "old" one', "path": "C:\\dir\\x"}


def test_backslash_is_literal_inside_curly_quotes() -> None:
    assert parse(r"new “a\”").positionals == ("a\\",)


def test_quotes_inside_a_bare_word_are_literal() -> None:
    parsed = parse('new 12" Don’t format:7" x“y')
    assert parsed.positionals == ('12"', "Don’t", "x“y")
    assert parsed.options == {"format": '7"'}


def test_empty_quotes_give_an_empty_value() -> None:
    parsed = parse('edit F-2 notes:"" ""')
    assert parsed.options == {"notes": ""}
    assert parsed.positionals == ("F-2", "")


@pytest.mark.parametrize(
    ("text", "quote"),
    [('new "Midnight Tapes', '"'), ("new “Midnight Tapes", "“"), ('new notes:"a \\"', '"')],
)
def test_unterminated_quote(text: str, quote: str) -> None:
    message = usage_error(text)
    assert f"quote {quote}" in message
    assert "never closed" in message
    assert 'artist:"The Vels"' in message


def test_text_glued_to_a_closing_quote_is_refused() -> None:
    assert "space after the closing" in usage_error('new "Front"cover')


def test_mentions_with_spaces_in_labels_are_single_tokens() -> None:
    parsed = parse("owner A-3 <@U123|Cora Smith> <#C1|big room> <!subteam^S1|@legal team>")
    assert parsed.positionals == (
        "A-3",
        "<@U123|Cora Smith>",
        "<#C1|big room>",
        "<!subteam^S1|@legal team>",
    )


def test_mentions_inside_option_values() -> None:
    parsed = parse(
        "set legal members:<@U1|Ann Lee>,<@U2|b> group:<!subteam^S1|@legal team> "
        "channel:<#C9|legal> owner:<@U3>"
    )
    assert parsed.options == {
        "members": "<@U1|Ann Lee>,<@U2|b>",
        "group": "<!subteam^S1|@legal team>",
        "channel": "<#C9|legal>",
        "owner": "<@U3>",
    }
    assert [u.name for u in parse_users(parsed.options["members"], field="members")] == [
        "Ann Lee",
        "b",
    ]


def test_quote_inside_a_display_name_does_not_close_the_value() -> None:
    assert parse('x notes:"ask <@U1|Cora "CJ" Smith> first"').options == {
        "notes": 'ask <@U1|Cora "CJ" Smith> first'
    }


def test_slack_escapes_are_undone_in_values() -> None:
    parsed = parse(
        'new "Rock &amp; Roll &lt;3" notes:"a &gt; b" x&amp;y tag:&amp;lt;', option_keys=None
    )
    assert parsed.positionals == ("Rock & Roll <3", "x&y")
    # One pass only: "&amp;lt;" is what Slack sends for a typed "&lt;".
    assert parsed.options == {"notes": "a > b", "tag": "&lt;"}


def test_links_are_unwrapped() -> None:
    parsed = parse(
        "add x portfolio:<https://a.example/?p=1&amp;q=2|a.example> "
        "email:<mailto:jane@example.com|jane@example.com> <https://b.example>"
    )
    assert parsed.options == {
        "portfolio": "https://a.example/?p=1&q=2",
        "email": "jane@example.com",
    }
    assert parsed.positionals == ("x", "https://b.example")


@pytest.mark.parametrize("keys", [None, ("label",)])
def test_urls_and_times_stay_positional(keys: tuple[str, ...] | None) -> None:
    parsed = parse("link A-3 https://x.y/a:b HTTP://x.y 09:00 12:30pm", option_keys=keys)
    assert parsed.positionals == ("A-3", "https://x.y/a:b", "HTTP://x.y", "09:00", "12:30pm")
    assert parsed.options == {}


def test_url_as_an_option_value() -> None:
    assert parse("add x portfolio:https://x.y/p:1").options == {"portfolio": "https://x.y/p:1"}


def test_quoting_keeps_a_colon_word_positional() -> None:
    parsed = parse('new "Side A: Intro" “due:fri”', option_keys=ASSET_NEW)
    assert parsed.positionals == ("Side A: Intro", "due:fri")


def test_any_key_is_an_option_without_option_keys() -> None:
    assert parse("new colour:red").options == {"colour": "red"}


def test_unknown_option_names_it_and_lists_the_allowed_ones() -> None:
    message = usage_error("new x colour:red", option_keys=ASSET_NEW, noun="asset")
    assert "`/asset new` doesn't take `colour:`" in message
    assert "kind:, due:, release:, owner:, freelancer:, priority:, notes:" in message


def test_unknown_option_suggests_the_closest_key() -> None:
    message = usage_error("new x dew:fri", option_keys=ASSET_NEW, noun="/asset new")
    assert message.startswith("`/asset new` doesn't take `dew:`. Did you mean `due:`?")


def test_unknown_option_with_a_set_of_keys_lists_them_sorted() -> None:
    message = usage_error("move A-3 due:fri", option_keys=frozenset({"stage", "note"}))
    assert "This command doesn't take `due:`" in message
    assert "note:, stage:" in message


def test_verb_without_options() -> None:
    assert "takes no key:value options" in usage_error("list x:1", option_keys=())


def test_option_keys_are_case_insensitive() -> None:
    assert parse("new KIND:cover", option_keys=["Kind"]).options == {"kind": "cover"}


def test_duplicate_key() -> None:
    assert "`due:` is given twice" in usage_error("new x due:fri DUE:mon")


@pytest.mark.parametrize("text", ["new x due:", "new x due: fri", "new due:\u00a0fri"])
def test_empty_value(text: str) -> None:
    message = usage_error(text, option_keys=ASSET_NEW)
    assert "`due:` needs a value" in message
    assert 'due:"two words"' in message


@pytest.mark.parametrize("text", ['"new" x', "kind:cover", "“new”"])
def test_text_must_start_with_a_verb(text: str) -> None:
    assert "Start with what to do, e.g. `/asset help`" in usage_error(text, noun="/asset new")


def test_closest() -> None:
    assert closest("lsit", ["new", "list", "show"]) == "list"
    assert closest("SHOW", ["new", "list", "Show"]) == "Show"
    assert closest("zzzz", ["new", "list"]) is None
    assert closest("x", []) is None


# --- value helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<@U123|cora>", UserRef("U123", "cora")),
        ("<@U123>", UserRef("U123", None)),
        ("<@W9ABC|Cora Smith>", UserRef("W9ABC", "Cora Smith")),
        ("<@U1|Tom &amp; Jerry>", UserRef("U1", "Tom & Jerry")),
        (" @cora.j ", UserRef(None, "cora.j")),
    ],
)
def test_parse_user(value: str, expected: UserRef) -> None:
    assert parse_user(value) == expected


@pytest.mark.parametrize("value", ["cora", "@", "<@u1>", "<#C1|x>", "@a b", "", "<@U1"])
def test_parse_user_refuses(value: str) -> None:
    message = validation_error(lambda: parse_user(value, field="owner"))
    assert message.startswith("`owner` should be a person, like @cora")


def test_parse_users() -> None:
    users = parse_users("<@U1|Smith, Cora>, @sam <@U2>,,<@U1|cora>", field="members")
    assert users == [UserRef("U1", "Smith, Cora"), UserRef(None, "sam"), UserRef("U2", None)]


@pytest.mark.parametrize("value", ["", " , ", "@a,b"])
def test_parse_users_refuses(value: str) -> None:
    assert "`members`" in validation_error(lambda: parse_users(value, field="members"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<#C123|production>", ChannelRef("C123", "production")),
        ("<#C123>", ChannelRef("C123", None)),
        ("<#G1|big room>", ChannelRef("G1", "big room")),
        ("#Production", ChannelRef(None, "production")),
    ],
)
def test_parse_channel(value: str, expected: ChannelRef) -> None:
    assert parse_channel(value) == expected


@pytest.mark.parametrize("value", ["production", "#", "<@U1>", "# x"])
def test_parse_channel_refuses(value: str) -> None:
    message = validation_error(lambda: parse_channel(value))
    assert message.startswith("`channel` should be a channel, like #production")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<!subteam^S123|@legal-team>", GroupRef("S123", "legal-team")),
        ("<!subteam^S123|@legal team>", GroupRef("S123", "legal team")),
        ("<!subteam^S123>", GroupRef("S123", None)),
        ("@legal-team", GroupRef(None, "legal-team")),
    ],
)
def test_parse_usergroup(value: str, expected: GroupRef) -> None:
    assert parse_usergroup(value) == expected


@pytest.mark.parametrize("value", ["legal", "<@U1>", "<!here>", "#legal"])
def test_parse_usergroup_refuses(value: str) -> None:
    message = validation_error(lambda: parse_usergroup(value, field="group"))
    assert message.startswith("`group` should be a user group, like @legal-team")


def test_parse_list() -> None:
    assert parse_list(" cd, vinyl ,,cassette ,") == ["cd", "vinyl", "cassette"]
    assert parse_list("") == []
    assert parse_list("<@U1|a, b>,x") == ["<@U1|a, b>", "x"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-05-14", date(2027, 5, 14)),
        ("2027-5-4", date(2027, 5, 4)),
        ("2028-02-29", date(2028, 2, 29)),
        ("today", FRIDAY),
        (" Tomorrow ", FRIDAY + timedelta(days=1)),
        ("+3d", FRIDAY + timedelta(days=3)),
        ("+2w", FRIDAY + timedelta(days=14)),
        ("+0d", FRIDAY),
        (f"+{MAX_DAYS_AHEAD}d", FRIDAY + timedelta(days=MAX_DAYS_AHEAD)),
        ("fri", FRIDAY + timedelta(days=7)),
        ("Friday", FRIDAY + timedelta(days=7)),
        ("sat", FRIDAY + timedelta(days=1)),
        ("THU", FRIDAY + timedelta(days=6)),
        ("tues", FRIDAY + timedelta(days=4)),
        ("monday", FRIDAY + timedelta(days=3)),
    ],
)
def test_parse_date(value: str, expected: date) -> None:
    assert parse_date(value, today=FRIDAY) == expected


def test_weekday_is_strictly_after_today() -> None:
    thursday = FRIDAY - timedelta(days=1)
    assert parse_date("fri", today=thursday) == FRIDAY
    for offset in range(7):
        today = FRIDAY + timedelta(days=offset)
        result = parse_date("wed", today=today)
        assert result.weekday() == 2
        assert 1 <= (result - today).days <= 7


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2027-02-29", "February 2027 has 28 days"),
        ("2027-02-30", "February 2027 has 28 days"),
        ("2027-04-31", "April 2027 has 30 days"),
        ("2027-13-01", "isn't a real date"),
        ("0000-01-01", "isn't a real date"),
        (f"+{MAX_DAYS_AHEAD + 1}d", "too far ahead"),
        ("+600w", "too far ahead"),
        ("next friday", "should be a date like 2027-01-10"),
        ("14/05/2027", "should be a date like 2027-01-10"),
        ("-3d", "should be a date like 2027-01-10"),
        ("", "should be a date like 2027-01-10"),
    ],
)
def test_parse_date_refuses(value: str, says: str) -> None:
    message = validation_error(lambda: parse_date(value, today=FRIDAY, field="due"))
    assert message.startswith("`due`")
    assert says in message


def test_parse_date_at_the_end_of_the_calendar() -> None:
    assert "outside the calendar" in validation_error(
        lambda: parse_date("tomorrow", today=date.max)
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("09:00", time(9, 0)), ("9:05", time(9, 5)), ("23:59", time(23, 59)), ("00:00", time(0))],
)
def test_parse_time_of_day(value: str, expected: time) -> None:
    assert parse_time_of_day(value) == expected


@pytest.mark.parametrize("value", ["24:00", "12:60", "9am", "0900", "9:5", ""])
def test_parse_time_of_day_refuses(value: str) -> None:
    message = validation_error(lambda: parse_time_of_day(value, field="at"))
    assert message.startswith("`at` should be a 24-hour time like 09:00")


@pytest.mark.parametrize(("value", "expected"), [("A-3", 3), ("a-3", 3), (" A-012 ", 12)])
def test_parse_id(value: str, expected: int) -> None:
    assert parse_id(value, prefix="A", field="asset") == expected


@pytest.mark.parametrize("value", ["A3", "B-3", "A-", "A-0", "A--3", "A-3x", "3", "A-١"])
def test_parse_id_refuses(value: str) -> None:
    message = validation_error(lambda: parse_id(value, prefix="A", field="asset"))
    assert message.startswith("`asset` should be an id like A-3")


# --- properties ----------------------------------------------------------------------------

# Realistic fragments are drawn from fixed lists (cheap to generate) and glued with random
# text and separators, including none, so fragments also run into each other.
MENTIONS = [
    head + label + end
    for head in ["<@U1", "<@", "<#C1", "<!subteam^S1", "<!here", "<https://a.b", "<mailto:x"]
    for label in ["", "|Cora Smith", "|@team name", "|a, b", '|x "y"', "|&amp;"]
    for end in [">", ""]
]
WORDS = ["new", "A-3", "SLV-014", "Don’t", '12"', "09:00", "https://x.y", "@cora", "#prod"]
WORDS += ["&amp;", "&lt;", "&gt;", "&amp;lt;", "&", "&lt", "<", ">", "é", "\u0301", "💿"]
QUOTES = ['"', "“", "”", '\\"', "\\", '""', "“”", '"a b"', "“a b”", '"a\\"b"']
CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f", "\u2028", "\ufeff", "\u00a0", "\u3000"]
KEYS = ["due", "Kind", "notes", "https", "colour", "a_b", "x"]
OPTION_VALUES = ["", "fri", "//x.y", "09:00", '"a b"', "“a b”", '"a', "<@U1|Cora Smith>", "a:b"]
OPTIONS = [f"{key}:{value}" for key in KEYS for value in OPTION_VALUES + MENTIONS[::5]]
FRAGMENTS = st.sampled_from(MENTIONS + WORDS + QUOTES + CONTROLS + OPTIONS)
PIECES = st.one_of(FRAGMENTS, st.text(max_size=5))
SEPARATORS = st.sampled_from(["", " ", "  ", "\u00a0", "\t", "\n", "\u3000", "\u200b"])
COMMAND_TEXT = st.lists(st.tuples(PIECES, SEPARATORS), max_size=10).map(
    lambda parts: "".join(piece + sep for piece, sep in parts)
)
OPTION_KEYS = st.one_of(
    st.none(), st.just(()), st.just(ASSET_NEW), st.just(frozenset({"due", "owner", "https"}))
)


def check_parse(text: str, option_keys: Collection[str] | None) -> None:
    try:
        parsed = parse(text, option_keys=option_keys, noun="/asset new")
    except UsageError as error:
        assert error.message
        return
    assert isinstance(parsed, ParsedCommand)
    if parsed.verb is None:
        assert parsed == ParsedCommand(None, (), {})
    else:
        assert parsed.verb == parsed.verb.lower()
    if option_keys is not None:
        assert set(parsed.options) <= set(option_keys)


@settings(max_examples=1200, deadline=None)
@given(st.text(), OPTION_KEYS)
def test_any_text_parses_or_is_a_usage_error(
    text: str, option_keys: Collection[str] | None
) -> None:
    check_parse(text, option_keys)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(COMMAND_TEXT, OPTION_KEYS)
def test_realistic_text_parses_or_is_a_usage_error(
    text: str, option_keys: Collection[str] | None
) -> None:
    check_parse(text, option_keys)
    check_parse("new " + text, option_keys)


VALUE_HELPERS: list[Callable[[str], object]] = [
    lambda v: parse_user(v),
    lambda v: parse_users(v, field="members"),
    lambda v: parse_channel(v),
    lambda v: parse_usergroup(v),
    lambda v: parse_list(v),
    lambda v: parse_time_of_day(v),
    lambda v: parse_id(v, prefix="A", field="asset"),
    lambda v: parse_date(v, today=FRIDAY),
    lambda v: parse_date(v, today=date.max),
    lambda v: parse_date(v, today=date.min),
]
VALUE_FRAGMENTS = ["2027-02-29", "2028-02-29", "2027-13-01", "0000-01-01", "9999-12-31"]
VALUE_FRAGMENTS += ["+3d", "+2w", "+3650d", "+99999999w", "fri", "Friday", "today", "23:59"]
VALUE_FRAGMENTS += ["24:00", "9:5", "A-3", "a-0", "A-99999999999", "A-", "@", "#", ","]
VALUES = st.one_of(
    st.text(),
    COMMAND_TEXT,
    st.lists(st.sampled_from(VALUE_FRAGMENTS) | PIECES, max_size=3).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(VALUE_HELPERS), VALUES)
def test_value_helpers_only_raise_validation_errors(
    helper: Callable[[str], object], value: str
) -> None:
    try:
        helper(value)
    except ValidationError as error:
        assert error.message


@settings(max_examples=300, deadline=None)
@given(st.dates(), st.sampled_from(["fri", "+2w", "tomorrow", "+1d", "sunday"]))
def test_relative_dates_are_in_the_future(today: date, value: str) -> None:
    try:
        result = parse_date(value, today=today)
    except ValidationError:
        assert today > date.max - timedelta(days=14)
        return
    assert 1 <= (result - today).days <= 14


def slack_escape(value: str) -> str:
    """What Slack sends for typed text with ``should_escape: true``."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


ANY_VALUE = st.text(st.characters(exclude_categories=("Cs",), exclude_characters='"“”\\'))


@settings(max_examples=600, deadline=None)
@given(ANY_VALUE, st.sampled_from(['"', "“", "”"]))
def test_quoted_values_round_trip(value: str, opener: str) -> None:
    closer = '"' if opener == '"' else "”"
    text = f"new x notes:{opener}{slack_escape(value)}{closer} y"
    parsed = parse(text, option_keys=ASSET_NEW)
    assert parsed.options == {"notes": value}
    assert parsed.positionals == ("x", "y")


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters='"“”\\&<>')))
def test_quoted_values_round_trip_unescaped(value: str) -> None:
    assert parse(f'new "{value}"').positionals == (value,)
