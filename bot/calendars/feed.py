"""The iCalendar document: street dates and due dates as all-day events.

Built with the ``icalendar`` library, which escapes text, folds long lines and writes
CRLF as RFC 5545 asks; calendar apps are strict readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from bot.calendars.reads import DueDate, StreetDate, due_dates, street_dates
from bot.departments.actors import actor_for

PRODID = "-//Sleeve//Sleeve calendar//EN"
UID_DOMAIN = "sleeve"
# Calendar apps poll a subscribed feed; hourly keeps due dates fresh without hammering it.
REFRESH = timedelta(hours=1)
ONE_DAY = timedelta(days=1)

PERSONAL_NAME = "Sleeve · street dates and my art"
COORDINATOR_NAME = "Sleeve · street dates and all art"
CATALOGUE_NAME = "Sleeve · the whole catalogue"


def person_feed(session: Session, *, user_id: str, now: datetime, timezone: str) -> bytes:
    """What ``user_id``'s feed shows now: a coordinator sees every asset, anyone else their
    own. Their role is read at each fetch, so a change of department shows at the next."""
    coordinator = actor_for(session, user_id).is_coordinator
    return build(
        street_dates(session),
        due_dates(session, of=None if coordinator else user_id),
        name=COORDINATOR_NAME if coordinator else PERSONAL_NAME,
        timezone=timezone,
        now=now,
        viewer=user_id,
    )


def catalogue_feed(session: Session, *, now: datetime, timezone: str) -> bytes:
    """Every street date and every asset's due date (`export --format ics`)."""
    return build(
        street_dates(session),
        due_dates(session, of=None),
        name=CATALOGUE_NAME,
        timezone=timezone,
        now=now,
    )


def build(
    releases: Sequence[StreetDate],
    assets: Sequence[DueDate],
    *,
    name: str,
    timezone: str,
    now: datetime,
    viewer: str | None = None,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # the same, for Outlook
    for release in releases:
        calendar.add_component(_release_event(release, now))
    for asset in assets:
        calendar.add_component(_asset_event(asset, now, viewer))
    return calendar.to_ical()


def _all_day(uid: str, day: date, now: datetime, modified: datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")  # stable, so an update replaces the event
    event.add("dtstamp", now)
    event.add("dtstart", day)  # a date: an all-day event, the same day in every time zone
    event.add("dtend", day + ONE_DAY)
    event.add("last-modified", modified)
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: it doesn't block time
    return event


def _release_event(release: StreetDate, now: datetime) -> Event:
    event = _all_day(f"release-{release.release_id}", release.street_date, now, release.updated_at)
    event.add("summary", f"{release.catno} {release.title} · street date")
    formats = ", ".join(key for key in release.formats.split(",") if key) or "none"
    event.add(
        "description",
        f"Street date of {release.title} by {release.artist}\nFormats: {formats}",
    )
    event.add("categories", ["Street date"])
    return event


def _asset_event(asset: DueDate, now: datetime, viewer: str | None) -> Event:
    event = _all_day(f"asset-{asset.asset_id}", asset.due, now, asset.updated_at)
    event.add("summary", f"A-{asset.asset_id} {asset.title} · due")
    lines = [
        f"Stage: {asset.stage.replace('_', ' ')}",
        f"Owner: {_owner(asset.owner_id, viewer)}",
    ]
    if asset.freelancer_id is not None:
        lines.append(f"Freelancer: {asset.freelancer_name} (F-{asset.freelancer_id})")
    if asset.release_catno is not None:
        lines.append(f"Release: {asset.release_catno} {asset.release_title}")
    lines.append(f"Kind: {asset.kind} · priority {asset.priority}")
    event.add("description", "\n".join(lines))
    event.add("categories", ["Asset due"])
    return event


def _owner(owner_id: str | None, viewer: str | None) -> str:
    if owner_id is None:
        return "nobody"
    # Slack user ids are all the store knows of a person; the feed's own reader is "you".
    return "you" if owner_id == viewer else owner_id
