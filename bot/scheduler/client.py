"""The Web API client digests are posted with, and what a failed call means.

chat.postMessage has no idempotency key, so a resend after a lost response can post twice.
This client therefore retries only what Slack cannot have acted on:

- 429 (Slack refused the call; the handler sleeps for Retry-After);
- 500/503 with backoff (Slack reports it failed the call);
- a connection that failed while the request was being sent (``URLError`` from urllib:
  connection refused, DNS, a reset before the body went out).

It does *not* retry a connection dropped or timed out after the request was sent (slack_sdk's
default handler does): Slack may have posted, and only the claim's *sending* state, which
is never posted again automatically, keeps that day from getting two digests.
"""

from __future__ import annotations

from enum import Enum
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    RetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator

from bot.core.settings import Settings

# Long enough that a slow Slack answers rather than leaving the outcome unknown.
DIGEST_TIMEOUT_S = 30


class Outcome(Enum):
    FAILED = "failed"  # Slack did not post: safe to try again
    UNCERTAIN = "uncertain"  # Slack may have posted: never try again on its own


def digest_retry_handlers(
    *, attempts: int = 3, interval: RetryIntervalCalculator | None = None
) -> list[RetryHandler]:
    # Exponential backoff with up to a second of jitter, so replicas do not retry in step.
    interval = interval or BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        RateLimitErrorRetryHandler(max_retry_count=attempts),
        ServerErrorRetryHandler(max_retry_count=attempts, interval_calculator=interval),
        # URLError only: urllib wraps errors raised while connecting and sending the request;
        # errors while waiting for the answer (RemoteDisconnected, timeouts) pass unwrapped.
        ConnectionErrorRetryHandler(
            max_retry_count=attempts, interval_calculator=interval, error_types=[URLError]
        ),
    ]


def make_digest_client(
    settings: Settings,
    *,
    attempts: int = 3,
    interval: RetryIntervalCalculator | None = None,
    timeout: int = DIGEST_TIMEOUT_S,
) -> WebClient:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        retry_handlers=digest_retry_handlers(attempts=attempts, interval=interval),
    )


def classify(error: Exception) -> tuple[Outcome, str]:
    """Whether a failed Web API call can be retried without risking a second post."""
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        return Outcome.FAILED, f"HTTP {status}: {code or 'error'}"
    if isinstance(error, URLError):
        return Outcome.FAILED, f"not sent: {error.reason}"
    return Outcome.UNCERTAIN, f"{type(error).__name__}: {error}"
