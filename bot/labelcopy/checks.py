"""The checks run when a tracklist is saved: ISRCs, positions and playing time.

A failure refuses the save, a warning lets it through; both name the track. Figures (side
lengths, CD totals) are the numbers the reply shows either way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from types import MappingProxyType

from bot.core.errors import ValidationError
from bot.domain.identifiers import normalise_isrc
from bot.labelcopy.tracklist import Track, quoted

# A 12" at 33⅓ cuts well to about 18 minutes a side; past that it is cut quieter, and
# past about 22 minutes plants refuse it. A 7" at 45 holds about 5½ minutes a side.
LP_WARN_S = 18 * 60
LP_MAX_S = 22 * 60
SEVEN_MAX_S = 5 * 60 + 30
CD_MAX_S = 79 * 60 + 57  # Red Book
CD_FORMATS = frozenset({"cd", "digipak"})
SEVEN_INCH = "vinyl7"
LISTED = 5  # track labels named in one message; the rest are counted

_NO_CATALOGUE: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class CheckReport:
    failures: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the tracklist may be saved (warnings allowed)."""
        return not self.failures


@dataclass(frozen=True)
class _Media:
    lp: bool  # a 12" at 33⅓: any vinyl format but the 7"
    seven: bool
    cd: bool
    cassette: bool

    @classmethod
    def of(cls, formats: Sequence[str]) -> _Media:
        keys = {f.strip().lower() for f in formats}
        return cls(
            lp=any("vinyl" in key and key != SEVEN_INCH for key in keys),
            seven=SEVEN_INCH in keys,
            cd=bool(keys & CD_FORMATS),
            cassette="cassette" in keys,
        )


@dataclass
class _Report:
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)


def check_tracklist(
    tracks: Sequence[Track],
    *,
    formats: Sequence[str],
    catalogue_isrcs: Mapping[str, str] = _NO_CATALOGUE,
) -> CheckReport:
    """Everything wrong or worth knowing about ``tracks`` on a release of ``formats``.

    ``catalogue_isrcs`` maps the ISRCs of the label's other releases to their titles.
    """
    report = _Report()
    if not tracks:
        return CheckReport()
    media = _Media.of(formats)
    _check_isrcs(tracks, catalogue_isrcs, report)
    _check_positions(tracks, report)
    _check_numbering(tracks, media, report)
    _check_sides(tracks, media, report)
    if media.cd:
        _check_discs(tracks, report)
    if not report.figures:
        report.figures.append(_figure("total", tracks))
    _note_missing_durations(tracks, report)
    return CheckReport(
        tuple(map(_sentence, report.failures)),
        tuple(map(_sentence, report.warnings)),
        tuple(report.figures),
    )


def _check_isrcs(tracks: Sequence[Track], catalogue: Mapping[str, str], report: _Report) -> None:
    # The caller's keys may be written any way; compare the bare codes.
    known = {_bare(code): title for code, title in catalogue.items()}
    first_with: dict[str, Track] = {}
    for track in tracks:
        if not track.isrc:
            continue
        try:
            code = normalise_isrc(track.isrc)
        except ValidationError as exc:
            report.failures.append(f"{_name(track)}: {exc.message}")
            continue
        if code in first_with:
            report.failures.append(
                f"{code} is on both {_name(first_with[code])} and {_name(track)}; "
                "each recording has its own ISRC."
            )
            continue
        first_with[code] = track
        other = known.get(code)
        if other is not None and _same_title(other) not in {
            _same_title(track.title),
            _same_title(track.full_title),
        }:
            report.warnings.append(f"{_name(track)}: {code} is {quoted(other)} on another release.")


