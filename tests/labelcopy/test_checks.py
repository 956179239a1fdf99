"""The checks on save: failures refuse it, warnings let it through, figures are shown."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.labelcopy.checks import CheckReport, check_tracklist
from bot.labelcopy.tracklist import Track, parse_tracklist

from .strategies import TRACKS


def tracks(text: str) -> tuple[Track, ...]:
    parsed = parse_tracklist(text)
    assert parsed.errors == ()
    return parsed.tracks


def check(text: str, *formats: str, catalogue: dict[str, str] | None = None) -> CheckReport:
    return check_tracklist(tracks(text), formats=formats, catalogue_isrcs=catalogue or {})


def side(letter: str, *durations: str) -> str:
    return "\n".join(f"{letter}{n} Track {letter}{n} {d}" for n, d in enumerate(durations, 1))


def test_a_clean_lp_has_only_figures() -> None:
    report = check(side("A", "10:00", "7:42") + "\n" + side("B", "17:05"), "vinyl", "digital")
    assert report == CheckReport(figures=("side A 17:42", "side B 17:05"))
    assert report.ok


def test_an_empty_tracklist_has_nothing_to_say() -> None:
    assert check_tracklist((), formats=["vinyl"]) == CheckReport()


# ISRCs


def test_a_duplicate_isrc_fails_naming_both_lines() -> None:
    report = check("A1 Night Drive GBABC2700001\nA2 Day Drive GB-ABC-27-00001", "vinyl")
    assert report.failures == (
        "GBABC2700001 is on both A1 “Night Drive” and A2 “Day Drive”; each recording has its "
        "own ISRC.",
    )
    assert not report.ok


def test_an_isrc_used_elsewhere_under_another_title_warns() -> None:
    catalogue = {"GB-ABC-27-00001": "Night Drive", "GBABC2700002": "day drive"}
    report = check(
        "A1 Nite Drive GBABC2700001\nA2 Day  Drive GBABC2700002", "vinyl", catalogue=catalogue
    )
    assert report.ok
    assert report.warnings == (
        "A1 “Nite Drive”: GBABC2700001 is “Night Drive” on another release.",
        "No track has a duration yet, so lengths can't be checked.",
    )


def test_the_catalogue_title_may_include_the_version() -> None:
    catalogue = {"GBABC2700001": "Night Drive (Radio Edit)"}
    report = check("A1 Night Drive (Radio Edit) 3:00 GBABC2700001", "vinyl", catalogue=catalogue)
    assert report.warnings == ()
    # A radio edit is another recording: it should not share the album version's code.
    report = check("A1 Night Drive 3:00 GBABC2700001", "vinyl", catalogue=catalogue)
    assert report.warnings == (
        "A1 “Night Drive”: GBABC2700001 is “Night Drive (Radio Edit)” on another release.",
    )


def test_a_malformed_isrc_from_elsewhere_fails() -> None:
    track = Track("A", None, 1, "Song", isrc="GBABC27OOOO1", duration_s=60)
    report = check_tracklist([track], formats=["vinyl"])
    assert report.failures == (
        "A1 “Song”: `GBABC27OOOO1` isn't an ISRC: the year and number are digits: did you mean "
        "0 for O (GB-ABC-27-00001)?",
    )


# Positions


def test_a_gap_fails_naming_the_line_after_it() -> None:
    report = check("A1 One 1:00\nA2 Two 1:00\nA4 Four 1:00\nA7 Seven 1:00", "vinyl")
    assert report.failures == (
        "A4 “Four” follows A2: A3 is missing.",
        "A7 “Seven” follows A4: A5–A6 are missing.",
    )


def test_a_repeat_fails_naming_both_titles() -> None:
    report = check("1 One 1:00\n2 Two 1:00\n2 Deux 1:00\n3 Three 1:00", "cd")
    assert report.failures == ("Track 2 is on 2 lines: “Two” and “Deux”.",)


def test_each_side_and_disc_counts_from_1() -> None:
    report = check("A1 One 1:00\nB2 Two 1:00", "vinyl")
    assert report.failures == ("B2 “Two” is the first of side B; number from B1.",)
    report = check("1-1 One 1:00\n2-2 Two 1:00", "cd")
    assert report.failures == ("2-2 “Two” is the first of disc 2; number from 2-1.",)
    report = check("2 One 1:00", "cd")
    assert report.failures == ("Track 2 “One” is the first of the tracklist; number from 1.",)


def test_out_of_order_lines_warn_but_save() -> None:
    report = check("A2 Two 1:00\nA1 One 1:00", "vinyl")
    assert report.ok
    assert report.warnings == ("A1 “One” comes after A2; the tracklist keeps the order written.",)


def test_a_missing_side_or_disc_warns() -> None:
    assert "There is no side B (sides A, C)." in check("A1 a 1:00\nC1 c 1:00", "vinyl").warnings
    assert "There is no disc 1 (discs 2)." in check("2-1 a 1:00", "cd").warnings


# Playing time


def test_lp_sides_warn_after_18_minutes_and_fail_after_22() -> None:
    assert check(side("A", "18:00"), "vinyl") == CheckReport(figures=("side A 18:00",))
    warned = check(side("A", "10:00", "8:01"), "vinyl")
    assert warned.ok
    assert warned.warnings == (
        'Side A is 18:01: past 18:00 a 12" side at 33⅓ is cut quieter; check with the cutting '
        "engineer.",
    )
    assert check(side("A", "22:00"), "vinyl").ok
    failed = check(side("A", "22:01") + "\n" + side("B", "4:00"), "vinyl")
    assert failed.failures == (
        'Side A is 22:01: more than the 22:00 a 12" side at 33⅓ holds; move a track to another '
        "side.",
    )
    assert failed.figures == ("side A 22:01", "side B 4:00")


def test_any_vinyl_format_but_the_7_inch_is_an_lp() -> None:
    assert not check(side("A", "22:01"), "vinyl_2lp").ok


def test_7_inch_sides_fail_after_5_30() -> None:
    assert check(side("A", "5:30") + "\n" + side("B", "2:00", "3:30"), "vinyl7").ok
    report = check(side("A", "5:31"), "vinyl7")
    assert report.failures == ('Side A is 5:31: more than the 5:30 a 7" side at 45 holds.',)


def test_an_lp_with_a_7_inch_checks_the_lp_limits_and_says_so() -> None:
    report = check(side("A", "17:00"), "vinyl", "vinyl7")
    assert report.ok
    assert report.warnings == (
        'Vinyl and vinyl7 share this tracklist: sides are checked against the 12" limits.',
    )


def test_a_cd_holds_79_57() -> None:
    assert check("1 a 40:00\n2 b 39:57", "cd") == CheckReport(figures=("CD 79:57 of 79:57",))
    report = check("1 a 40:00\n2 b 39:58", "digipak")
    assert report.failures == (
        "CD is 79:58: more than the 79:57 a CD holds; move a track or make it two discs.",
    )


def test_each_disc_of_a_set_is_checked_on_its_own() -> None:
    report = check("1-1 a 71:30\n2-1 b 79:00\n2-2 c 0:58", "cd")
    assert report.figures == ("CD 1 71:30 of 79:57", "CD 2 79:58 of 79:57")
    assert report.failures == (
        "CD 2 is 79:58: more than the 79:57 a CD holds; move a track or make it two discs.",
    )


def test_a_cd_and_lp_release_has_both_figures_from_one_tracklist() -> None:
    report = check(side("A", "19:42") + "\n" + side("B", "17:05"), "cd", "vinyl")
    assert report.figures == ("side A 19:42", "side B 17:05", "CD 36:47 of 79:57")
    assert report.failures == ()


def test_digital_only_gets_a_total() -> None:
    report = check("1 a 30:00\n2 b 42:10", "digital")
    assert report == CheckReport(figures=("total 72:10",))


def test_tracks_without_duration_are_left_out_of_the_figures_with_a_warning() -> None:
    report = check("A1 a 10:00\nA2 b\nB1 c 4:00\nB2 d\nB3 e", "vinyl", "cd")
    assert report.figures == (
        "side A 10:00 without A2",
        "side B 4:00 without B2, B3",
        "CD 14:00 of 79:57 without A2, B2, B3",
    )
    assert report.warnings == ("No duration for A2, B2, B3: the lengths shown leave them out.",)


# Numbering and format


def test_side_numbering_on_a_cd_only_release_warns() -> None:
    report = check("A1 a 1:00\nA2 b 1:00", "cd", "digital")
    assert report.warnings == (
        "Side-based numbering on a CD (A1, A2); number the tracks 1, 2, 3, or 1-1, 2-1 across "
        "discs.",
    )
    assert check("A1 a 1:00\nA2 b 1:00", "cd", "vinyl").warnings == ()


def test_track_numbers_on_a_vinyl_only_release_warn() -> None:
    report = check("1 a 1:00\n2 b 1:00", "vinyl")
    assert report.warnings == (
        "Track numbers on vinyl (tracks 1, 2); vinyl labels name sides: A1, A2, B1…",
    )
    assert check("1 a 1:00\n2 b 1:00", "vinyl", "cd").warnings == ()


def test_mixed_numbering_warns() -> None:
    report = check("A1 a 1:00\n1 b 1:00", "digital")
    assert "The tracklist mixes numberings (side A1, track 1); use one." in report.warnings


def test_titles_in_messages_are_safe_for_slack() -> None:
    report = check("A1 <!channel> 1:00\nA1 <@U123> 1:00", "vinyl")
    [failure] = report.failures
    assert "<" not in failure and "&lt;!channel&gt;" in failure


@settings(max_examples=200, deadline=None)
@given(
    st.lists(TRACKS, max_size=30),
    st.lists(st.sampled_from(["cd", "digipak", "vinyl", "vinyl7", "cassette", "digital"])),
)
def test_any_tracks_on_any_formats_give_a_report(
    track_list: list[Track], formats: list[str]
) -> None:
    report = check_tracklist(track_list, formats=formats)
    assert report.ok == (not report.failures)
    if track_list:
        assert report.figures
    total = sum(t.duration_s or 0 for t in track_list)
    only_digital = set(formats) == {"digital"}
    if track_list and only_digital and all(t.side is None for t in track_list):
        # One figure, the sum of the durations there are.
        [figure] = report.figures
        timed = any(t.duration_s for t in track_list)
        expected = f"total {total // 60}:{total % 60:02d}" if timed else "total: no durations"
        assert figure.startswith(expected)
