"""The command line: `python -m bot …` and `sleeve …` run the same thing.

Imports are deferred to each command so that `--help` answers fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

EXIT_CONFIG = 2
EXPORT_DIR = "sleeve-export"
ACCOUNTING_DIR = "sleeve-accounting"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sleeve",
        description="Sleeve: art production for record labels, in Slack.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    shell = sub.add_parser("shell", help="the whole app in a terminal, no Slack needed")
    shell.add_argument("--db", default="sleeve-shell.db", help="SQLite file (default %(default)s)")
    shell.add_argument("--fresh", action="store_true", help="start from a new demo workspace")

    serve = sub.add_parser("serve", help="HTTP endpoint for Slack (or --socket)")
    serve.add_argument("--socket", action="store_true", help="Socket Mode instead of HTTP")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default %(default)s)")
    serve.add_argument("--port", type=int, help="port (default: PORT or 3000)")
    serve.add_argument("--workers", type=int, default=2, help="processes (default %(default)s)")
    serve.add_argument("--threads", type=int, default=8, help="threads each (default %(default)s)")

    sub.add_parser("migrate", help="bring the database schema up to date")

    digest = sub.add_parser("digest", help="post the digests due now (for cron)")
    digest.add_argument("--channel", help="only this channel's digest (its id, e.g. C0123ABCD)")
    digest.add_argument(
        "--force", action="store_true", help="post it even if today's went out (needs --channel)"
    )
    _db_option(digest)

    export = sub.add_parser(
        "export",
        help="everything in the store, as JSON or CSV files, the accountant's CSV files, "
        "or the catalogue's calendar (ics)",
    )
    export.add_argument(
        "--format",
        choices=("json", "csv", "accounting", "ics"),
        default="json",
        help="json: one document; csv: one file per table; accounting: invoices.csv (one row "
        "per invoice) and order_lines.csv (one row per purchase order line); ics: street "
        "dates and due dates as sleeve.ics (default: %(default)s)",
    )
    export.add_argument(
        "--out",
        help=f"folder to write to (default: {EXPORT_DIR}, or {ACCOUNTING_DIR} for accounting, "
        "so a table dump's invoices.csv is never overwritten)",
    )
    _db_option(export)

    load = sub.add_parser(
        "import",
        help="bulk-load the freelancer directory, the vendor list or a release's tracklist "
        "from a CSV file",
        description="import freelancers FILE.csv | import vendors FILE.csv | "
        "import labelcopy SLV-014 FILE.csv",
    )
    load.add_argument(
        "what", choices=("freelancers", "vendors", "labelcopy"), help="what the file holds"
    )
    load.add_argument(
        "target",
        nargs="+",
        metavar="[CATNO] FILE",
        help="freelancers: CSV with the columns name, email, phone, slack, skills, rate, per, "
        "currency, portfolio, notes (name and email required); vendors: CSV with the columns "
        "name, kind, email, phone, currency, terms, tax, address, notes (name and currency "
        "required; rows matched on the name); labelcopy: the release's catalog number, then "
        "CSV with the columns side, position, title, version, duration, isrc, credits",
    )
    _db_option(load)
    return parser


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        help="a SQLite file to use instead of DATABASE_URL (the shell's is sleeve-shell.db)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from bot.core.settings import SettingsError
    from bot.domain.templates import TemplateError
    from bot.proofs.preflight.spec import PrintSpecError
    from bot.storage.migrate import SchemaBehind

    try:
        if args.command == "shell":
            from bot.devtools.session import run_shell

            return run_shell(db_path=args.db, fresh=args.fresh)
        if args.command == "serve":
            return _serve(args)
        if args.command == "migrate":
            return _migrate()
        if args.command == "digest":
            from bot.scheduler.command import run_digest

            settings = _settings_and_logging(args.db, existing=True)
            return run_digest(settings, channel=args.channel, force=args.force, out=sys.stdout)
        if args.command == "export":
            return _export(args)
        if args.command == "import":
            return _import(args)
    except (SettingsError, SchemaBehind, TemplateError, PrintSpecError) as exc:
        print(f"sleeve: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_CONFIG
    raise AssertionError(f"unhandled command {args.command}")


def _settings_and_logging(db: str | None = None, *, existing: bool = False):  # type: ignore[no-untyped-def]
    """Settings from the environment (``db``: a SQLite file instead of DATABASE_URL); with
    ``existing``, a SQLite database must already be there: a command that reads the store
    never creates an empty one."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from bot.core.logs import configure_logging
    from bot.core.settings import SettingsError, load_settings

    settings = load_settings(**({"database_url": f"sqlite:///{db}"} if db else {}))
    url = make_url(settings.database_url)
    sqlite_file = url.database if url.get_backend_name() == "sqlite" else None
    if existing and sqlite_file and not Path(sqlite_file).exists():
        where = "--db" if db else "DATABASE_URL"
        raise SettingsError(
            f"{where}: there is no database at {sqlite_file}; name the one to use with "
            "--db FILE (the shell's is sleeve-shell.db) or DATABASE_URL"
        )
    secrets = [
        s.get_secret_value()
        for s in (
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
            settings.smtp_url,
        )
        if s is not None
    ]
    if settings.smtp is not None and settings.smtp.password:
        secrets.append(settings.smtp.password)
    configure_logging(settings.log_level, secrets)
    return settings


