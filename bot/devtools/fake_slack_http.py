"""HTTP plumbing of the fake Slack: request parsing and a threaded local server.

The server hands each request to a ``dispatch`` callable and writes back its ``Reply``; a
``None`` reply closes the connection without a response, the way a dropped connection
looks to a client.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message as Headers
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

Body = dict[str, Any]
# Arguments that carry JSON: slack_sdk sends them as lists/objects in JSON bodies, while
# form bodies carry them as JSON strings.
JSON_ARGS = ("blocks", "attachments", "view", "metadata")


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


Dispatch = Callable[[str, Headers, bytes], "Reply | None"]


def parse_args(headers: Any, raw: bytes, query: str) -> tuple[Body, str | None, bool]:
    """Arguments (JSON ones decoded), the token, and whether the body could not be parsed."""
    args: Body = dict(parse_qsl(query, keep_blank_values=True))
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    try:
        if content_type == "application/json":
            parsed = json.loads(raw or b"{}")
            if not isinstance(parsed, dict):
                raise ValueError("not an object")
            args.update(parsed)
        elif raw:
            args.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    except (ValueError, UnicodeDecodeError):
        return args, None, True
    for key in JSON_ARGS:
        if isinstance(args.get(key), str):
            # Left as a string when it is not JSON: the method answers with the right error.
            with contextlib.suppress(ValueError):
                args[key] = json.loads(args[key])
    auth = headers.get("Authorization") or ""
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
    form_token = args.pop("token", None)
    return args, token or form_token, False


class _Handler(BaseHTTPRequestHandler):
    server: Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        reply = self.server.dispatch(self.path, self.headers, raw)
        if reply is None:
            # No status line at all: the client sees the connection closed under it.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        pass  # calls are recorded; per-request log lines would only clutter test output


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], dispatch: Dispatch) -> None:
        self.dispatch = dispatch
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gives up (timeouts, dropped-connection tests) is not a server bug.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)
