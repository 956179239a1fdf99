"""Engine and units of work.

SQLite gets WAL (readers never wait for the writer), a busy timeout, foreign keys, and
``BEGIN IMMEDIATE`` for write transactions: a deferred transaction that upgrades from
read to write fails at once with "database is locked" instead of waiting its turn.

Writers to a SQLite file also queue on a lock of their own (``WriterLock``) before BEGIN
IMMEDIATE. SQLite's busy handler polls, sleeping 1, 2, 5 … up to 100 ms between tries, so
under contention a write could wait most of that sleep after the lock was already free; a
thread lock plus ``flock`` on a file beside the database wakes the next writer at once,
in this process or another.

A unit of work is explicit: ``write()`` and ``read()`` each open their own transaction, and a
``write()`` opened while another is open on the same thread is a bug, refused at once (it
would wait for the writer's lock its own thread holds).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.core.settings import SettingsError

SQLITE_BUSY_TIMEOUT_MS = 15_000
_READ_ONLY = "sleeve_read_only"


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    # pool_pre_ping: a connection the server closed (restart, idle timeout, terminated) is
    # replaced before use instead of failing the request that drew it.
    options: dict[str, Any] = {
        "pool_size": 10,
        "max_overflow": 10,
        "pool_recycle": 1800,
        "pool_pre_ping": True,
    }
    options.update(kwargs)
    try:
        return create_engine(url, **options)
    except ModuleNotFoundError as exc:
        raise SettingsError(
            f"DATABASE_URL: its driver ({exc.name}) is not installed: pip install 'psycopg[binary]'"
        ) from None


# Enough pooled SQLite connections for every thread of a `serve` worker that reads or
# writes (its request threads, the after-ack executor's, the scheduler's), so none is
# opened per request: each new one runs four PRAGMAs and starts with a cold page cache.
SQLITE_POOL_SIZE = 25


def _in_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:")


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    in_memory = _in_memory(make_url(url))
    if not in_memory:  # an in-memory database has a single-connection pool of its own
        kwargs = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": SQLITE_POOL_SIZE, **kwargs}
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
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get(_READ_ONLY)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


class WriterLock:
    """One writer at a time across the threads and processes sharing a SQLite file."""

    def __init__(self, database_path: str) -> None:
        self._path = Path(f"{database_path}-writer.lock")
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


class NestedWriteError(RuntimeError):
    """A write() opened inside another on the same thread: one unit of work at a time."""


class Database:
    """One engine and two kinds of unit of work: ``write()`` and ``read()``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._local = threading.local()  # whether this thread has a write() open
        self._writer_lock = _writer_lock(engine)
        self._writer = sessionmaker(engine, expire_on_commit=False)
        read_options: dict[str, Any] = {_READ_ONLY: True}
        if engine.dialect.name == "postgresql":
            # Under READ COMMITTED every statement takes its own snapshot, in a transaction
            # or not, so a read needs no BEGIN and COMMIT: two round trips fewer.
            read_options["isolation_level"] = "AUTOCOMMIT"
        self._reader = sessionmaker(
            engine.execution_options(**read_options), expire_on_commit=False
        )

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(make_engine(url, **kwargs))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any error."""
        if getattr(self._local, "writing", False):
            raise NestedWriteError("a write() is already open on this thread")
        with self._serialised(), self._writer() as session, session.begin():
            self._local.writing = True
            try:
                yield session
            finally:
                self._local.writing = False

    def _serialised(self) -> AbstractContextManager[None]:
        return self._writer_lock.held() if self._writer_lock else nullcontext()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads. On SQLite its statements share one snapshot (a
        deferred transaction); on PostgreSQL (READ COMMITTED) each takes its own, as they
        would inside a transaction there."""
        with self._reader() as session, session.begin():
            yield session

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
        if self._writer_lock is not None:
            self._writer_lock.close()
