"""Small readers for test assertions: what the ack said, what the store holds."""

from __future__ import annotations

import io
import json
import re
from typing import IO, Any

from slack_bolt import BoltResponse
from sqlalchemy import func, select

from bot.devtools import demo
from bot.devtools.driver import signed_headers
from bot.devtools.workspace import Workspace
from bot.storage.asset_models import Asset
from bot.storage.audit_models import AuditEntry
from bot.storage.base import Base
from bot.storage.release_models import Release

CORA, MIA, MEG, SAM, FAY = "U0CORA", "U0MIA", "U0MEG", "U0SAM", "U0FAY"


def ack(response: BoltResponse) -> dict[str, Any]:
    assert response.status == 200, response.body
    return json.loads(response.body) if response.body else {}


def ack_text(response: BoltResponse) -> str:
    body = ack(response)
    return body.get("text", "") + json.dumps(body.get("blocks", []), ensure_ascii=False)


def count(ws: Workspace, model: type[Base]) -> int:
    with ws.runtime.db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def counts(ws: Workspace) -> tuple[int, int, int]:
    return count(ws, Release), count(ws, Asset), count(ws, AuditEntry)


def assets(ws: Workspace) -> list[Asset]:
    with ws.runtime.db.read() as session:
        return list(session.scalars(select(Asset).order_by(Asset.id)))


def release_new(ws: Workspace, text: str, user: str = CORA) -> BoltResponse:
    return ws.command(user, "/release", f"new {text}")


def mrkdwn_texts(text: str, blocks: list[dict[str, Any]] | None) -> list[str]:
    """Every string Slack parses for mentions and links: the top-level text and every mrkdwn
    text object. (plain_text objects are shown as typed and never ping anyone.)"""
    found = [text]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks or [])
    return found


# Markup Sleeve itself writes: a member's mention, a channel link, a user group, a web link.
_OWN_MARKUP = re.compile(
    r"<(?:@(U[A-Z0-9]+)|#C[A-Z0-9]+(?:\|[^<>]*)?|!subteam\^S[A-Z0-9]+|https?://[^<>\s]+)>"
)
_ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")


def assert_pings_no_one(
    text: str, blocks: list[dict[str, Any]] | None, members: frozenset[str] | None = None
) -> None:
    """Every ``<…>`` in what Slack parses is Sleeve's own markup, mentioning only workspace
    members (``members``, the demo's by default); every ``&`` starts a whole entity."""
    known = members if members is not None else frozenset(u.user_id for u in demo.USERS)
    for shown in mrkdwn_texts(text, blocks):
        for match in _OWN_MARKUP.finditer(shown):
            assert match.group(1) is None or match.group(1) in known, (match.group(0), shown)
        leftover = re.sub(r"(?m)^> ", "", _OWN_MARKUP.sub("", shown))  # a quote is markup too
        assert "<" not in leftover and ">" not in leftover, shown
        assert not _ENTITY.search(shown), shown


def wsgi_post(
    ws: Workspace, body: str, *, signed: bool = True, stream: IO[bytes] | None = None
) -> int:
    """POST through the same WSGI app that `serve` runs under gunicorn; its status code.

    ``stream``, if given, is read for the body instead (a client still sending it)."""
    from bot.server import make_wsgi_app

    headers = signed_headers(ws.driver.secret if signed else "wrong", body)
    raw = body.encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/slack/events",
        "QUERY_STRING": "",
        "CONTENT_TYPE": headers["content-type"],
        "CONTENT_LENGTH": str(len(raw)),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": headers["x-slack-request-timestamp"],
        "HTTP_X_SLACK_SIGNATURE": headers["x-slack-signature"],
        "wsgi.input": stream or io.BytesIO(raw),
        "wsgi.url_scheme": "http",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "3000",
    }
    seen: list[str] = []
    b"".join(make_wsgi_app(ws.app, ws.runtime)(environ, lambda status, _h: seen.append(status)))
    return int(seen[0].split()[0])
