"""When a digest is due: local wall-clock time, DST, weekdays, and the option parsers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.errors import ValidationError
from bot.digests.service import due_instant, is_due, parse_days, parse_timezone

LONDON = "Europe/London"
NINE = time(9, 0)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_0900_london_is_0900_utc_before_the_march_change_and_0800_after() -> None:
    assert due_instant(NINE, LONDON, date(2027, 3, 27)) == utc(2027, 3, 27, 9, 0)
    assert due_instant(NINE, LONDON, date(2027, 3, 29)) == utc(2027, 3, 29, 8, 0)
    assert is_due(NINE, LONDON, "daily", utc(2027, 3, 27, 8, 59)) is None
    assert is_due(NINE, LONDON, "daily", utc(2027, 3, 27, 9, 0)) == date(2027, 3, 27)
    assert is_due(NINE, LONDON, "daily", utc(2027, 3, 29, 7, 59)) is None
    assert is_due(NINE, LONDON, "daily", utc(2027, 3, 29, 8, 0)) == date(2027, 3, 29)


def test_a_time_lost_to_the_spring_change_fires_at_the_first_minute_after_it() -> None:
    # 01:30 does not exist in London on 28 March 2027: clocks go from 01:00 to 02:00.
    assert due_instant(time(1, 30), LONDON, date(2027, 3, 28)) == utc(2027, 3, 28, 1, 0)
    assert is_due(time(1, 30), LONDON, "daily", utc(2027, 3, 28, 0, 59)) is None
    assert is_due(time(1, 30), LONDON, "daily", utc(2027, 3, 28, 1, 0)) == date(2027, 3, 28)


def test_a_time_that_happens_twice_in_autumn_falls_due_at_the_first() -> None:
    assert due_instant(time(1, 30), LONDON, date(2027, 10, 31)) == utc(2027, 10, 31, 0, 30)


def test_weekdays_skip_saturday_and_sunday() -> None:
    saturday, sunday, monday = utc(2027, 3, 27, 12), utc(2027, 3, 28, 12), utc(2027, 3, 29, 12)
    assert is_due(NINE, LONDON, "weekdays", saturday) is None
    assert is_due(NINE, LONDON, "weekdays", sunday) is None
    assert is_due(NINE, LONDON, "weekdays", monday) == date(2027, 3, 29)
    assert is_due(NINE, LONDON, "daily", sunday) == date(2027, 3, 28)


def test_the_local_date_is_the_schedules_own() -> None:
    # 23:30 UTC on the 26th is already the 27th in Tokyo.
    assert is_due(NINE, "Asia/Tokyo", "daily", utc(2026, 11, 26, 23, 30)) is None
    assert is_due(time(8, 0), "Asia/Tokyo", "daily", utc(2026, 11, 26, 23, 30)) == date(
        2026, 11, 27
    )


@given(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)),
    st.sampled_from([LONDON, "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]),
    st.builds(time, st.integers(0, 23), st.integers(0, 59)),
)
def test_a_digest_falls_due_at_its_instant_and_stays_due_all_day(
    day: date, tz: str, at: time
) -> None:
    instant = due_instant(at, tz, day)
    assert is_due(at, tz, "daily", instant) == day
    before = instant - timedelta(minutes=1)
    assert is_due(at, tz, "daily", before) in (None, day - timedelta(days=1))
    end_of_day = datetime.combine(day, time(23, 59), tzinfo=ZoneInfo(tz))
    assert is_due(at, tz, "daily", end_of_day) == day


@pytest.mark.parametrize(
    "text", ["Mars/Base", "", "../etc/passwd", "Europe/", "A" * 300, "posixrules", "zone.tab"]
)
def test_unknown_time_zones_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="IANA time zone"):
        parse_timezone(text)


def test_zone_names_are_matched_whatever_their_case() -> None:
    assert parse_timezone(" europe/london ") == LONDON


def test_days_are_weekdays_or_daily() -> None:
    assert parse_days("Weekdays") == "weekdays"
    with pytest.raises(ValidationError, match="weekdays or daily"):
        parse_days("weekends")
