"""Pacing sends to Slack's per-channel rate: about one message a second in each channel.

Each process keeps the next free slot of every channel it posts to; a sender reserves a slot
and waits for it, so messages to one channel go out a second apart while messages to
different channels (a fan-out of DMs) go out at once. The slot after a message is counted
from Slack's answer, not from the request, so network jitter never brings two messages
closer than the interval where Slack counts them. A 429 pushes the channel's next slot past
its Retry-After.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# Keep at most this many channels' slots; older, free slots are forgotten first.
_REMEMBERED = 4096


class ChannelPacer:
    def __init__(
        self,
        interval: float = 1.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_free: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> float:
        """Wait for the channel's next slot and take it; returns the seconds waited."""
        if self.interval <= 0:
            return 0.0
        with self._lock:
            now = self._monotonic()
            slot = max(now, self._next_free.get(channel, now))
            self._next_free[channel] = slot + self.interval
            if len(self._next_free) > _REMEMBERED:
                self._forget(now)
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return delay

    def take_if_free(self, channel: str) -> float:
        """Take the channel's slot if it is free now (0.0); otherwise take nothing and return
        the seconds until it is. For redraws: whoever finds the slot free sends the newest
        state, so waiting in line for a slot of one's own would only send stale ones."""
        if self.interval <= 0:
            return 0.0
        with self._lock:
            now = self._monotonic()
            free_at = self._next_free.get(channel, now)
            if free_at > now:
                return free_at - now
            self._next_free[channel] = now + self.interval
            return 0.0

    def pause(self, seconds: float) -> None:
        self._sleep(seconds)

    def sent(self, channel: str) -> None:
        """Slack has answered the message: the next one waits a whole interval from now."""
        if self.interval > 0:
            self.defer(channel, self.interval)

    def defer(self, channel: str, seconds: float) -> None:
        """Slack asked us to wait (Retry-After): nothing goes to the channel before then."""
        with self._lock:
            until = self._monotonic() + max(0.0, seconds)
            self._next_free[channel] = max(self._next_free.get(channel, until), until)

    def _forget(self, now: float) -> None:
        for channel in [c for c, free in self._next_free.items() if free <= now]:
            del self._next_free[channel]