def _serve(args: argparse.Namespace) -> int:
    settings = _settings_and_logging()
    settings.require("slack_bot_token", "slack_signing_secret")
    if args.socket:
        settings.require("slack_app_token")
    from bot.app import build_app
    from bot.bootstrap import open_runtime
    from bot.proofs.preflight.spec import load_print_specs
    from bot.server import serve_http, serve_socket
    from bot.slack.client import check_token

    load_print_specs(settings.print_specs_path)  # a bad spec file stops start-up early
    runtime = open_runtime(settings)
    check_token(settings)  # a bad token or an unreachable Slack: one line, exit 2
    app = build_app(runtime)
    if args.socket:
        from bot.scheduler import DigestScheduler

        # One process: its own scheduler; the database still decides who posts.
        digests = DigestScheduler(runtime, app.client).keep_house().start()
        try:
            serve_socket(app, settings.slack_app_token.get_secret_value())  # type: ignore[union-attr]
        finally:
            digests.stop()
    else:
        serve_http(
            app,
            runtime,
            host=args.host,
            port=args.port or settings.port,
            workers=args.workers,
            threads=args.threads,
        )
    return 0


def _migrate() -> int:
    settings = _settings_and_logging()
    from bot.core.clock import SystemClock
    from bot.storage.db import Database
    from bot.storage.migrate import upgrade
    from bot.storage.seed import seed

    db = Database.from_url(settings.database_url)
    head = upgrade(db)
    seed(db, coordinators=settings.coordinators, now=SystemClock().now())
    db.dispose()
    print(f"database schema is at {head}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.bootstrap import open_runtime
    from bot.exports import service as export
    from bot.exports.files import write_csv, write_json, write_texts

    runtime = open_runtime(_settings_and_logging(args.db, existing=True))
    out = Path(args.out or (ACCOUNTING_DIR if args.format == "accounting" else EXPORT_DIR))
    with runtime.db.read() as session:
        if args.format == "json":
            written = write_json(export.document(session), out)
        elif args.format == "accounting":
            written = write_texts(export.accounting(session), out)
        elif args.format == "ics":
            from bot.calendars.feed import catalogue_feed

            ics = catalogue_feed(session, now=runtime.now(), timezone=runtime.settings.timezone)
            written = [_write_private(out / "sleeve.ics", ics)]
        else:
            written = write_csv(export.tables(session), out, export.columns())
    runtime.db.dispose()
    for path in written:
        print(path)
    return 0


def _write_private(path: Path, data: bytes) -> Path:
    """Like the other exports: owner-only from the first byte (it names people and work)."""
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path


def _import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.bootstrap import open_runtime
    from bot.core.settings import SettingsError
    from bot.freelancers.import_file import run_import

    wanted = 2 if args.what == "labelcopy" else 1
    if len(args.target) != wanted:
        usage = "SLV-014 FILE.csv" if wanted == 2 else "FILE.csv"
        raise SettingsError(f"import {args.what} takes {args.what} {usage}")
    runtime = open_runtime(_settings_and_logging(args.db, existing=True))
    try:
        if args.what == "labelcopy":
            from bot.labelcopy.import_file import run_import as import_copy

            return import_copy(args.target[0], Path(args.target[1]), runtime)
        if args.what == "vendors":
            from bot.purchasing.vendor_import import run_import as import_vendors

            return import_vendors(Path(args.target[0]), runtime)
        return run_import(Path(args.target[0]), runtime)
    finally:
        runtime.db.dispose()
