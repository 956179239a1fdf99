"""A release's tracklist: tracks, durations, and the two ways people write them.

The label-copy modal takes one track a line::

    A1 Night Drive (Radio Edit) 4:12 GB-ABC-27-00001 | written by J. Doe

and the CSV import takes the columns ``side,position,title,version,duration,isrc,credits``.
Both parse into tracks plus every problem found, line by line: nothing here raises on
what a person typed, so one save can list all the lines to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from bot.core.errors import ValidationError, echo
from bot.domain.identifiers import normalise_isrc
from bot.domain.text import MAX_TEXT

MAX_TRACKS = 200
MAX_LINE = 2000  # characters; a longer line is refused rather than parsed
MAX_CREDITS = 1000
MAX_DURATION_S = 10 * 3600  # longer than any release; almost certainly a typo
CSV_COLUMNS = ("side", "position", "title", "version", "duration", "isrc", "credits")
LINE_EXAMPLE = "A1 Night Drive (Radio Edit) 4:12 GBABC2700001 | written by J. Doe"

_T = TypeVar("_T")

_MMSS = "write minutes:seconds like 4:12"
_HMMSS = "write hours:minutes:seconds like 1:02:03"
_DURATION = re.compile(r"(-?)(\d+):(\d+)(?::(\d+))?", re.ASCII)
_SAFE = re.compile(r"[-0-9:.]{1,12}", re.ASCII)  # shown as typed, no code span needed
_SIDE_POSITION = re.compile(r"([A-Za-z]{1,2})(\d{1,3})", re.ASCII)
_TRACK_POSITION = re.compile(r"(\d{1,3})\.?", re.ASCII)
_DISC_POSITION = re.compile(r"(\d{1,2})[-.](\d{1,3})", re.ASCII)
# What is recognised at the end of a line. Anything duration-like or ISRC-like is taken, so
# that a mistyped one is reported rather than silently kept in the title.
_DURATION_END = re.compile(r"(?:^| )(-?\d+(?::\d+){1,2})$", re.ASCII)
_SEP = "[-‐‑–— ]?"
_ISRC_END = re.compile(
    rf"(?:^| )([A-Za-z01]{{2}}{_SEP}[A-Za-z0-9]{{3}}{_SEP}[0-9OoIiLl]{{2}}{_SEP}[0-9OoIiLl]{{3,7}})$",
    re.ASCII,
)
_ISRC_SEPARATORS = re.compile("[-‐‑–— ]")
_QUOTED = re.compile(r"[\"“”](?P<title>.+)[\"“”](?: \((?P<version>[^()]+)\))?")
_VERSIONED = re.compile(r"(?P<title>.*?) ?\((?P<version>[^()]+)\)")


@dataclass(frozen=True)
class Track:
    """One track. Vinyl tracks have a ``side`` (A1), CD tracks of a set a ``disc`` (2-1)."""

    side: str | None
    disc: int | None
    position: int
    title: str
    version: str | None = None
    duration_s: int | None = None
    isrc: str | None = None  # normalised, without hyphens
    credits: str | None = None

    def __post_init__(self) -> None:
        # Programming errors, not user input: the parsers never build such a track.
        if self.side is not None and self.disc is not None:
            raise ValueError("a track has a side or a disc, not both")
        if self.position < 1 or (self.disc is not None and self.disc < 1):
            raise ValueError(f"positions count from 1: {self!r}")

    @property
    def label(self) -> str:
        """``A1``, ``3`` or ``2-1``: how the position is printed."""
        if self.side is not None:
            return f"{self.side}{self.position}"
        if self.disc is not None:
            return f"{self.disc}-{self.position}"
        return str(self.position)

    @property
    def full_title(self) -> str:
        """``Night Drive (Radio Edit)``: the title with its version, as printed."""
        return f"{self.title} ({self.version})" if self.version else self.title


@dataclass(frozen=True)
class LineError:
    """A problem on one line (of the modal's text, or of the CSV file counting its header)."""

    line: int
    text: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line} ({quoted(self.text)}): {self.message}"


