"""The vendor list: pressing plants, printers, merch makers and distributors.

Values arrive as typed (``key:value`` options or CSV cells) and are checked here, so the
slash commands and the CSV import share one set of rules. Every change is audited under
entity "vendor". Vendors are archived, never deleted: their orders and invoices stay.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.errors import ConflictError, NotFoundError, ValidationError, echo
from bot.domain import contact, money
from bot.domain.actors import Actor
from bot.purchasing.access import require_purchasing
from bot.storage import audit
from bot.storage.purchasing_models import VENDOR_KINDS, Vendor

ENTITY = "vendor"
# Option keys of `/vendor add|edit` (and CSV columns) -> columns.
EDITABLE = {
    "name": "name",
    "kind": "kind",
    "email": "email",
    "phone": "phone",
    "currency": "currency",
    "terms": "terms_days",
    "tax": "tax_id",
    "address": "address",
    "notes": "notes",
}
REQUIRED = ("name", "currency")
DEFAULT_KIND = "other"
MAX_TERMS = 365
MAX_TAX_ID = 40
MAX_ADDRESS = 500
_ID = re.compile(r"[Vv]-?([0-9]{1,9})")
_TERMS = re.compile(r"(?:net\s*)?([0-9]{1,3})(?:\s*(?:d|days?))?", re.IGNORECASE)
_TAX_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./-]*")


def parse_vendor_id(text: str) -> int:
    """``V-3``, ``v3`` or ``V3`` -> 3."""
    match = _ID.fullmatch(text.strip())
    if match is None:
        raise ValidationError(f"Give a vendor id like V-1 (got {echo(text)}).")
    return int(match.group(1))


def name_key(name: str) -> str:
    return name.casefold()


def parse_kind(text: str) -> str:
    word = text.strip().lower()
    if word in VENDOR_KINDS:
        return word
    guesses = difflib.get_close_matches(word, VENDOR_KINDS, n=1)
    hint = f" Did you mean {guesses[0]}?" if guesses else ""
    raise ValidationError(f"`kind` is one of {', '.join(VENDOR_KINDS)} (got {echo(text)}).{hint}")


def parse_terms(text: str) -> int:
    """Payment terms in days: ``30``, ``net30``, ``net 30``, ``30d``."""
    match = _TERMS.fullmatch(text.strip())
    if match is None or int(match.group(1)) > MAX_TERMS:
        raise ValidationError(
            f"`terms` is the number of days to pay, 0 to {MAX_TERMS}, e.g. terms:30 "
            f"(got {echo(text)})."
        )
    return int(match.group(1))


def _tax_id(text: str) -> str | None:
    value = " ".join(text.split())
    if not value:
        return None
    if len(value) > MAX_TAX_ID or not _TAX_ID.fullmatch(value):
        raise ValidationError(
            f"`tax` should be a tax or VAT id like DE123456789, letters, digits, spaces and "
            f"- . / only, at most {MAX_TAX_ID} characters (got {echo(text)})."
        )
    return value


def _address(text: str) -> str | None:
    value = "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())
    if len(value) > MAX_ADDRESS:
        raise ValidationError(f"`address` is {len(value)} characters; keep it to {MAX_ADDRESS}.")
    return value or None


def clean_field(column: str, raw: str | None) -> Any:
    """One value checked and normalised for its column (``None`` clears an optional one)."""
    value = raw or ""
    cleaners: dict[str, Any] = {
        "name": lambda v: contact.text(v, field="name", limit=120, example='"Optimal Media"'),
        "kind": parse_kind,
        "email": lambda v: contact.email(v) if v.strip() else None,
        "phone": contact.phone,
        "currency": money.parse_currency,
        "terms_days": parse_terms,
        "tax_id": _tax_id,
        "address": _address,
        "notes": contact.notes,
    }
    if column not in cleaners:
        raise ValueError(f"not a vendor field: {column}")
    return cleaners[column](value)


def clean_options(options: Mapping[str, str]) -> dict[str, Any]:
    """Option keys (``terms``, ``tax`` …) -> cleaned column values; unknown keys refused."""
    unknown = [key for key in options if key not in EDITABLE]
    if unknown:
        raise ValidationError(
            f"`{unknown[0]}` isn't something a vendor has. Keys: {', '.join(EDITABLE)}."
        )
    return {EDITABLE[key]: clean_field(EDITABLE[key], raw) for key, raw in options.items()}


def snapshot(vendor: Vendor) -> dict[str, Any]:
    return audit.snapshot(vendor, tuple(EDITABLE.values()))


def _audit(
    session: Session,
    actor: Actor,
    vendor: Vendor,
    action: str,
    now: datetime,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity=ENTITY,
        entity_id=vendor.label,
        action=action,
        before=before,
        after=after,
    )


def get_vendor(session: Session, vendor_id: int, *, for_update: bool = False) -> Vendor:
    query = select(Vendor).where(Vendor.id == vendor_id)
    if for_update:
        query = query.with_for_update()
    vendor = session.scalar(query)
    if vendor is None:
        raise NotFoundError(f"There is no vendor V-{vendor_id}. `/vendor list` shows them.")
    return vendor


def find_by_name(session: Session, name: str) -> Vendor | None:
    return session.scalar(select(Vendor).where(Vendor.name_key == name_key(name)))


def _name_taken(session: Session, name: str, vendor_id: int | None = None) -> None:
    existing = find_by_name(session, name)
    if existing is not None and existing.id != vendor_id:
        raise ConflictError(
            f"{echo(existing.name)} is already {existing.label}: "
            f"see `/vendor show {existing.label}`."
        )


def _flush_checking_name(session: Session, name: str, vendor_id: int | None) -> None:
    """Flush; when a concurrent insert won the unique name, name the vendor it made."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        _name_taken(session, name, vendor_id)
        raise ConflictError(f"{echo(name)} is already in the vendor list.") from None


