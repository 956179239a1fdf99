"""The Web API client: Slack's base URL from settings and retries for the failures that pass."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    RetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator

WEB_API_TIMEOUT_S = 10


def retry_handlers(*, attempts: int = 3) -> list[RetryHandler]:
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        # Sleeps for Retry-After (plus jitter) before trying again.
        RateLimitErrorRetryHandler(max_retry_count=attempts),
        ServerErrorRetryHandler(max_retry_count=attempts, interval_calculator=backoff),
        ConnectionErrorRetryHandler(max_retry_count=attempts, interval_calculator=backoff),
    ]


def make_client(*, token: str | None, base_url: str) -> WebClient:
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=WEB_API_TIMEOUT_S,
        retry_handlers=retry_handlers(),
    )
