"""chat.postMessage's rate limit as Slack documents it: about one message a second in each
channel. Off by default; a test or the bench turns it on to see how a sender paces itself."""

from __future__ import annotations

import math
import threading
import time


class ChannelRateLimit:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def retry_after(self, channel_id: str) -> int | None:
        """None when a message to the channel is accepted now (and counted); otherwise the
        whole seconds to wait, as Slack's Retry-After header gives them."""
        now = time.monotonic()
        with self._lock:
            last = self._last.get(channel_id)
            if last is not None and now - last < self.seconds:
                return max(1, math.ceil(self.seconds - (now - last)))
            self._last[channel_id] = now
            return None
