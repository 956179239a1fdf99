"""`python -m bot import labelcopy SLV-014 FILE.csv`: a release's tracklist from a CSV file
with the columns side, position, title, version, duration, isrc, credits; every row is
checked, then all are saved or none."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from bot.core.errors import SleeveError
from bot.domain.actors import Actor
from bot.labelcopy import service as copies
from bot.labelcopy.tracklist import parse_csv_rows
from bot.releases.service import get_release
from bot.runtime import Runtime

EXIT_BAD_FILE = 1
IMPORTER = Actor(user_id="import", is_coordinator=True)  # the operator at the command line


def _fail(message: str) -> int:
    print(f"sleeve: {message}", file=sys.stderr)
    return EXIT_BAD_FILE


def run_import(catno: str, path: Path, runtime: Runtime) -> int:
    try:
        text = path.read_bytes().decode("utf-8-sig")  # spreadsheets add a byte-order mark
    except OSError as exc:
        return _fail(f"can't read {path}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        return _fail(f'{path} isn\'t UTF-8 text; save it as "CSV UTF-8" and try again')
    parsed = parse_csv_rows(csv.DictReader(io.StringIO(text, newline="")))
    if parsed.errors:
        print(f"sleeve: {path}: nothing imported, {len(parsed.errors)} bad rows:", file=sys.stderr)
        for error in parsed.errors[:50]:
            print(f"  {error}", file=sys.stderr)
        return EXIT_BAD_FILE
    try:
        with runtime.db.write() as session:
            release = get_release(session, catno)
            copy = copies.copy_of(session, release)
            fields = copies.CopyFields(
                title=copy.title if copy else release.title,
                artist=copy.artist if copy else release.artist,
                **({k: getattr(copy, k) for k in copies.OPTIONAL_FIELDS} if copy else {}),
            )
            saved = copies.save_copy(
                session,
                actor=IMPORTER,
                catno=catno,
                fields=fields,
                tracks=list(parsed.tracks),
                now=runtime.now(),
            )
            report, name = saved.report, release.catno
    except SleeveError as exc:
        return _fail(f"{path}: nothing imported: {exc.message}")
    print(f"{path}: {len(parsed.tracks)} tracks saved to {name}'s label copy.")
    for line in [*report.figures, *(f"warning: {w}" for w in report.warnings)]:
        print(f"  {line}")
    return 0
