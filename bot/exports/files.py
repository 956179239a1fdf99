"""Writing the export to files readable by their owner only (they can hold rates and amounts)."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

from bot.exports.service import Row

OWNER_ONLY = 0o600


def _open_private(path: Path) -> Any:
    # Created with owner-only permissions from the first byte, not chmod-ed afterwards.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)
    os.fchmod(fd, OWNER_ONLY)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def write_json(document: dict[str, list[Row]], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "sleeve-export.json"
    with _open_private(path) as handle:
        json.dump(document, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    return [path]


def write_csv(
    tables: dict[str, list[Row]], out_dir: Path, columns: dict[str, list[str]]
) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = out_dir / f"{name}.csv"
        with _open_private(path) as handle:
            writer = csv.DictWriter(handle, fieldnames=columns[name], extrasaction="raise")
            if columns[name]:
                writer.writeheader()
            for row in rows:
                writer.writerow(
                    {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()}
                )
        written.append(path)
    return written


def write_texts(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Files already rendered (the accountant's CSV), name -> text, written as they are:
    their line ends are part of the format."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = out_dir / name
        with _open_private(path) as handle:
            handle.write(text)
        written.append(path)
    return written