@dataclass(frozen=True)
class ParsedTracklist:
    tracks: tuple[Track, ...]
    errors: tuple[LineError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


class Position(NamedTuple):
    side: str | None
    disc: int | None
    position: int


def parse_duration(text: str) -> int:
    """``4:12`` -> 252 and ``1:02:03`` -> 3723 seconds; minutes may pass 59 (``75:00``)."""
    value = text.strip()
    shown = value if _SAFE.fullmatch(value) else echo(value)
    match = _DURATION.fullmatch(value)
    if not match:
        raise ValidationError(f"{shown} is not a duration; {_MMSS}.")
    negative, first, second, third = match.groups()
    if negative:
        raise ValidationError(f"{shown} is not a duration: it can't be negative; {_MMSS}.")
    # Bounded before int(): a thousand-digit number is no duration either.
    if any(len(part) > 6 for part in (first, second, third) if part):
        raise ValidationError(f"{shown} is longer than 10 hours; {_MMSS}.")
    if third is None:
        if len(second) == 1:
            raise ValidationError(
                f"{shown} is not a duration; write the seconds with two digits, like 4:05."
            )
        if len(second) != 2 or int(second) > 59:
            raise ValidationError(f"{shown} is not a duration; {_MMSS}.")
        seconds = int(first) * 60 + int(second)
    else:
        if len(second) != 2 or len(third) != 2 or int(second) > 59 or int(third) > 59:
            raise ValidationError(f"{shown} is not a duration; {_HMMSS}.")
        seconds = int(first) * 3600 + int(second) * 60 + int(third)
    if seconds == 0:
        raise ValidationError(f"{shown} is no time at all; leave the duration out until known.")
    if seconds > MAX_DURATION_S:
        raise ValidationError(f"{shown} is longer than 10 hours; {_MMSS}.")
    return seconds


def format_duration(seconds: int) -> str:
    """252 -> ``4:12``; an hour or more -> ``1:02:03``. ``parse_duration`` reads it back."""
    if seconds < 0:
        raise ValueError(f"a duration can't be negative: {seconds}")
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def parse_position(text: str) -> Position:
    """``A1``/``a1``/``AA2`` (side), ``3``/``03``/``3.`` (track), ``2-1``/``2.1`` (disc-track)."""
    token = text.strip()
    if match := _SIDE_POSITION.fullmatch(token):
        side, disc, number = match[1].upper(), None, int(match[2])
    elif match := _TRACK_POSITION.fullmatch(token):
        side, disc, number = None, None, int(match[1])
    elif match := _DISC_POSITION.fullmatch(token):
        side, disc, number = None, int(match[1]), int(match[2])
        if disc == 0:
            raise ValidationError(f"{token}: discs count from 1, like 1-1.")
    else:
        raise ValidationError(
            f"{echo(token, 12)} isn't a position; start the line with one like A1 (vinyl "
            "side A), 3 (track 3) or 2-1 (disc 2, track 1)."
        )
    if number == 0:
        raise ValidationError(f"{token}: positions count from 1, like A1, 1 or 1-1.")
    return Position(side, disc, number)


def quoted(text: str, limit: int = 40) -> str:
    """``“Night Drive”``: a person's text between quotes, shortened and safe to show in Slack."""
    # echo() does the escaping; we want quotes rather than its code span.
    shown = echo(text, limit)
    return "“”" if shown == "nothing" else f"“{shown[1:-1]}”"


def parse_tracklist(text: str) -> ParsedTracklist:
    """The modal's text, one track a line; blank lines are skipped, line numbers kept."""
    tracks: list[Track] = []
    errors: list[LineError] = []
    read = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if read == MAX_TRACKS:
            errors.append(_too_many(number, raw.strip()))
            break
        read += 1
        track, problems = _parse_line(raw)
        errors.extend(LineError(number, raw.strip(), problem) for problem in problems)
        if track is not None:
            tracks.append(track)
    return ParsedTracklist(tuple(tracks), tuple(errors))


def parse_csv_rows(rows: Iterable[Mapping[str, str]]) -> ParsedTracklist:
    """Rows of a CSV with a header (``csv.DictReader``); the first row is line 2 of the file.

    ``side`` is a letter for vinyl or a disc number for CD and ``position`` a number; with no
    side, ``position`` may be a whole position like ``A1`` or ``2-1``.
    """
    tracks: list[Track] = []
    errors: list[LineError] = []
    read = 0
    for index, row in enumerate(rows):
        number = index + 2  # line 1 is the header
        cells = {
            key.strip().lower(): _clean(value) if isinstance(value, str) else ""
            for key, value in row.items()
            if isinstance(key, str)
        }
        shown = ",".join(cells.get(column, "") for column in CSV_COLUMNS).rstrip(",")
        if index == 0 and (missing := [c for c in ("position", "title") if c not in cells]):
            message = (
                f"the CSV has no {' or '.join(missing)} column; its header should be "
                f"{','.join(CSV_COLUMNS)}."
            )
            return ParsedTracklist((), (LineError(1, ",".join(cells), message),))
        if not any(cells.values()):
            continue
        if read == MAX_TRACKS:
            errors.append(_too_many(number, shown))
            break
        read += 1
        track, problems = _parse_row(cells)
        errors.extend(LineError(number, shown, problem) for problem in problems)
        if track is not None:
            tracks.append(track)
    return ParsedTracklist(tuple(tracks), tuple(errors))


def _parse_line(raw: str) -> tuple[Track | None, list[str]]:
    """One line's track, or every problem found on it."""
    line = _clean(raw)
    if len(line) > MAX_LINE:
        return None, [f"the line is {len(line)} characters; keep it under {MAX_LINE}."]
    body, _, credits = line.partition("|")
    first, _, rest = body.strip().partition(" ")
    problems: list[str] = []
    position = _attempt(parse_position, first, problems)
    rest, duration_text, isrc_text = _peel_end(rest.strip())
    duration = _attempt(parse_duration, duration_text, problems) if duration_text else None
    isrc = _attempt(normalise_isrc, isrc_text, problems) if isrc_text else None
    title, version = _split_title(rest)
    if not title:
        problems.append("there is no title; write it after the position, like A1 Night Drive 4:12.")
    problems.extend(_length_problems(title, version, credits.strip()))
    if problems or position is None:
        return None, problems
    return Track(*position, title, version, duration, isrc, credits.strip() or None), []


def _parse_row(cells: Mapping[str, str]) -> tuple[Track | None, list[str]]:
    """One CSV row's track, or every problem found in it."""
    problems: list[str] = []
    position = _row_position(cells.get("side", ""), cells.get("position", ""), problems)
    title = cells.get("title", "")
    version = cells.get("version", "") or None
    if version is None:
        title, version = _split_version(title)
    if not title:
        problems.append("the title is empty.")
    duration_text, isrc_text = cells.get("duration", ""), cells.get("isrc", "")
    duration = _attempt(parse_duration, duration_text, problems) if duration_text else None
    isrc = _attempt(normalise_isrc, isrc_text, problems) if isrc_text else None
    credits = cells.get("credits", "")
    problems.extend(_length_problems(title, version, credits))
    if problems or position is None:
        return None, problems
    return Track(*position, title, version, duration, isrc, credits or None), []


def _row_position(side: str, text: str, problems: list[str]) -> Position | None:
    if not text:
        problems.append("the position is empty; write a number, like 1.")
        return None
    position = _attempt(parse_position, text, problems)
    if position is None or not side:
        return position
    if side.isascii() and side.isdigit() and len(side) <= 2 and int(side) > 0:
        wanted = Position(None, int(side), position.position)
    elif side.isascii() and side.isalpha() and len(side) <= 2:
        wanted = Position(side.upper(), None, position.position)
    else:
        problems.append(
            f"side {echo(side, 12)} isn't a side; write a letter (A, B) for vinyl or a disc "
            "number (1, 2) for CD."
        )
        return None
    # "A" with "3" makes A3; "A" with "A3" is the same thing written twice.
    if (position.side is None and position.disc is None) or position == wanted:
        return wanted
    problems.append(f"position {echo(text, 12)} isn't on side {echo(side, 12)}.")
    return None


def _peel_end(rest: str) -> tuple[str, str | None, str | None]:
    """Take a duration and an ISRC off the end, in either order: (the rest, duration, ISRC)."""
    duration: str | None = None
    isrc: str | None = None
    for _ in range(2):
        if isrc is None and (match := _isrc_at_end(rest)):
            isrc, rest = match[1], rest[: match.start(1)].rstrip()
        elif duration is None and (match := _DURATION_END.search(rest)):
            duration, rest = match[1], rest[: match.start(1)].rstrip()
        else:
            break
    return rest, duration, isrc


def _isrc_at_end(text: str) -> re.Match[str] | None:
    """An ISRC, maybe mistyped, ending ``text``; not a word that happens to fit the shape."""
    match = _ISRC_END.search(text)
    if not match:
        return None
    code = _ISRC_SEPARATORS.sub("", match[1])
    # "Breakthrough" is twelve letters, not an ISRC: the year and number need real digits.
    real_digits = sum(c.isdigit() for c in code[5:])
    return match if real_digits >= 2 and any(c.isalpha() for c in code[:2]) else None


def _split_title(text: str) -> tuple[str, str | None]:
    """``"Romans 8:28" (Live)`` keeps what is quoted as the title; else a trailing
    ``(…)`` is the version."""
    if match := _QUOTED.fullmatch(text):
        title = match["title"].strip()
        version = (match["version"] or "").strip() or None
        return title, version
    return _split_version(text)


def _split_version(text: str) -> tuple[str, str | None]:
    match = _VERSIONED.fullmatch(text)
    # "(Untitled)" alone is a title, and "Song ( )" has no version to speak of.
    if not match or not match["title"].strip() or not match["version"].strip():
        return text.strip(), None
    return match["title"].strip(), match["version"].strip()


def _length_problems(title: str, version: str | None, credits: str) -> list[str]:
    problems = []
    if len(title) > MAX_TEXT:
        problems.append(f"the title is {len(title)} characters; keep it to {MAX_TEXT}.")
    if version and len(version) > MAX_TEXT:
        problems.append(f"the version is {len(version)} characters; keep it to {MAX_TEXT}.")
    if len(credits) > MAX_CREDITS:
        problems.append(f"the credits are {len(credits)} characters; keep them to {MAX_CREDITS}.")
    return problems


def _attempt(parse: Callable[[str], _T], text: str, problems: list[str]) -> _T | None:
    """``parse(text)``, or None with its message added to ``problems``."""
    try:
        return parse(text)
    except ValidationError as exc:
        problems.append(exc.message)
        return None


def _too_many(number: int, text: str) -> LineError:
    return LineError(
        number, text, f"a tracklist holds {MAX_TRACKS} tracks at most; the rest was not read."
    )


def _clean(text: str) -> str:
    """One line of single spaces: control characters and runs of whitespace become a space."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())
