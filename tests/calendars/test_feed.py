"""`/digest calendar` through signed requests, and the feed it links to served by `serve`."""

from __future__ import annotations

from datetime import timedelta

from bot.devtools.workspace import Workspace
from bot.storage.release_models import Release
from tests.calendars.support import calendar_link, event, fetch, is_all_day, parse, uids
from tests.conftest import TODAY
from tests.helpers import CORA, FAY, MIA, SAM, ack, assets, release_new


def scene(ws: Workspace) -> dict[str, int]:
    """Two releases (one cancelled), and assets owned by Mia, assigned to Fay, cancelled."""
    ack(
        release_new(
            ws, '"Midnight Tapes" artist:"The Vels" date:2027-05-14 format:digital catno:SLV-014'
        )
    )
    ack(release_new(ws, '"Shelved" artist:"The Vels" date:2027-06-04 format:digital catno:SLV-015'))
    ack(ws.command(CORA, "/release", 'cancel SLV-015 reason:"Shelved"'))
    ack(ws.command(MIA, "/asset", 'new "Flyer, A5; matte" kind:poster due:+10d'))
    ack(ws.command(CORA, "/asset", 'new "Tour poster" kind:poster due:+12d'))
    ack(ws.command(MIA, "/asset", 'new "Dropped sticker" kind:other due:+5d'))
    ids = {asset.title: asset.id for asset in assets(ws)}
    ack(ws.command(CORA, "/asset", f"assign A-{ids['Tour poster']} F-1"))
    ack(ws.command(CORA, "/asset", f'cancel A-{ids["Dropped sticker"]} reason:"dropped"'))
    with ws.runtime.db.read() as session:
        for release in session.query(Release):
            ids[release.catno] = release.id
    return ids


def test_a_member_sees_street_dates_and_only_their_own_assets(served: Workspace) -> None:
    ids = scene(served)
    url = calendar_link(served, MIA)
    calendar = parse(fetch(served, url))
    assert uids(calendar) == {
        f"release-{ids['SLV-014']}@sleeve",
        f"asset-{ids['Flyer, A5; matte']}@sleeve",
    }
    assert str(calendar["PRODID"]) == "-//Sleeve//Sleeve calendar//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Sleeve · street dates and my art"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/London"
    street = event(calendar, f"release-{ids['SLV-014']}@sleeve")
    assert is_all_day(street["start"]) and is_all_day(street["end"])
    assert (street["start"], street["end"]) == (
        TODAY.replace(2027, 5, 14),
        TODAY.replace(2027, 5, 15),
    )
    assert street["summary"] == "SLV-014 Midnight Tapes · street date"
    flyer = event(calendar, f"asset-{ids['Flyer, A5; matte']}@sleeve")
    assert flyer["start"] == TODAY + timedelta(days=10) and is_all_day(flyer["start"])
    assert flyer["end"] == TODAY + timedelta(days=11)
    # Commas and semicolons are escaped on the way out and read back as typed.
    assert flyer["summary"] == f"A-{ids['Flyer, A5; matte']} Flyer, A5; matte · due"
    assert flyer["description"].startswith("Stage: brief\nOwner: you\n")
    for component in calendar.walk("VEVENT"):
        assert component.decoded("DTSTAMP").tzinfo is not None


def test_a_freelancer_sees_what_they_are_assigned_and_a_coordinator_sees_everything(
    served: Workspace,
) -> None:
    ids = scene(served)
    fay = parse(fetch(served, calendar_link(served, FAY)))
    poster = f"asset-{ids['Tour poster']}@sleeve"
    assert uids(fay) == {f"release-{ids['SLV-014']}@sleeve", poster}
    described = event(fay, poster)["description"]
    assert "Owner: U0CORA" in described and "Freelancer: Fay Moreau (F-1)" in described
    cora = parse(fetch(served, calendar_link(served, CORA)))
    assert str(cora["X-WR-CALNAME"]) == "Sleeve · street dates and all art"
    live = {a.id for a in assets(served) if a.stage != "cancelled" and a.due is not None}
    expected = {f"asset-{i}@sleeve" for i in live} | {f"release-{ids['SLV-014']}@sleeve"}
    assert uids(cora) == expected
    # The cancelled release and the cancelled assets (its own and the sticker) are absent.
    assert f"release-{ids['SLV-015']}@sleeve" not in uids(cora)
    assert f"asset-{ids['Dropped sticker']}@sleeve" not in uids(cora)
    # Someone with nothing of their own still gets the street dates.
    sam = parse(fetch(served, calendar_link(served, SAM)))
    assert uids(sam) == {f"release-{ids['SLV-014']}@sleeve"}


def test_the_feed_follows_changes_and_the_link_stays_the_same(served: Workspace) -> None:
    ids = scene(served)
    url = calendar_link(served, MIA)
    assert calendar_link(served, MIA) == url  # asking again shows the same link
    ack(served.command(CORA, "/asset", f"owner A-{ids['Tour poster']} <@U0MIA|mia>"))
    ack(served.command(CORA, "/release", "move SLV-014 date:2027-06-01"))
    calendar = parse(fetch(served, url))
    assert f"asset-{ids['Tour poster']}@sleeve" in uids(calendar)
    assert event(calendar, f"release-{ids['SLV-014']}@sleeve")["start"] == TODAY.replace(2027, 6, 1)


def test_a_head_request_answers_headers_only(served: Workspace) -> None:
    url = calendar_link(served, MIA)
    fetched = fetch(served, url, method="HEAD")
    assert fetched.status == 200 and fetched.body == b""
    assert fetched.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert int(fetched.headers["Content-Length"]) > 0
    assert "no-store" in fetched.headers["Cache-Control"]
