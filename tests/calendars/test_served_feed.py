"""A calendar link from a real `serve` process, fetched over HTTP; its secret stays out of
the log at INFO (gunicorn's access log is off, and nothing of Sleeve's logs the path)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.devtools import demo
from bot.devtools.fake_slack import FakeSlack
from tests.e2e.support import command_form, send, start_serve, stop, wait_healthy

PUBLIC = "https://sleeve.example.com"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        demo.install_directory(fake)
        yield fake


def get(port: int, path: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def link(port: int, text: str) -> str:
    status, body, _ = send(port, command_form("/digest", text, user="U0MIA"))
    assert status == 200, body
    (found,) = re.findall(r"<(https://[^<>]+\.ics)>", body)
    return found.removeprefix(PUBLIC)


def test_serve_serves_the_feed_and_logs_no_secret(fake: FakeSlack, tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'sleeve.db'}"
    extra = {"SLEEVE_PUBLIC_URL": PUBLIC, "SLEEVE_TIMEZONE": "Europe/London"}
    process, port = start_serve(fake, database_url, tmp_path, log_level="INFO", extra_env=extra)
    try:
        wait_healthy(port, process)
        assert (
            send(port, command_form("/asset", 'new "Poster" kind:poster due:+7d', "U0MIA"))[0]
            == 200
        )
        first = link(port, "calendar")
        status, kind, body = get(port, first)
        assert (status, kind) == (200, "text/calendar; charset=utf-8")
        (event,) = Calendar.from_ical(body).walk("VEVENT")
        assert str(event["UID"]) == "asset-1@sleeve"
        second = link(port, "calendar reset")
        assert get(port, first)[:2] == (404, "text/plain; charset=utf-8")
        assert get(port, second)[0] == 200
        assert get(port, "/calendar/not-a-secret.ics")[0] == 404
    finally:
        output = stop(process)
    assert "Booting worker" in output, "the session really logged at INFO"
    for path in (first, second):
        secret = path.removeprefix("/calendar/").removesuffix(".ics")
        assert secret not in output
