"""What every listener and job needs: settings, the database, the clock, background workers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.core.clock import Clock, SystemClock, local_today
from bot.core.pacing import ChannelPacer
from bot.core.settings import Settings
from bot.domain.critical_path import StageDays
from bot.domain.templates import FormatTemplate, load_templates, stage_days
from bot.storage.db import Database

if TYPE_CHECKING:
    from email.message import EmailMessage

    from sqlalchemy.orm import Session

# Called in the transaction that records a sent Post: (session, record_id, channel, ts).
Recorder = Callable[["Session", int, str, str], None]
# Builds a view for a person when it is published (their App Home): user id -> view.
Publisher = Callable[[str], dict[str, Any]]
# Hands one e-mail to the mail server (raises bot.mail.transport's errors); None: no mail.
Mailer = Callable[["EmailMessage"], None]


class TrackingExecutor(Executor):
    """The thread pool for work after the ack, which can also say when all the work given
    to it has finished (the shell and the tests wait for that)."""

    def __init__(self, max_workers: int, thread_name_prefix: str) -> None:
        self._pool = ThreadPoolExecutor(max_workers, thread_name_prefix=thread_name_prefix)
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._pending += 1
        future = self._pool.submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    # Work after the ack; sized for Web API calls that wait on the network.
    executor: TrackingExecutor = field(
        default_factory=lambda: TrackingExecutor(16, "sleeve-after-ack")
    )
    recorders: dict[str, Recorder] = field(default_factory=dict)
    publishers: dict[str, Publisher] = field(default_factory=dict)
    mailer: Mailer | None = None
    templates: dict[str, FormatTemplate] = field(default_factory=lambda: load_templates(None))
    # How long each stage takes (the critical path), from the same file as the templates.
    stage_days: StageDays = field(default_factory=lambda: stage_days(None))
    # Posts to one channel go out about a second apart (Slack's chat.postMessage rate).
    pacer: ChannelPacer = field(default_factory=ChannelPacer)
    # One instance per runtime of what higher layers share between listeners and jobs
    # (the preflight pool), created on first use under ``shared_lock``.
    shared: dict[str, Any] = field(default_factory=dict)
    shared_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.tz

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return local_today(self.clock, self.tz)