def _check_positions(tracks: Sequence[Track], report: _Report) -> None:
    """Each side, disc or plain list numbered 1, 2, 3…: no gap, no repeat."""
    groups: dict[tuple[str, str], list[Track]] = defaultdict(list)
    for track in tracks:
        groups[_group(track)].append(track)
    for members in groups.values():
        counts = Counter(track.position for track in members)
        for position, count in counts.items():
            if count > 1:
                same = [t for t in members if t.position == position]
                titles = " and ".join(quoted(t.full_title) for t in same[:LISTED])
                report.failures.append(f"{_ref(same[0])} is on {count} lines: {titles}.")
        ordered = sorted({t.position: t for t in reversed(members)}.values(), key=_position)
        if ordered[0].position != 1:
            first = ordered[0]
            report.failures.append(
                f"{_name(first)} is the first of {_group_name(first)}; "
                f"number from {_label_at(first, 1)}."
            )
        for before, after in pairwise(ordered):
            if after.position - before.position > 1:
                report.failures.append(
                    f"{_name(after)} follows {_ref(before)}: {_missing(before, after)}."
                )
    _check_order(tracks, report)
    _check_sequence_of_groups(tracks, report)


def _check_order(tracks: Sequence[Track], report: _Report) -> None:
    # Out of order is legal (the copy keeps the order written) but usually a slip.
    for before, after in pairwise(tracks):
        if _kind(before) == _kind(after) and _sort_key(after) < _sort_key(before):
            report.warnings.append(
                f"{_name(after)} comes after {_ref(before)}; the tracklist keeps the order written."
            )
            return


def _check_sequence_of_groups(tracks: Sequence[Track], report: _Report) -> None:
    """Sides A, B, C… and discs 1, 2, 3… with none left out."""
    sides = {t.side for t in tracks if t.side is not None and len(t.side) == 1}
    if sides:
        wanted = {chr(c) for c in range(ord("A"), ord(max(sides)) + 1)}
        for side in sorted(wanted - sides):
            report.warnings.append(f"There is no side {side} (sides {', '.join(sorted(sides))}).")
    discs = {t.disc for t in tracks if t.disc is not None}
    if discs:
        for disc in sorted(set(range(1, max(discs) + 1)) - discs):
            shown = ", ".join(str(d) for d in sorted(discs))
            report.warnings.append(f"There is no disc {disc} (discs {shown}).")


def _check_numbering(tracks: Sequence[Track], media: _Media, report: _Report) -> None:
    kinds = {_kind(track) for track in tracks}
    if len(kinds) > 1:
        shown = ", ".join(_KIND_EXAMPLES[kind] for kind in sorted(kinds))
        report.warnings.append(f"The tracklist mixes numberings ({shown}); use one.")
    sided = [t for t in tracks if t.side is not None]
    numbered = [t for t in tracks if t.side is None]
    if sided and media.cd and not (media.lp or media.seven or media.cassette):
        report.warnings.append(
            f"Side-based numbering on a CD ({_labels(sided)}); number the tracks 1, 2, 3, "
            "or 1-1, 2-1 across discs."
        )
    if numbered and (media.lp or media.seven) and not media.cd:
        report.warnings.append(
            f"Track numbers on vinyl ({_labels(numbered)}); vinyl labels name sides: A1, A2, B1…"
        )


def _check_sides(tracks: Sequence[Track], media: _Media, report: _Report) -> None:
    """Each side's length as a figure, and against what the vinyl format holds."""
    sides: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        if track.side is not None:
            sides[track.side].append(track)
    if media.lp and media.seven and sides:
        report.warnings.append(
            'Vinyl and vinyl7 share this tracklist: sides are checked against the 12" limits.'
        )
    for side in sorted(sides, key=lambda s: (len(s), s)):
        members = sides[side]
        report.figures.append(_figure(f"side {side}", members))
        seconds = _seconds(members)
        if media.lp:
            if seconds > LP_MAX_S:
                report.failures.append(
                    f'Side {side} is {_mmss(seconds)}: more than the 22:00 a 12" side at 33⅓ '
                    "holds; move a track to another side."
                )
            elif seconds > LP_WARN_S:
                report.warnings.append(
                    f'Side {side} is {_mmss(seconds)}: past 18:00 a 12" side at 33⅓ is cut '
                    "quieter; check with the cutting engineer."
                )
        elif media.seven and seconds > SEVEN_MAX_S:
            report.failures.append(
                f'Side {side} is {_mmss(seconds)}: more than the 5:30 a 7" side at 45 holds.'
            )


