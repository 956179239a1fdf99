"""Hypothesis strategies for tracks that a coordinator could type unambiguously."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.labelcopy.tracklist import MAX_DURATION_S, Position, Track

# Letters only: a title ending in digits and colons would read as a duration (see the grammar).
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'", min_size=1)
TITLES = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)

POSITIONS = st.one_of(
    st.builds(Position, st.sampled_from(["A", "B", "C", "AA"]), st.none(), st.integers(1, 99)),
    st.builds(Position, st.none(), st.none(), st.integers(1, 99)),
    st.builds(Position, st.none(), st.integers(1, 9), st.integers(1, 99)),
)
TRACKS = st.builds(
    lambda position, title, version, duration, isrc, credits: Track(
        *position, title, version, duration, isrc, credits
    ),
    POSITIONS,
    TITLES,
    st.none() | TITLES,
    st.none() | st.integers(1, MAX_DURATION_S),
    st.none() | st.from_regex(r"\A[A-Z]{2}[A-Z0-9]{3}[0-9]{7}\Z"),
    st.none() | TITLES,
)
