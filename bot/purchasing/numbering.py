"""Gap-free document numbers (PO-2027-0001, INV-2027-0001), decided by the database.

An order or invoice number must be sequential without gaps within its series and year (the
EU VAT directive asks as much of invoices), however many replicas hand them out. The counter
row is incremented with ``UPDATE … RETURNING`` inside the caller's transaction: the row lock
makes concurrent writers wait their turn until commit, and a transaction that rolls back
takes its increment with it, so its number is given to the next one instead of being lost.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.purchasing_models import DocumentCounter

ORDERS = "PO"
INVOICES = "INV"

_counters = DocumentCounter.__table__


def _create_counter(session: Session, series: str, year: int) -> None:
    """The year's counter at 0 if it is not there yet; a concurrent creator's row wins."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(_counters).values(series=series, year=year, last=0)
    session.execute(statement.on_conflict_do_nothing(index_elements=["series", "year"]))


def next_number(session: Session, series: str, year: int) -> int:
    """The next number of ``series`` in ``year`` (1 for the first), held until commit."""
    _create_counter(session, series, year)
    statement = (
        update(_counters)
        .where(_counters.c.series == series, _counters.c.year == year)
        .values(last=_counters.c.last + 1)
        .returning(_counters.c.last)
    )
    return int(session.execute(statement).scalar_one())


def format_number(series: str, year: int, seq: int) -> str:
    """``PO-2027-0001``: four digits at least, so numbers sort as text within a year."""
    return f"{series}-{year}-{seq:04d}"
