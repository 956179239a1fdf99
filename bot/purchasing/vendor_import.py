"""Bulk-loading vendors from CSV: every row is checked before anything is written, so a file
with one bad row imports nothing. Rows are matched on the name (in any case): importing the
same file again updates those vendors instead of adding them twice."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from bot.core.errors import SleeveError
from bot.domain.actors import Actor
from bot.freelancers.csv_import import IMPORTER, RowError
from bot.freelancers.import_file import fail, read_csv_text, report_bad_rows
from bot.purchasing import vendors
from bot.purchasing.access import require_purchasing

if TYPE_CHECKING:
    from bot.runtime import Runtime

COLUMNS = tuple(vendors.EDITABLE)
EXIT_BAD_FILE = 1


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]  # cleaned columns, only those the file has


@dataclass
class Result:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _header(cells: list[str]) -> tuple[list[str], str | None]:
    names = [cell.strip().lower() for cell in cells]
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        return names, f"unknown column {unknown[0]!r}; the columns are {', '.join(COLUMNS)}"
    twice = [name for name in COLUMNS if names.count(name) > 1]
    if twice:
        return names, f"column {twice[0]!r} appears twice"
    missing = [name for name in vendors.REQUIRED if name not in names]
    if missing:
        return names, f"the header needs the column {missing[0]!r} (columns: {', '.join(COLUMNS)})"
    return names, None


def _check(cells: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Cleaned values and every problem of one row."""
    values: dict[str, Any] = {}
    problems = [f"`{key}` is needed" for key in vendors.REQUIRED if key not in cells]
    for key, column in vendors.EDITABLE.items():
        if key in cells:
            try:
                values[column] = vendors.clean_field(column, cells[key])
            except SleeveError as exc:
                problems.append(exc.message)
    return values, problems


def read_rows(lines: Iterable[str]) -> tuple[list[Row], list[RowError]]:
    """Every row of the file checked; errors carry the line each row starts on."""
    reader = csv.reader(lines, strict=True)
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
        values, problems = _check(dict(zip(header, cells, strict=False)))
        key = vendors.name_key(values["name"]) if "name" in values else None
        if key and key in seen:
            problems.append(f"{values['name']} is also on line {seen[key]}")
        elif key:
            seen[key] = line
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
        else:
            rows.append(Row(line, values))
    if header is None and not errors:
        columns = ", ".join(COLUMNS)
        errors.append(
            RowError(1, f"the file is empty; its first line names the columns: {columns}")
        )
    elif not rows and not errors:
        errors.append(RowError(reader.line_num, "no vendor rows under the header"))
    return rows, errors


def import_vendors(session: Session, actor: Actor, rows: list[Row], now: datetime) -> Result:
    """Add or update each row's vendor (matched on name); one transaction for them all."""
    require_purchasing(session, actor, "import vendors")
    result = Result()
    for row in rows:
        existing = vendors.find_by_name(session, row.values["name"])
        if existing is None:
            vendor = vendors.create_vendor(session, actor=actor, values=row.values, now=now)
            result.added.append(vendor.label)
            continue
        changed = vendors.update_vendor(
            session, actor=actor, vendor=existing, values=row.values, now=now
        )
        (result.updated if changed else result.unchanged).append(existing.label)
    return result


def run_import(path: Path, runtime: Runtime) -> int:
    """`python -m bot import vendors FILE.csv`: check every row, then import all or none."""
    text = read_csv_text(path)
    if isinstance(text, int):
        return text
    rows, errors = read_rows(io.StringIO(text, newline=""))
    if errors:
        return report_bad_rows(path, errors)
    try:
        with runtime.db.write() as session:
            result = import_vendors(session, IMPORTER, rows, runtime.now())
    except SleeveError as exc:  # e.g. another process added the same name meanwhile
        return fail(f"{path}: nothing imported: {exc.message}")
    print(
        f"{path}: {len(rows)} rows: {len(result.added)} added, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged"
    )
    return 0