def create_vendor(
    session: Session, *, actor: Actor, values: Mapping[str, Any], now: datetime
) -> Vendor:
    """Insert already-cleaned values (``name`` and ``currency`` at least); audited."""
    _name_taken(session, values["name"])
    vendor = Vendor(
        **{"kind": DEFAULT_KIND, "terms_days": 30, **values},
        name_key=name_key(values["name"]),
        active=True,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(vendor)
    _flush_checking_name(session, values["name"], None)
    _audit(session, actor, vendor, "create", now, after=snapshot(vendor))
    return vendor


def add_vendor(
    session: Session, *, actor: Actor, name: str, options: Mapping[str, str], now: datetime
) -> Vendor:
    """`/vendor add "Optimal Media" kind:plant currency:EUR terms:30 …`."""
    require_purchasing(session, actor, "add vendors")
    values = clean_options({**options, "name": name})
    if "currency" not in values:
        raise ValidationError(
            "`currency` is needed: the currency the vendor bills in, e.g. currency:EUR."
        )
    return create_vendor(session, actor=actor, values=values, now=now)


def update_vendor(
    session: Session, *, actor: Actor, vendor: Vendor, values: Mapping[str, Any], now: datetime
) -> list[str]:
    """Apply already-cleaned column values; returns the columns that changed (audited)."""
    changed = [column for column, value in values.items() if getattr(vendor, column) != value]
    if not changed:
        return []
    if "name" in changed:
        _name_taken(session, values["name"], vendor.id)
    before = audit.snapshot(vendor, tuple(changed))
    for column in changed:
        setattr(vendor, column, values[column])
    vendor.updated_at = now
    if "name" in changed:
        vendor.name_key = name_key(values["name"])
        _flush_checking_name(session, values["name"], vendor.id)
    after = audit.snapshot(vendor, tuple(changed))
    _audit(session, actor, vendor, "edit", now, before=before, after=after)
    return changed


def edit_vendor(
    session: Session,
    *,
    actor: Actor,
    vendor_id: int,
    changes: Mapping[str, str],
    now: datetime,
) -> tuple[Vendor, list[str]]:
    """``changes`` is keyed by option (name, kind, email, phone, currency, terms, tax, …)."""
    require_purchasing(session, actor, "edit vendors")
    if not changes:
        raise ValidationError(
            f"Say what to change, e.g. `/vendor edit V-1 terms:45`. Keys: {', '.join(EDITABLE)}."
        )
    values = clean_options(changes)
    vendor = get_vendor(session, vendor_id, for_update=True)
    return vendor, update_vendor(session, actor=actor, vendor=vendor, values=values, now=now)


def set_active(
    session: Session, *, actor: Actor, vendor_id: int, active: bool, now: datetime
) -> Vendor:
    """Archive (no new orders) or restore a vendor; its orders and invoices are untouched."""
    verb = "restore" if active else "archive"
    require_purchasing(session, actor, f"{verb} vendors")
    vendor = get_vendor(session, vendor_id, for_update=True)
    if vendor.active == active:
        raise ConflictError(f"{vendor.label} is already {'active' if active else 'archived'}.")
    vendor.active = active
    vendor.updated_at = now
    _audit(
        session, actor, vendor, verb, now, before={"active": not active}, after={"active": active}
    )
    return vendor


def show_vendor(session: Session, *, actor: Actor, vendor_id: int) -> Vendor:
    require_purchasing(session, actor, "see vendors")
    return get_vendor(session, vendor_id)


def list_vendors(session: Session, *, actor: Actor, active_only: bool = True) -> list[Vendor]:
    """By name; archived ones only when asked."""
    require_purchasing(session, actor, "see vendors")
    query = select(Vendor).order_by(Vendor.name_key, Vendor.id)
    if active_only:
        query = query.where(Vendor.active.is_(True))
    return list(session.scalars(query))
