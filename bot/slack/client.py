"""The Web API client, and what a failed call means.

chat.postMessage has no idempotency key, so a resend after a lost answer can post twice.
The client therefore retries only what Slack cannot have acted on:

- 429 (Slack refused the call; the handler sleeps for Retry-After);
- 500/503 with backoff (Slack reports it failed the call);
- a connection that failed while the request was being sent (``URLError`` from urllib:
  connection refused, DNS, a reset before the body went out).

It does *not* retry a connection dropped or timed out after the request was sent (slack_sdk's
default handler does): Slack may have acted. The delivery engine decides what to do then
(``bot.slack.delivery``): send again later, or, for a message that must never go twice,
leave it in doubt for someone to check.
"""

from __future__ import annotations

import logging
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    RetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator

from bot.core.settings import Settings, SettingsError
from bot.mail.transport import MailTemporary

# Long enough that a slow Slack answers rather than leaving the outcome unknown.
WEB_API_TIMEOUT_S = 30


def retry_handlers(
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


def make_client(
    *,
    token: str | None,
    base_url: str,
    interval: RetryIntervalCalculator | None = None,
    timeout: int = WEB_API_TIMEOUT_S,
) -> WebClient:
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=retry_handlers(interval=interval),
    )


def client_for(settings: Settings, *, interval: RetryIntervalCalculator | None = None) -> WebClient:
    """A client with the bot token and Web API URL from settings (jobs and the CLI)."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return make_client(token=token, base_url=settings.slack_api_url, interval=interval)


def definitely_not_done(error: Exception) -> bool:
    """Whether Slack certainly did not act on a failed call (an answer came, or the request
    never left, or the SDK refused it before the part that acts): only then may a message
    that must not go twice be tried again. An upload that failed before
    files.completeUploadExternal raises SlackRequestError: nothing was shared. A mail server's
    4xx (or a failure before the message was handed over) is MailTemporary: nothing went."""
    return isinstance(error, SlackApiError | URLError | SlackRequestError | MailTemporary)


def describe(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        return f"HTTP {error.response.status_code}: {code or 'error'}"
    if isinstance(error, URLError):
        return f"not sent: {error.reason}"
    return f"{type(error).__name__}: {error}"


def check_token(settings: Settings) -> str:
    """Ask Slack who the bot token belongs to before serving; the team's name. A refused
    token or an unreachable Slack is a one-line SettingsError naming the fix."""
    # One try, quietly: the answer is the one line printed, not the SDK's log of each retry.
    quiet = logging.getLogger("sleeve.startup.slack")
    quiet.setLevel(logging.CRITICAL)
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None,
        base_url=settings.slack_api_url,
        timeout=10,
        logger=quiet,
        retry_handlers=[],
    )
    try:
        answer = client.auth_test()
    except SlackApiError as exc:
        code = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        raise SettingsError(
            f"SLACK_BOT_TOKEN: Slack refused it ({code or exc.response.status_code}); copy the "
            "Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page"
        ) from None
    except (URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise SettingsError(
            f"SLACK_API_URL: Slack can't be reached at {settings.slack_api_url} ({reason}); "
            "check the network, a proxy, or SLACK_API_URL"
        ) from None
    return str(answer.get("team") or "")


# What a user is told when Slack refuses a post, by Slack's error code.
REFUSAL_HINTS = {
    "channel_not_found": "the channel doesn't exist or Sleeve can't see it",
    "not_in_channel": "Sleeve isn't in that channel: /invite @Sleeve there",
    "is_archived": "the channel is archived",
    "ratelimited": "Slack is rate-limiting us; it will be tried again",
    "too_long": "it is longer than Slack allows",
}
