"""Bulk-loading the freelancer directory from CSV: every row is checked before anything is
written, so a file with one bad row imports nothing. Rows are matched on email: importing
the same file again updates those freelancers instead of adding them twice."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.core.errors import SleeveError
from bot.domain.actors import Actor
from bot.freelancers import service as freelancers
from bot.storage.freelancer_models import RateAgreement

COLUMNS = (
    "name",
    "email",
    "phone",
    "slack",
    "skills",
    "rate",
    "per",
    "currency",
    "portfolio",
    "notes",
)
REQUIRED = ("name", "email")
# The audit log names the import as the actor; it may do what a coordinator may.
IMPORTER = Actor(user_id="import", is_coordinator=True)


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]  # cleaned columns, only those the file has
    rate: freelancers.RateTerms | None


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass
class Result:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rates: int = 0


def _header(cells: list[str]) -> tuple[list[str], str | None]:
    names = [cell.strip().lower() for cell in cells]
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        return names, f"unknown column {unknown[0]!r}; the columns are {', '.join(COLUMNS)}"
    twice = [name for name in COLUMNS if names.count(name) > 1]
    if twice:
        return names, f"column {twice[0]!r} appears twice"
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        return names, f"the header needs the column {missing[0]!r} (columns: {', '.join(COLUMNS)})"
    return names, None


def _check(
    cells: dict[str, str], today: date
) -> tuple[dict[str, Any], freelancers.RateTerms | None, list[str]]:
    """Cleaned contact values, rate terms and every problem of one row."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, column in freelancers.EDITABLE.items():
        if key in cells:
            try:
                values[column] = freelancers.clean_field(column, cells[key])
            except SleeveError as exc:
                problems.append(exc.message)
    terms = None
    if cells.get("rate", "").strip():
        missing = [key for key in ("per", "currency") if not cells.get(key, "").strip()]
        if missing:
            problems.append(f"`{missing[0]}` is needed with a rate, e.g. 450, asset, GBP")
        else:
            rate = freelancers.RateInput(
                amount=cells["rate"],
                currency=cells["currency"],
                unit=cells["per"],
                valid_from=today,
            )
            try:
                terms = freelancers.clean_rate(rate)
            except SleeveError as exc:
                problems.append(exc.message)
    return values, terms, problems


def read_rows(lines: Iterable[str], *, today: date) -> tuple[list[Row], list[RowError]]:
    """Every row of the file checked; errors carry the line each row starts on."""
    reader = csv.reader(lines, strict=True)
    names = ", ".join(COLUMNS)
    rows: list[Row] = []
    errors: list[RowError] = []
    header: list[str] | None = None
    seen: dict[str, int] = {}
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(line, f"not valid CSV: {exc}"))
            break
        if not any(cell.strip() for cell in cells):
            continue  # blank lines between rows are harmless
        if header is None:
            header, problem = _header(cells)
            if problem:
                return [], [RowError(line, problem)]
            continue
        if len(cells) > len(header):
            errors.append(RowError(line, f"{len(cells)} cells, but the header has {len(header)}"))
            continue
        values, terms, problems = _check(dict(zip(header, cells, strict=False)), today)
        email = values.get("email")
        if email and email in seen:
            problems.append(f"{email} is also on line {seen[email]}")
        elif email:
            seen[email] = line
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
        else:
            rows.append(Row(line, values, terms))
    if header is None and not errors:
        errors.append(RowError(1, f"the file is empty; its first line names the columns: {names}"))
    elif not rows and not errors:
        errors.append(RowError(reader.line_num, "no freelancer rows under the header"))
    return rows, errors


def _differs(terms: freelancers.RateTerms, current: RateAgreement | None) -> bool:
    if current is None:
        return True
    return (terms.amount, terms.currency, terms.unit) != (
        current.amount,
        current.currency,
        current.unit,
    )


def import_rows(session: Session, rows: list[Row], *, now: datetime, today: date) -> Result:
    """Add or update each row's freelancer (matched on email); one transaction for them all."""
    result = Result()
    for row in rows:
        existing = freelancers.find_by_email(session, row.values["email"])
        changed: list[str] = []
        if existing is None:
            freelancer = freelancers.create_freelancer(
                session, actor=IMPORTER, values=row.values, now=now
            )
            result.added.append(freelancers.label(freelancer))
        else:
            freelancer = existing
            changed = freelancers.update_contact(
                session, actor=IMPORTER, freelancer=freelancer, values=row.values, now=now
            )
        current = freelancers.current_agreement(freelancer.agreements, today)
        # A new agreement only when the terms changed: re-importing a file adds none.
        new_rate = row.rate is not None and _differs(row.rate, current)
        if row.rate is not None and new_rate:
            freelancers.add_agreement(
                session, actor=IMPORTER, freelancer=freelancer, terms=row.rate, now=now
            )
            result.rates += 1
        if existing is not None:
            target = result.updated if changed or new_rate else result.unchanged
            target.append(freelancers.label(freelancer))
    return result
