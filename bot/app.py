"""build_app: the Bolt app with every listener, the global error handler and the Web API client."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from bot.approvals import listeners as approvals
from bot.commands.register import register_commands
from bot.departments.work import WorkOpener
from bot.home import listeners as home
from bot.labelcopy import listeners as labelcopy
from bot.proofs import listeners as proofs
from bot.purchasing import listeners as purchasing
from bot.runtime import Runtime
from bot.slack.client import make_client
from bot.slack.errors import make_error_handler
from bot.slack.guard import GuardedApp
from bot.slack.middleware import work_middleware


def _token_beside_client(record: logging.LogRecord) -> bool:
    """Bolt reads SLACK_BOT_TOKEN from the environment even when it is given a client, and
    warns that the token is unused; the client carries that very token."""
    return record.getMessage() != warning_client_prioritized_and_token_skipped()


def build_app(
    runtime: Runtime,
    *,
    client: WebClient | None = None,
    token_verification: bool = True,
) -> App:
    """Request verification is always on; the ack never waits on the Web API.

    ``process_before_response=True`` runs the listener inline and answers as soon as it
    returns; Web API work happens after the ack on the runtime's executor.
    """
    settings = runtime.settings
    settings.require("slack_signing_secret")
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    # Bolt formats a debug line for every middleware and listener of every request unless
    # its logger's own level is above DEBUG; an unset level (0) counts as DEBUG there.
    bolt_logger = logging.getLogger("sleeve.bolt")
    bolt_logger.setLevel(settings.log_level)
    bolt_logger.addFilter(_token_beside_client)
    app = GuardedApp(
        client=client or make_client(token=token, base_url=settings.slack_api_url),
        signing_secret=settings.slack_signing_secret.get_secret_value(),  # type: ignore[union-attr]
        process_before_response=True,
        request_verification_enabled=True,
        token_verification_enabled=token_verification,
        listener_executor=runtime.executor,
        logger=bolt_logger,
    )
    app.error(make_error_handler(runtime.executor))
    # Every listener gets the way to open its request's one unit of work.
    app.use(work_middleware(lambda user_id: WorkOpener(runtime, user_id)))
    # Bolt tries listeners in this order: the busiest first.
    register_commands(app, runtime)
    approvals.register(app, runtime)
    home.register(app, runtime)
    proofs.register(app, runtime)
    labelcopy.register(app, runtime)
    purchasing.register(app, runtime)
    return app
