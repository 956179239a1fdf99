"""`python -m bot import freelancers FILE.csv`: read, check every row, then import all or none."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.core.errors import SleeveError
from bot.freelancers.csv_import import RowError, import_rows, read_rows
from bot.runtime import Runtime

EXIT_BAD_FILE = 1


def fail(message: str) -> int:
    print(f"sleeve: {message}", file=sys.stderr)
    return EXIT_BAD_FILE


def read_csv_text(path: Path) -> str | int:
    """The file's text, or the exit status after saying why it can't be read."""
    try:
        # utf-8-sig: spreadsheets often save CSV with a byte-order mark.
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return fail(f"can't read {path}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        return fail(f'{path} isn\'t UTF-8 text; save it as "CSV UTF-8" and try again')


def report_bad_rows(path: Path, errors: Sequence[RowError]) -> int:
    """Every bad row, one line each; nothing was imported."""
    count = f"{len(errors)} bad row{'s' if len(errors) != 1 else ''}"
    print(f"sleeve: {path}: nothing imported, {count}:", file=sys.stderr)
    for error in errors:
        print(f"  line {error.line}: {error.reason}", file=sys.stderr)
    return EXIT_BAD_FILE


def run_import(path: Path, runtime: Runtime) -> int:
    text = read_csv_text(path)
    if isinstance(text, int):
        return text
    rows, errors = read_rows(io.StringIO(text, newline=""), today=runtime.today())
    if errors:
        return report_bad_rows(path, errors)
    try:
        with runtime.db.write() as session:
            result = import_rows(session, rows, now=runtime.now(), today=runtime.today())
    except SleeveError as exc:  # e.g. another process added the same email meanwhile
        return fail(f"{path}: nothing imported: {exc.message}")
    print(
        f"{path}: {len(rows)} rows: {len(result.added)} added, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged; {result.rates} new rate agreements"
    )
    return 0
