"""Dates as people read them, the same in every message: ``Fri 4 Dec``, and ``Fri 19 Feb
2027`` when not this year."""

from __future__ import annotations

from datetime import date

# English whatever the process locale, and without strftime: a list formats one per line.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: date) -> str:
    """``Fri 4 Dec``: for a date whose year goes without saying (a time today, say)."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def readable(day: date, today: date) -> str:
    """``Fri 4 Dec`` this year, ``Fri 19 Feb 2027`` any other."""
    return short_date(day) + (f" {day.year}" if day.year != today.year else "")
