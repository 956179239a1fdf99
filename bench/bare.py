"""The baseline: a bare slack-bolt App that acks a signed slash command and does nothing else.

Same signing secret, ``process_before_response=True``, request verification on and token
verification against the same fake Slack as Sleeve. ``python -m bench.bare …`` serves it under
gunicorn with the configuration of ``bot.server.serve_http`` (gthread, 2 workers × 8 threads,
same timeouts and keep-alive) behind a WSGI wrapper of the same shape, so the HTTP baseline
differs from ``python -m bot serve`` only in the app.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

COMMANDS = ("/asset", "/release", "/approval", "/dept")


def bare_app(*, signing_secret: str, token: str, api_url: str) -> App:
    app = App(
        client=WebClient(token=token, base_url=api_url),
        signing_secret=signing_secret,
        process_before_response=True,
        request_verification_enabled=True,
        token_verification_enabled=True,
    )

    def ack_only(ack: Ack) -> None:
        ack()

    for command in COMMANDS:
        app.command(command)(ack_only)
    return app


def wsgi_app(app: App) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """The shape of bot.server.make_wsgi_app: /slack/events to Bolt, /healthz, else 404."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    slack = SlackRequestHandler(app, path="/slack/events")

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/slack/events":
            return slack(environ, start_response)
        status = "200 OK" if path == "/healthz" else "404 Not Found"
        data = json.dumps({"ok": path == "/healthz"}).encode()
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
        )
        return [data]

    return wsgi


def serve(app: App, *, port: int, workers: int, threads: int, log_level: str) -> None:
    """Sleeve's own gunicorn set-up (bot.server.run_gunicorn), without its worker hooks (the
    scheduler): a bare app has nothing to schedule."""
    from bot.server import run_gunicorn

    run_gunicorn(
        wsgi_app(app),
        bind=f"127.0.0.1:{port}",
        workers=workers,
        threads=threads,
        log_level=log_level,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--token", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    app = bare_app(signing_secret=args.secret, token=args.token, api_url=args.api_url)
    serve(app, port=args.port, workers=args.workers, threads=args.threads, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    sys.exit(main())
