"""Feed links: only a hash is stored, a wrong or revoked secret gets 404, and no secret is
ever logged."""

from __future__ import annotations

import hashlib
import logging
import secrets

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.calendars import service as calendars
from bot.devtools.workspace import Workspace
from bot.storage.calendar_models import CalendarFeed
from tests.calendars.conftest import PUBLIC_URL
from tests.calendars.support import calendar_link, fetch, parse
from tests.helpers import MIA, SAM, ack, ack_text


def feeds(ws: Workspace) -> list[CalendarFeed]:
    with ws.runtime.db.read() as session:
        return list(session.scalars(select(CalendarFeed).order_by(CalendarFeed.id)))


def secret_of(url: str) -> str:
    return url.removeprefix(PUBLIC_URL + "/calendar/").removesuffix(".ics")


def test_the_store_keeps_a_hash_and_a_nonce_never_the_secret(served: Workspace) -> None:
    secret = secret_of(calendar_link(served, MIA))
    (feed,) = feeds(served)
    assert feed.user_id == MIA
    assert feed.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    row = " ".join(str(getattr(feed, c.key)) for c in CalendarFeed.__table__.columns)
    assert secret not in row
    # The nonce alone opens nothing: the secret needs the server's key too.
    assert fetch(served, f"/calendar/{feed.nonce}.ics").status == 404


def test_a_wrong_or_malformed_secret_gets_a_short_404(served: Workspace) -> None:
    url = calendar_link(served, MIA)
    secret = secret_of(url)
    guessed = secrets.token_urlsafe(32)
    wrong = [
        f"/calendar/{guessed}.ics",
        f"/calendar/{secret[:-1]}.ics",
        f"/calendar/{secret}",
        f"/calendar/{secret}.ics/",
        f"/calendar/{secret}.ICS",
        f"/calendar/{secret}.ics.ics",
        f"/calendar/../calendar/{secret}.ics",
        "/calendar/",
        "/calendar/%00.ics",
        "/calendar/" + "A" * 5000 + ".ics",
    ]
    for path in wrong:
        fetched = fetch(served, path)
        assert (fetched.status, fetched.body) == (404, b"Not found\n"), path
        assert fetched.headers["Content-Type"] == "text/plain; charset=utf-8"
    posted = fetch(served, url, method="POST")
    assert posted.status == 405 and posted.headers["Allow"] == "GET, HEAD"
    assert fetch(served, url).status == 200


def test_reset_gives_a_new_link_and_the_old_one_stops_working(served: Workspace) -> None:
    old = calendar_link(served, MIA)
    text = ack(served.command(MIA, "/digest", "calendar reset"))["text"]
    assert text.startswith("Your old calendar link no longer works. The new one: <")
    new = calendar_link(served, MIA, "calendar")
    assert new != old and new in text
    assert fetch(served, old).status == 404
    parse(fetch(served, new))
    assert len(feeds(served)) == 1  # rotated in place
    # Sam's link is Sam's own, and Mia's reset left it alone.
    sam = calendar_link(served, SAM)
    assert sam not in (old, new)
    ack(served.command(MIA, "/digest", "calendar reset"))
    assert fetch(served, sam).status == 200 and fetch(served, new).status == 404


def test_a_new_signing_secret_gives_a_new_link_when_next_asked(served: Workspace) -> None:
    old = calendar_link(served, MIA)
    rotated = served.runtime.settings.model_copy(
        update={"slack_signing_secret": SecretStr(secrets.token_hex(16))}
    )
    with served.runtime.db.write() as session:
        key = calendars.feed_key(rotated)
        feed = calendars.current(session, user_id=MIA, key=key, now=served.runtime.now())
    assert feed.issued is calendars.Issued.REPLACED
    assert fetch(served, old).status == 404
    assert fetch(served, f"/calendar/{feed.secret}.ics").status == 200
    with served.runtime.db.write() as session:
        again = calendars.current(session, user_id=MIA, key=key, now=served.runtime.now())
    assert again == calendars.Feed(feed.secret, calendars.Issued.SAME)
    # Back under the workspace's own key, Mia is told her link changed.
    text = ack(served.command(MIA, "/digest", "calendar"))["text"]
    assert text.startswith("Your calendar has a new link (Sleeve's signing secret changed")
    assert fetch(served, f"/calendar/{feed.secret}.ics").status == 404
    assert calendar_link(served, MIA) in text


def test_without_a_public_address_the_reply_says_an_admin_must_set_it(
    workspace: Workspace,
) -> None:
    text = ack_text(workspace.command(MIA, "/digest", "calendar"))
    assert text.startswith("Calendar links need the address Sleeve is reached at: an admin must")
    assert "`SLEEVE_PUBLIC_URL`" in text and "http" not in text
    assert feeds(workspace) == []  # nothing made that can't be shown
    text = ack_text(workspace.command(MIA, "/digest", "calendar reset"))
    assert text.startswith("Your old calendar link no longer works. Calendar links need")


@pytest.mark.parametrize("text", ["calendar now", "calendar reset please", "calendar on"])
def test_calendar_takes_nothing_or_reset(served: Workspace, text: str) -> None:
    reply = ack_text(served.command(MIA, "/digest", text))
    assert reply.startswith("`/digest calendar` takes nothing, or `reset`. Usage:")
    assert "`/digest calendar [reset]`" in reply
    assert feeds(served) == []


def test_no_secret_reaches_the_log(served: Workspace, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    url = calendar_link(served, MIA)
    reset = calendar_link(served, MIA, "calendar reset")
    for link in (url, reset):
        fetch(served, link)
        fetch(served, link, method="HEAD")
        fetch(served, link, method="POST")
    served.settle()
    for secret in (secret_of(url), secret_of(reset)):
        assert secret not in caplog.text


def test_a_failing_feed_answers_503_with_one_line_and_no_secret(
    served: Workspace, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = calendar_link(served, MIA)

    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError(f"database gone while serving {url}")

    monkeypatch.setattr("bot.calendars.feed.person_feed", broken)
    caplog.set_level(logging.DEBUG)
    fetched = fetch(served, url)
    assert (fetched.status, fetched.body) == (503, b"Try again later\n")
    assert [r.getMessage() for r in caplog.records] == ["calendar feed failed: RuntimeError"]
    assert secret_of(url) not in caplog.text and "Traceback" not in caplog.text
