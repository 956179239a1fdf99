"""Engine and units of work.

SQLite gets WAL (readers never wait for the writer), a busy timeout, foreign keys, and
``BEGIN IMMEDIATE`` for write transactions: a deferred transaction that upgrades from
read to write fails at once with "database is locked" instead of waiting its turn.

Writers to a SQLite file also queue on a lock of their own (``WriterLock``) before BEGIN
IMMEDIATE. SQLite's busy handler polls, sleeping 1, 2, 5 … up to 100 ms between tries, so
under contention a write could wait most of that sleep after the lock was already free; a
thread lock plus ``flock`` on a file beside the database wakes the next writer at once,
in this process or another.

PostgreSQL reads run in autocommit (READ COMMITTED gives a transaction no shared snapshot
anyway), as do ``read_connection()``'s on SQLite, and a pooled connection the server closed
is found by polling its socket at checkout rather than by a ``SELECT 1``. On either backend a ``write()`` inside another on
the same thread joins it.
"""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000
_READ_ONLY = "sleeve_read_only"
_AUTOCOMMIT = "sleeve_autocommit"  # SQLite: no BEGIN, each statement on its own


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    options: dict[str, Any] = {"pool_size": 10, "max_overflow": 10, "pool_recycle": 1800}
    options.update(kwargs)
    engine = create_engine(url, **options)
    if not options.get("pool_pre_ping"):
        event.listen(engine, "checkout", _closed_by_server)
    return engine


def _closed_by_server(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    """A connection the server ended is replaced before use, without a round trip.

    A server that ends a session (terminated, restarting, idle timeout) sends its FATAL
    message and closes the socket, so an idle connection's socket that is readable is dead.
    ``pool_pre_ping`` would find the same with a ``SELECT 1``: a round trip per transaction.
    Raising ``DisconnectionError`` here makes the pool open a fresh connection instead.
    """
    fileno = getattr(dbapi_conn, "fileno", None)
    if fileno is None:
        return  # a driver that doesn't say; the first statement will
    try:
        readable = bool(select.select([fileno()], [], [], 0)[0])
    except (OSError, ValueError):  # closed already
        readable = True
    if readable or getattr(dbapi_conn, "broken", False):
        raise exc.DisconnectionError("the server closed the connection")


# Enough pooled SQLite connections for every thread of a `serve` worker that reads or
# writes (8 request threads, the after-ack executor's 16, the scheduler's), so none is
# opened per request: SQLAlchemy's default keeps 5 and closes the rest on return, and each
# new one runs four PRAGMAs and starts with a cold page cache.
SQLITE_POOL_SIZE = 25
# Each connection's own page cache (SQLite's default is 2 MB): with 25 of them a worker
# could hold 50 MB of copies of pages the operating system caches once for everyone.
# Half a megabyte keeps the B-tree's upper levels and measured no slower at 100,000 assets.
SQLITE_CACHE_KIB = 512


def _in_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:")


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    in_memory = _in_memory(make_url(url))
    if not in_memory:  # an in-memory database has a single-connection pool of its own
        # Last in, first out: the connection just returned is handed out again, so only as
        # many connections as run at once fill a page cache, not every one in turn.
        kwargs = {
            "pool_size": SQLITE_POOL_SIZE,
            "max_overflow": SQLITE_POOL_SIZE,
            "pool_use_lifo": True,
            **kwargs,
        }
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        **kwargs,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Hand transaction control to the begin hook below instead of pysqlite.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        if options.get(_AUTOCOMMIT):
            return
        statement = "BEGIN" if options.get(_READ_ONLY) else "BEGIN IMMEDIATE"
        # Straight to sqlite3: SQLAlchemy's statement machinery costs more than the BEGIN.
        conn.connection.dbapi_connection.execute(statement)

    return engine


class WriterLock:
    """One writer at a time across the threads and processes sharing a SQLite file."""

    def __init__(self, database_path: str) -> None:
        self._path = Path(f"{database_path}-writer.lock")
        # Not reentrant: a write() inside another on the same thread joins it before
        # asking for this lock.
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._thread_lock:
            fd = self._file()
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def _file(self) -> int:
        # flock belongs to an open file, which a forked child would share with its parent:
        # each process opens its own.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def close(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd = None


def _writer_lock(engine: Engine) -> WriterLock | None:
    url = engine.url
    if url.get_backend_name() != "sqlite" or _in_memory(url):
        return None  # an in-memory database has one connection; SQLite serialises it
    if fcntl is None:  # pragma: no cover - not POSIX
        return None
    return WriterLock(str(Path(url.database).resolve()))


class Database:
    """One engine and two kinds of unit of work: ``write()`` and ``read()``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._local = threading.local()  # this thread's open write(), if any
        self._writer_lock = _writer_lock(engine)
        self._writer = sessionmaker(engine, expire_on_commit=False)
        read_options: dict[str, Any] = {_READ_ONLY: True}
        if engine.dialect.name == "postgresql":
            # Under READ COMMITTED every statement takes its own snapshot, in a transaction
            # or not, so a read needs no BEGIN and COMMIT: two round trips fewer.
            read_options["isolation_level"] = "AUTOCOMMIT"
        self._read_engine = engine.execution_options(**read_options)
        self._reader = sessionmaker(self._read_engine, expire_on_commit=False)
        self._statement_engine = self._read_engine.execution_options(**{_AUTOCOMMIT: True})

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(make_engine(url, **kwargs))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any error.

        A ``write()`` inside another on the same thread joins it: one transaction, committed
        by the outermost. So a command's replay key, its change and its outbox take the
        writer's lock once.
        """
        joined = getattr(self._local, "session", None)
        if joined is not None:
            yield joined
            return
        with self._serialised(), self._writer() as session, session.begin():
            self._local.session = session
            try:
                yield session
            finally:
                self._local.session = None

    def _serialised(self) -> AbstractContextManager[None]:
        return self._writer_lock.held() if self._writer_lock else nullcontext()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads. On SQLite its statements share one snapshot (a
        deferred transaction); on PostgreSQL (READ COMMITTED) each takes its own, as they
        would inside a transaction there."""
        with self._reader() as session, session.begin():
            yield session

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A plain connection for the hottest reads (Core statements only), in no
        transaction: each statement reads its own snapshot, on SQLite as on PostgreSQL, so
        what needs one view across statements uses ``read()``. Half the cost of a
        transaction's connection, a fifth of a session's unit of work."""
        with self._statement_engine.connect() as conn:
            yield conn

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
        if self._writer_lock is not None:
            self._writer_lock.close()
