"""Reading calendar links out of replies, and fetching feeds through `serve`'s WSGI app."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults

from icalendar import Calendar

from bot.devtools.workspace import Workspace
from bot.server import make_wsgi_app
from tests.calendars.conftest import PUBLIC_URL
from tests.helpers import ack

_LINK = re.compile(r"<(https?://[^<>|]+\.ics)>")


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes


def calendar_link(ws: Workspace, user: str, text: str = "calendar") -> str:
    """The feed URL in the reply to ``/digest <text>``."""
    reply = ack(ws.command(user, "/digest", text))
    assert reply.get("response_type") == "ephemeral", reply
    (url,) = _LINK.findall(reply["text"])
    assert url.startswith(PUBLIC_URL + "/calendar/"), url
    return url


def fetch(ws: Workspace, url_or_path: str, *, method: str = "GET") -> Fetched:
    """One request through the WSGI app `serve` runs under gunicorn."""
    path = urlsplit(url_or_path).path
    environ: dict[str, object] = {"REQUEST_METHOD": method, "PATH_INFO": path}
    setup_testing_defaults(environ)
    started: list[tuple[str, list[tuple[str, str]]]] = []
    body = b"".join(
        make_wsgi_app(ws.app, ws.runtime)(
            environ, lambda status, headers: started.append((status, headers))
        )
    )
    status, headers = started[0]
    return Fetched(int(status.split()[0]), dict(headers), body)


def parse(fetched: Fetched) -> Calendar:
    assert fetched.status == 200, fetched.body
    assert fetched.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(fetched.body)


def uids(calendar: Calendar) -> set[str]:
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def event(calendar: Calendar, uid: str) -> dict[str, object]:
    (found,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == uid]
    return {
        "start": found.decoded("DTSTART"),
        "end": found.decoded("DTEND"),
        "summary": str(found["SUMMARY"]),
        "description": str(found["DESCRIPTION"]),
    }


def is_all_day(value: object) -> bool:
    # A datetime is a date too: only a bare date is an all-day DATE value.
    return type(value) is date
