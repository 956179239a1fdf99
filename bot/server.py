"""`serve`: Slack's HTTP endpoint under gunicorn, or Socket Mode."""

from __future__ import annotations

import json
import logging
import signal
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

if TYPE_CHECKING:
    # Only for hints: the benchmark's bare Bolt app imports run_gunicorn from here, and
    # must not carry Sleeve's runtime (and its ORM) into its memory figures.
    from bot.runtime import Runtime

logger = logging.getLogger("sleeve.server")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# A person's calendar feed: /calendar/<secret>.ics (bot.calendars.service).
CALENDAR_PREFIX = "/calendar/"

StartResponse = Callable[..., Any]


def make_wsgi_app(
    app: App, runtime: Runtime
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == EVENTS_PATH:
            try:
                return slack(environ, start_response)
            except Exception as exc:
                # A body Bolt can't even parse (say, payload=not-json): the sender's fault.
                # One line: a flood of them must not flood the log with tracebacks.
                logger.warning("refused an unreadable request (%s)", type(exc).__name__)
                return _plain(
                    start_response, "400 Bad Request", {"ok": False, "error": "malformed"}
                )
        if path == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return _health(runtime, start_response)
        if path.startswith(CALENDAR_PREFIX):
            return _calendar(runtime, environ, path, start_response)
        return _plain(start_response, "404 Not Found", {"ok": False, "error": "not_found"})

    return wsgi


def _health(runtime: Runtime, start_response: StartResponse) -> Iterable[bytes]:
    try:
        runtime.db.ping()
    except Exception as exc:
        logger.warning("health check failed: %s", type(exc).__name__)
        return _plain(start_response, "503 Service Unavailable", {"ok": False, "database": "down"})
    return _plain(start_response, "200 OK", {"ok": True, "database": "up"})


def _calendar(
    runtime: Runtime, environ: dict[str, Any], path: str, start_response: StartResponse
) -> Iterable[bytes]:
    """A calendar feed. The path holds a secret: nothing here logs it, and nothing may
    raise, since gunicorn logs the URI of a request whose app raised."""
    method = environ.get("REQUEST_METHOD")
    if method not in ("GET", "HEAD"):
        return _text(start_response, "405 Method Not Allowed", b"Method not allowed\n", allow=True)
    try:
        body = _calendar_body(runtime, path)
    except Exception as exc:
        logger.warning("calendar feed failed: %s", type(exc).__name__)
        return _text(start_response, "503 Service Unavailable", b"Try again later\n")
    if body is None:
        return _text(start_response, "404 Not Found", b"Not found\n")
    headers = [
        ("Content-Type", "text/calendar; charset=utf-8"),
        ("Content-Length", str(len(body))),
        # The URL is the credential: no shared cache may keep a copy.
        ("Cache-Control", "private, no-store"),
        ("Referrer-Policy", "no-referrer"),
    ]
    start_response("200 OK", headers)
    return [] if method == "HEAD" else [body]


def _calendar_body(runtime: Runtime, path: str) -> bytes | None:
    """The feed's iCalendar text, or None for a path that opens no feed."""
    # Imported on first use: the benchmark's bare Bolt app imports this module.
    from bot.calendars import service as calendars
    from bot.calendars.feed import person_feed

    secret = calendars.secret_from_path(path)
    if secret is None:
        return None
    with runtime.db.read() as session:
        user_id = calendars.owner_of(session, secret)
        if user_id is None:
            return None
        settings = runtime.settings
        return person_feed(session, user_id=user_id, now=runtime.now(), timezone=settings.timezone)


def _text(
    start_response: StartResponse, status: str, body: bytes, *, allow: bool = False
) -> list[bytes]:
    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
    ]
    if allow:
        headers.append(("Allow", "GET, HEAD"))
    start_response(status, headers)
    return [body]


def _plain(start_response: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def run_gunicorn(
    wsgi: Any,
    *,
    bind: str,
    workers: int,
    threads: int,
    log_level: str,
    hooks: dict[str, Any] | None = None,
) -> None:
    """gunicorn with threaded workers; the benchmark's bare Bolt app runs under the same."""
    from gunicorn.app.base import BaseApplication

    settings: dict[str, Any] = {
        "bind": bind,
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None,
        "loglevel": log_level.lower(),
        **(hooks or {}),
    }

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return wsgi

    # gunicorn parses sys.argv; hand it nothing of ours.
    sys.argv = sys.argv[:1]
    Server().run()


def serve_http(
    app: App, runtime: Runtime, *, host: str, port: int, workers: int, threads: int
) -> None:
    def _after_fork(_server: Any, _worker: Any) -> None:
        # Pooled connections must not be shared with the parent process.
        runtime.db.engine.dispose(close=False)

    # Digests (and the outbox and reminder jobs) are scheduled in each worker, not the master:
    # the master forks (and re-forks after a crash), and forking a process that runs threads
    # can deadlock the child. Every worker sweeps; the outbox's digest keys decide who sends.
    digests: list[Any] = []

    def _start_digests(_worker: Any) -> None:
        from bot.scheduler import DigestScheduler

        digests.append(DigestScheduler(runtime, app.client).keep_house().start())

    def _stop_digests(_server: Any, _worker: Any) -> None:
        # Called in the worker on a graceful exit (SIGTERM); a running sweep finishes first.
        while digests:
            digests.pop().stop()

    wsgi = make_wsgi_app(app, runtime)
    run_gunicorn(
        wsgi,
        bind=f"{host}:{port}",
        workers=workers,
        threads=threads,
        log_level=runtime.settings.log_level,
        hooks={
            "post_fork": _after_fork,
            "post_worker_init": _start_digests,
            "worker_exit": _stop_digests,
        },
    )


def serve_socket(app: App, app_token: str) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, app_token)

    def stop(_signum: int, _frame: Any) -> None:
        logger.info("stopping Socket Mode")
        handler.close()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    handler.start()
