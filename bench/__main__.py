"""``python -m bench [--quick] [--backend sqlite|postgresql] [--out FILE]``."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench import home, proof_load
from bench.config import FULL, QUICK
from bench.databases import BACKENDS, PG_URL, pg_available
from bench.report import Report
from bench.suite import run_backend
from bench.writeup import sections

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts; no bar enforced")
    parser.add_argument("--backend", action="append", choices=BACKENDS, help="default: both")
    parser.add_argument("--out", type=Path, help="default: bench/RESULTS.md (full runs only)")
    args = parser.parse_args(argv)
    counts = QUICK if args.quick else FULL
    report = Report(mode="quick" if args.quick else "full")
    report.mark_load("start")
    backends = list(args.backend or BACKENDS)
    if "postgresql" in backends:
        if pg_available():
            report.postgres_version = _pg_version()
        else:
            backends.remove("postgresql")
            report.note(f"PostgreSQL at {PG_URL} was not reachable: its scenarios were skipped.")
    with tempfile.TemporaryDirectory(prefix="sleeve-bench-") as tmp:
        workdir = Path(tmp)
        for backend in backends:
            run_backend(backend, counts=counts, report=report, workdir=workdir)
            report.mark_load(f"{backend}: scenario 8")
            home.scenario_8(backend, workdir=workdir, report=report)
        report.mark_load("preflight of single files")
        proof_load.single_file_rows(report)
        proof_load.copy_check_row(report)
    report.mark_load("end")
    print("\n".join(report.table_lines()))
    out = args.out or (None if args.quick else RESULTS)
    if out is not None:
        report.write_markdown(out, sections(report))
        print(f"\nwrote {out}")
    for label, load in report.loads:
        print(f"load average at {label}: {load}")
    if args.quick:
        print("quick mode: the figures prove the suite works; no bar is enforced")
        return 0
    failed = report.failures()
    print(f"{len(failed)} bar(s) missed" if failed else "every bar met")
    return 1 if failed else 0


def _pg_version() -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL)
    try:
        with engine.connect() as conn:
            return str(conn.scalar(text("SHOW server_version")))
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
