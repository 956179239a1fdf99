"""Faults the fake Slack can be told to inject: error answers, dropped connections,
latency, and chat.postMessage's per-channel rate limit."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from bot.devtools.fake_slack_http import Reply
from bot.devtools.fake_slack_models import Body, error
from bot.devtools.fake_slack_rates import ChannelRateLimit


@dataclass
class _Fault:
    method: str | None  # None: whichever call comes next
    times: int
    status: int = 0  # 0: drop the connection
    retry_after: int | None = None
    error: str = "ratelimited"


class FaultInjection:
    """Mixed into ``FakeSlack``, whose state and call record these methods use."""

    state: Any
    _faults: list[_Fault]
    _latency: dict[str | None, float]
    _post_rate: ChannelRateLimit | None
    _record: Callable[[str, Body, int, Any, str | None], None]

    def fail_next(
        self,
        method: str | None = None,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        error: str = "ratelimited",
    ) -> None:
        """Answer the next ``times`` calls (of ``method``, or any) with an error.

        429 carries ``Retry-After`` and Slack's JSON body, 5xx a plain-text body, and any
        other status (200 included) ``{"ok": false, "error": error}``.
        """
        with self.state.lock:
            self._faults.append(_Fault(method, times, status, retry_after, error))

    def drop_connection_next(self, method: str | None = None, times: int = 1) -> None:
        """Close the socket without answering the next ``times`` calls."""
        with self.state.lock:
            self._faults.append(_Fault(method, times))

    def limit_posts_per_channel(self, seconds: float | None = 1.0) -> None:
        """Answer 429 to a chat.postMessage sooner than ``seconds`` after the last one
        accepted in the same channel; None turns the limit off."""
        self._post_rate = ChannelRateLimit(seconds) if seconds else None

    def latency(self, seconds: float, method: str | None = None) -> None:
        """Delay every later call (of ``method``, or every method) by ``seconds``; 0 clears it."""
        self._latency[method] = max(0.0, seconds)

    def _delay(self, method: str) -> float:
        return self._latency.get(method) or self._latency.get(None) or 0.0

    def _take_fault(self, method: str) -> _Fault | None:
        with self.state.lock:
            for fault in self._faults:
                if fault.method in (None, method):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _rate_fault(self, method: str, args: Body) -> _Fault | None:
        if self._post_rate is None or method != "chat.postMessage":
            return None
        with self.state.lock:
            channel = self.state.channel(args.get("channel"))
        if channel is None:
            return None
        wait = self._post_rate.retry_after(channel.id)
        return None if wait is None else _Fault(method, 1, 429, wait, "ratelimited")

    def _fault_reply(self, method: str, args: Body, fault: _Fault) -> Reply | None:
        if fault.status == 0:
            self._record(method, args, 0, None, "dropped")
            return None
        headers = {"Content-Type": "application/json"}
        if fault.status >= 500:
            text = f"{fault.status} {HTTPStatus(fault.status).phrase}"
            self._record(method, args, fault.status, text, "injected")
            return Reply(fault.status, text.encode(), {"Content-Type": "text/plain"})
        if fault.status == 429 and fault.retry_after is not None:
            headers["Retry-After"] = str(fault.retry_after)
        body = error(fault.error)
        self._record(method, args, fault.status, body, "injected")
        return Reply(fault.status, json.dumps(body).encode(), headers)
