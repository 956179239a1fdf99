"""The tracklist as people type it: one track a line in the modal, or CSV rows."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import ValidationError
from bot.domain.identifiers import format_isrc
from bot.labelcopy.tracklist import (
    MAX_DURATION_S,
    MAX_TRACKS,
    Position,
    Track,
    format_duration,
    parse_csv_rows,
    parse_duration,
    parse_position,
    parse_tracklist,
)

from .strategies import TITLES, TRACKS


def only_track(line: str) -> Track:
    parsed = parse_tracklist(line)
    assert parsed.errors == ()
    assert len(parsed.tracks) == 1
    return parsed.tracks[0]


def messages(text: str) -> list[str]:
    return [str(error) for error in parse_tracklist(text).errors]


# Durations


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("4:12", 252), ("0:59", 59), ("04:12", 252), ("75:00", 4500), ("1:02:03", 3723)],
)
def test_durations_are_read_as_seconds(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("4:75", "4:75 is not a duration; write minutes:seconds like 4:12."),
        ("4:5", "4:5 is not a duration; write the seconds with two digits, like 4:05."),
        ("4:123", "4:123 is not a duration; write minutes:seconds like 4:12."),
        ("-4:12", "-4:12 is not a duration: it can't be negative;"),
        ("0:00", "0:00 is no time at all; leave the duration out until known."),
        ("1:75:00", "1:75:00 is not a duration; write hours:minutes:seconds like 1:02:03."),
        ("10:00:01", "10:00:01 is longer than 10 hours;"),
        ("9" * 5000 + ":00", "is longer than 10 hours;"),
        ("4.12", "4.12 is not a duration; write minutes:seconds like 4:12."),
        ("four", "`four` is not a duration;"),
        ("<!here>", "`&lt;!here&gt;` is not a duration;"),
    ],
)
def test_bad_durations_say_how_to_write_one(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_duration(text)
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("seconds", "text"), [(1, "0:01"), (252, "4:12"), (3599, "59:59"), (3723, "1:02:03")]
)
def test_durations_are_formatted_as_minutes_or_hours(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


def test_a_negative_duration_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        format_duration(-1)


@given(st.integers(min_value=1, max_value=MAX_DURATION_S))
def test_any_duration_round_trips_through_format_and_parse(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@given(st.integers(0, 59), st.integers(0, 59))
def test_minutes_seconds_text_round_trips(minutes: int, seconds: int) -> None:
    text = f"{minutes}:{seconds:02d}"
    if minutes == seconds == 0:
        return
    assert format_duration(parse_duration(text)) == text


@given(st.integers(1, 9), st.integers(0, 59), st.integers(0, 59))
def test_hours_minutes_seconds_text_round_trips(hours: int, minutes: int, seconds: int) -> None:
    text = f"{hours}:{minutes:02d}:{seconds:02d}"
    assert format_duration(parse_duration(text)) == text


# Positions


@pytest.mark.parametrize(
    ("text", "position", "label"),
    [
        ("A1", Position("A", None, 1), "A1"),
        ("a1", Position("A", None, 1), "A1"),
        ("B12", Position("B", None, 12), "B12"),
        ("AA1", Position("AA", None, 1), "AA1"),
        ("A01", Position("A", None, 1), "A1"),
        ("1", Position(None, None, 1), "1"),
        ("01", Position(None, None, 1), "1"),
        ("1.", Position(None, None, 1), "1"),
        ("1-3", Position(None, 1, 3), "1-3"),
        ("2.1", Position(None, 2, 1), "2-1"),
    ],
)
def test_positions(text: str, position: Position, label: str) -> None:
    assert parse_position(text) == position
    assert Track(*position, "x").label == label


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("X", "`X` isn't a position; start the line with one like A1"),
        ("ABC1", "isn't a position"),
        ("1)", "isn't a position"),
        ("A0", "A0: positions count from 1"),
        ("0", "positions count from 1"),
        ("0-1", "0-1: discs count from 1"),
        ("1-0", "positions count from 1"),
    ],
)
def test_bad_positions(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        parse_position(text)


def test_a_track_cannot_have_a_side_and_a_disc() -> None:
    with pytest.raises(ValueError):
        Track("A", 1, 1, "x")


# Lines


def test_the_modal_line_of_the_design() -> None:
    track = only_track("A1 Night Drive 4:12 GBABC2700001")
    assert track == Track("A", None, 1, "Night Drive", None, 252, "GBABC2700001", None)


def test_a_full_line_with_version_hyphenated_isrc_and_credits() -> None:
    track = only_track("b2 Night Drive (Radio Edit) 3:01 GB-ABC-27-00002 | w. J. Doe, p. X")
    assert track == Track(
        "B", None, 2, "Night Drive", "Radio Edit", 181, "GBABC2700002", "w. J. Doe, p. X"
    )
    assert track.full_title == "Night Drive (Radio Edit)"


@pytest.mark.parametrize(
    ("line", "title", "version", "duration", "isrc"),
    [
        ("1 Song", "Song", None, None, None),
        ("1 Song 4:12", "Song", None, 252, None),
        ("1 Song GB ABC 27 00001", "Song", None, None, "GBABC2700001"),
        ("1 Song GBABC2700001 4:12", "Song", None, 252, "GBABC2700001"),
        ("1 Song (feat. X) (Live) 4:12", "Song (feat. X)", "Live", 252, None),
        ("1 (Untitled) 4:12", "(Untitled)", None, 252, None),
        ('1 "Romans 8:28" 4:12', "Romans 8:28", None, 252, None),
        ("1 “Romans 8:28” (Live)", "Romans 8:28", "Live", None, None),
        ('1 ""Heroes"" 6:07', '"Heroes"', None, 367, None),
        ("1 Breakthrough", "Breakthrough", None, None, None),
        ("1 Symphony2000", "Symphony2000", None, None, None),
        ("1 Song\tTitle   4:12", "Song Title", None, 252, None),
    ],
)
def test_what_is_recognised_at_the_end_of_a_line(
    line: str, title: str, version: str | None, duration: int | None, isrc: str | None
) -> None:
    track = only_track(line)
    assert (track.title, track.version, track.duration_s, track.isrc) == (
        title,
        version,
        duration,
        isrc,
    )


def test_the_error_message_of_the_design() -> None:
    text = "A1 Night Drive 4:12\nA2 Day 3:00\nB1 Nite Drive 4:75\n"
    assert messages(text) == [
        "line 3 (“B1 Nite Drive 4:75”): 4:75 is not a duration; write minutes:seconds like 4:12."
    ]


def test_blank_lines_are_skipped_but_counted() -> None:
    parsed = parse_tracklist("\nA1 One\n\n   \nA2 Two\nA3\n")
    assert [t.label for t in parsed.tracks] == ["A1", "A2"]
    assert [e.line for e in parsed.errors] == [6]


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("B1 Nite Drive 4:5", "4:5 is not a duration; write the seconds with two digits"),
        ("A1 Song GBABC27OOOO1", "did you mean 0 for O (GB-ABC-27-00001)?"),
        ("A1 Song GB-ABC-27-0000I", "did you mean 1 for I (GB-ABC-27-00001)?"),
        ("A1 Song GBABC270001", "`GBABC270001` isn't an ISRC: it has 11 characters, not 12"),
        ("A1 4:12", "there is no title; write it after the position, like A1 Night Drive 4:12."),
        ("Night Drive 4:12", "`Night` isn't a position; start the line with one like A1"),
        ("A0 Song", "A0: positions count from 1"),
        ("| credits only", "nothing isn't a position"),
        ("A1 " + "x" * 201, "the title is 201 characters; keep it to 200."),
        ("A1 Song (" + "v" * 201 + ")", "the version is 201 characters; keep it to 200."),
        ("A1 Song | " + "c" * 1001, "the credits are 1001 characters; keep them to 1000."),
        ("A1 " + "x " * 1001, "the line is 2004 characters; keep it under 2000."),
    ],
)
def test_line_errors_say_what_to_fix(line: str, fragment: str) -> None:
    parsed = parse_tracklist(line)
    assert parsed.tracks == ()
    assert any(fragment in error.message for error in parsed.errors), parsed.errors
    assert str(parsed.errors[0]).startswith("line 1 (“")


def test_every_problem_on_a_line_is_reported() -> None:
    parsed = parse_tracklist("Q Song 4:75 GBABC27OOOO1")
    assert [e.line for e in parsed.errors] == [1, 1, 1]
    assert "isn't a position" in parsed.errors[0].message
    assert "4:75" in parsed.errors[1].message
    assert "0 for O" in parsed.errors[2].message


def test_the_quoted_line_is_shortened_and_safe_for_slack() -> None:
    [error] = parse_tracklist("<!channel> " + "x" * 80).errors
    shown = str(error)
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown
    assert "…”)" in shown


def test_at_most_200_tracks_are_read() -> None:
    text = "\n".join(f"{n} Track {n}" for n in range(1, MAX_TRACKS + 6))
    parsed = parse_tracklist(text)
    assert len(parsed.tracks) == MAX_TRACKS
    [error] = parsed.errors
    assert error.line == MAX_TRACKS + 1
    assert "a tracklist holds 200 tracks at most" in error.message


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 12), st.integers(0, 12), st.lists(TITLES, min_size=24, max_size=24))
def test_sides_a_and_b_parse_back_to_their_positions(a: int, b: int, titles: list[str]) -> None:
    labels = [f"A{n}" for n in range(1, a + 1)] + [f"B{n}" for n in range(1, b + 1)]
    text = "\n".join(f"{label} {title}" for label, title in zip(labels, titles, strict=False))
    parsed = parse_tracklist(text)
    assert parsed.errors == ()
    assert [t.label for t in parsed.tracks] == labels


def written(track: Track) -> str:
    """The line a coordinator would type for ``track``."""
    line = f"{track.label} {track.full_title}"
    if track.duration_s is not None:
        line += f" {format_duration(track.duration_s)}"
    if track.isrc is not None:
        line += f" {format_isrc(track.isrc)}"
    return line + (f" | {track.credits}" if track.credits else "")


@settings(max_examples=300, deadline=None)
@given(TRACKS)
def test_a_written_track_parses_back_to_itself(track: Track) -> None:
    assert only_track(written(track)) == track


LINEISH = st.lists(
    st.one_of(
        st.text(max_size=60),
        st.from_regex(r"\A[A-Ba-b0-9.-]{1,4} [A-Za-z ()\"“”|:0-9-]{0,40}\Z"),
    ),
    max_size=8,
).map("\n".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), LINEISH))
def test_arbitrary_text_gives_tracks_and_errors_never_an_exception(text: str) -> None:
    parsed = parse_tracklist(text)
    lines = len(text.splitlines())
    assert all(1 <= error.line <= lines and error.message for error in parsed.errors)
    assert len(parsed.tracks) <= MAX_TRACKS
    for track in parsed.tracks:
        assert track.title and len(track.title) <= 200


# CSV


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_rows_for_vinyl_and_cd() -> None:
    parsed = parse_csv_rows(
        csv_rows(
            "side,position,title,version,duration,isrc,credits\n"
            "A,1,Night Drive,,4:12,GB-ABC-27-00001,w. J. Doe\n"
            "a,2,Night Drive (Radio Edit),,3:01,,\n"
            "2,1,Disc Two,Live,,gbabc2700003,\n"
            ",B1,Side B,,,,\n"
            ",,,,,,\n"
            ",1-2,Disc One Two,,,,\n"
        )
    )
    assert parsed.errors == ()
    assert parsed.tracks == (
        Track("A", None, 1, "Night Drive", None, 252, "GBABC2700001", "w. J. Doe"),
        Track("A", None, 2, "Night Drive", "Radio Edit", 181, None, None),
        Track(None, 2, 1, "Disc Two", "Live", None, "GBABC2700003", None),
        Track("B", None, 1, "Side B"),
        Track(None, 1, 2, "Disc One Two"),
    )


def test_csv_errors_name_the_file_line_counting_the_header() -> None:
    parsed = parse_csv_rows(
        csv_rows(
            "Side,Position,Title,Duration,ISRC\n"
            "A,1,Fine,4:12,\n"
            "A,2,Bad time,4:75,\n"
            "?,3,Bad side,,\n"
            "A,B3,Wrong side,,\n"
            "A,,No position,,\n"
            "A,6,,,GBABC27OOOO1\n"
        )
    )
    assert [t.label for t in parsed.tracks] == ["A1"]
    assert [(e.line, e.message.split(";")[0]) for e in parsed.errors] == [
        (3, "4:75 is not a duration"),
        (4, "side `?` isn't a side"),
        (5, "position `B3` isn't on side `A`."),
        (6, "the position is empty"),
        (7, "the title is empty."),
        (
            7,
            "`GBABC27OOOO1` isn't an ISRC: the year and number are digits: did you mean 0 for O (GB-ABC-27-00001)?",
        ),
    ]
    assert str(parsed.errors[0]) == (
        "line 3 (“A,2,Bad time,,4:75”): 4:75 is not a duration; write minutes:seconds like 4:12."
    )


def test_a_csv_without_the_needed_columns_says_which() -> None:
    parsed = parse_csv_rows(csv_rows("track,name\n1,Song\n"))
    [error] = parsed.errors
    assert error.line == 1
    assert error.message.startswith("the CSV has no position or title column")


def test_ragged_csv_rows_do_not_break_the_import() -> None:
    # DictReader fills missing cells with None and puts extra ones in a list under None.
    parsed = parse_csv_rows(csv_rows("side,position,title\nA,1\nA,2,Two,extra,more\n"))
    assert [t.label for t in parsed.tracks] == ["A2"]
    assert [e.line for e in parsed.errors] == [2]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["side", "position", "title", "duration", "isrc", "x"]),
            st.text(max_size=20),
        ),
        max_size=6,
    )
)
def test_arbitrary_csv_rows_never_raise(rows: list[dict[str, str]]) -> None:
    parsed = parse_csv_rows(rows)
    assert len(parsed.tracks) + len({e.line for e in parsed.errors}) <= len(rows) + 1
