"""What every listener and job needs: settings, the database, the clock, background workers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock, SystemClock, local_today
from bot.domain.templates import FormatTemplate, load_templates
from bot.settings import Settings
from bot.storage.db import Database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Called in the transaction that records a sent Post: (session, record_id, channel, ts).
Recorder = Callable[["Session", int, str, str], None]


class TrackingExecutor(ThreadPoolExecutor):
    """A thread pool that can say when all submitted work has finished (for the shell and
    tests), with every thread started at the first submit.

    The standard pool starts a thread only when its count of idle threads says none is
    free, and that count drifts upward when threads take queued work back to back: after a
    burst, work can wait behind a few threads blocked on slow Web API calls while the pool
    is far below its size. Starting them all (in the process that uses them, never before
    a fork) leaves nothing to that count.
    """

    def __init__(self, max_workers: int, thread_name_prefix: str) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=thread_name_prefix)
        self._pending = 0
        self._idle = threading.Condition()
        self._started = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._pending += 1
            if not self._started:
                self._started = True
                for _ in range(self._max_workers - len(self._threads)):
                    self._adjust_thread_count()
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)


class RequestGauge:
    """Whether this process is answering Slack requests, or has been a moment ago (counted
    by `serve`'s WSGI app; in Socket Mode and the shell it stays quiet).

    Work after the ack that only has to happen soon (a click's decision) waits for a quiet
    moment: while it runs it holds the GIL that the request threads need to ack, and Slack
    gives an ack 3 s while a redrawn message can come later.
    """

    def __init__(self) -> None:
        self._count = 0
        self._last = 0.0  # monotonic time a request last came or went
        self._lock = threading.Lock()

    def enter(self) -> None:
        with self._lock:
            self._count += 1
            self._last = time.monotonic()

    def leave(self) -> None:
        with self._lock:
            self._count -= 1
            self._last = time.monotonic()

    def wait_quiet(self, quiet: float, timeout: float) -> bool:
        """Wait until no request has come or gone for ``quiet`` seconds, ``timeout`` at most
        (steady traffic delays the work, never starves it); False if it timed out.

        Polls: a wake-up per request would cost every waiting thread more than the wait."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            with self._lock:
                busy, idle_for = self._count, now - self._last
            if not busy and idle_for >= quiet:
                return True
            if now >= deadline:
                return False
            time.sleep(min(deadline - now, quiet if busy else quiet - idle_for))


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    # Bolt runs lazy listeners here; sized for Web API calls that wait on the network.
    executor: TrackingExecutor = field(
        default_factory=lambda: TrackingExecutor(16, "sleeve-after-ack")
    )
    recorders: dict[str, Recorder] = field(default_factory=dict)
    requests: RequestGauge = field(default_factory=RequestGauge)
    templates: dict[str, FormatTemplate] = field(default_factory=lambda: load_templates(None))

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.tz

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return local_today(self.clock, self.tz)