def _check_discs(tracks: Sequence[Track], report: _Report) -> None:
    """Each CD within 79:57; tracks without a disc number (1, A1) make one CD together."""
    discs: dict[int | None, list[Track]] = defaultdict(list)
    for track in tracks:
        discs[track.disc].append(track)
    several = len(discs) > 1
    for disc in sorted(discs, key=lambda d: -1 if d is None else d):
        members = discs[disc]
        name = "CD" if not several else "CD (no disc number)" if disc is None else f"CD {disc}"
        seconds = _seconds(members)
        report.figures.append(_figure(name, members, of=CD_MAX_S))
        if seconds > CD_MAX_S:
            report.failures.append(
                f"{name} is {_mmss(seconds)}: more than the 79:57 a CD holds; "
                "move a track or make it two discs."
            )


def _note_missing_durations(tracks: Sequence[Track], report: _Report) -> None:
    missing = [t for t in tracks if t.duration_s is None]
    if len(missing) == len(tracks):
        report.warnings.append("No track has a duration yet, so lengths can't be checked.")
    elif missing:
        report.warnings.append(
            f"No duration for {_labels(missing)}: the lengths shown leave "
            f"{'it' if len(missing) == 1 else 'them'} out."
        )


def _figure(name: str, tracks: Sequence[Track], *, of: int | None = None) -> str:
    """``side A 19:42``, ``CD 71:30 of 79:57``, ``side B 12:10 without B4``."""
    if all(t.duration_s is None for t in tracks):
        return f"{name}: no durations"
    text = f"{name} {_mmss(_seconds(tracks))}"
    if of is not None:
        text += f" of {_mmss(of)}"
    missing = [t for t in tracks if t.duration_s is None]
    return f"{text} without {_labels(missing)}" if missing else text


_KIND_EXAMPLES = {"disc": "disc-track 1-1", "side": "side A1", "track": "track 1"}


def _kind(track: Track) -> str:
    return "side" if track.side is not None else "disc" if track.disc is not None else "track"


def _group(track: Track) -> tuple[str, str]:
    return (_kind(track), track.side or str(track.disc or ""))


def _group_name(track: Track) -> str:
    if track.side is not None:
        return f"side {track.side}"
    return f"disc {track.disc}" if track.disc is not None else "the tracklist"


def _label_at(track: Track, position: int) -> str:
    """The label another position of ``track``'s side or disc would have."""
    return Track(track.side, track.disc, position, "").label


def _missing(before: Track, after: Track) -> str:
    first, last = before.position + 1, after.position - 1
    word = "track " if _kind(before) == "track" else ""
    if first == last:
        return f"{word}{_label_at(before, first)} is missing"
    return f"{word}{_label_at(before, first)}–{_label_at(before, last)} are missing"


def _position(track: Track) -> int:
    return track.position


def _sort_key(track: Track) -> tuple[int, str, int, int]:
    side = track.side or ""
    return (len(side), side, track.disc or 0, track.position)


def _seconds(tracks: Sequence[Track]) -> int:
    return sum(t.duration_s or 0 for t in tracks)


def _mmss(seconds: int) -> str:
    # Minutes past 60 on purpose: a CD is "79:57", not "1:19:57".
    return f"{seconds // 60}:{seconds % 60:02d}"


def _ref(track: Track) -> str:
    """``A1``, ``2-1``, but ``track 3``: a bare number reads as a count."""
    return f"track {track.label}" if _kind(track) == "track" else track.label


def _name(track: Track) -> str:
    return f"{_ref(track)} {quoted(track.full_title)}"


def _labels(tracks: Sequence[Track]) -> str:
    """``A3, B2``; ``tracks 3, 4``; ``A1, A2, A3, A4, A5 and 2 more``."""
    shown = ", ".join(t.label for t in tracks[:LISTED])
    rest = len(tracks) - LISTED
    if rest > 0:
        shown += f" and {rest} more"
    if all(_kind(t) == "track" for t in tracks):
        return f"{'track' if len(tracks) == 1 else 'tracks'} {shown}"
    return shown


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def _same_title(title: str) -> str:
    return " ".join(title.casefold().split())


def _bare(code: str) -> str:
    return "".join(c for c in code if c.isalnum()).upper()
