"""The freelancer directory: contacts, rate agreements (history kept), archive and restore.

Values arrive as the user typed them and are validated here, so the slash commands and the
CSV import share one set of rules. Every change is audited under entity "freelancer".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.core.errors import ConflictError, NotFoundError, ValidationError, echo
from bot.domain import contact, money
from bot.domain.actors import Actor, require_coordinator
from bot.storage import audit
from bot.storage.freelancer_models import Freelancer, RateAgreement

ENTITY = "freelancer"
CONTACT_FIELDS = ("name", "email", "phone", "slack_user_id", "skills", "portfolio", "notes")
# Option keys of `/freelancer edit` (and CSV columns) -> columns.
EDITABLE = {
    "name": "name",
    "email": "email",
    "phone": "phone",
    "slack": "slack_user_id",
    "skills": "skills",
    "portfolio": "portfolio",
    "notes": "notes",
    "email_notices": "email_notices",
}
MAX_RATE_NOTE = 500


def label(freelancer: Freelancer) -> str:
    return f"F-{freelancer.id}"


@dataclass(frozen=True)
class ContactInput:
    """Contact details as typed; ``slack_user_id`` is already a user id (or None)."""

    name: str
    email: str
    phone: str | None = None
    slack_user_id: str | None = None
    skills: str | None = None
    portfolio: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class RateInput:
    """A rate as typed; a missing unit or currency is taken from the latest agreement."""

    amount: str
    currency: str | None
    unit: str | None
    valid_from: date
    note: str | None = None


@dataclass(frozen=True)
class RateTerms:
    amount: Decimal
    currency: str
    unit: str
    valid_from: date
    note: str | None = None


def clean_field(column: str, raw: str | None) -> Any:
    """One contact value checked and normalised for its column (``None`` clears it)."""
    value = raw or ""
    if column == "name":
        return contact.name(value)
    if column == "email":
        return contact.email(value)
    if column == "phone":
        return contact.phone(value)
    if column == "slack_user_id":
        return contact.slack_user(value)
    if column == "skills":
        return ",".join(contact.skills(value))
    if column == "portfolio":
        return contact.url(value)
    if column == "notes":
        return contact.notes(value)
    if column == "email_notices":
        return _on_off(value)
    raise ValueError(f"not a contact field: {column}")


def _on_off(text: str) -> bool:
    word = text.strip().lower()
    if word in ("on", "yes", "true", "1"):
        return True
    if word in ("off", "no", "false", "0"):
        return False
    raise ValidationError(f"`email_notices` is on or off (got {echo(text)}).")


def clean_contact(data: ContactInput) -> dict[str, Any]:
    return {column: clean_field(column, getattr(data, column)) for column in CONTACT_FIELDS}


def clean_rate(data: RateInput, latest: RateAgreement | None = None) -> RateTerms:
    amount = money.parse_amount(data.amount, field="rate")
    if data.unit:
        unit = money.parse_unit(data.unit)
    elif latest is not None:
        unit = latest.unit
    else:
        raise ValidationError("`per` is needed with a first rate, e.g. per:asset.")
    if data.currency:
        currency = money.parse_currency(data.currency)
    elif latest is not None:
        currency = latest.currency
    else:
        raise ValidationError("`currency` is needed with a first rate, e.g. currency:GBP.")
    note = (data.note or "").strip() or None
    if note and len(note) > MAX_RATE_NOTE:
        raise ValidationError(f"`note` is {len(note)} characters; keep it to {MAX_RATE_NOTE}.")
    return RateTerms(amount, currency, unit, data.valid_from, note)


def current_agreement(agreements: Iterable[RateAgreement], today: date) -> RateAgreement | None:
    """The newest agreement in force: valid from today or earlier, latest date, then latest id."""
    in_force = [a for a in agreements if a.valid_from <= today]
    return max(in_force, key=lambda a: (a.valid_from, a.id), default=None)


def latest_agreement(agreements: Iterable[RateAgreement]) -> RateAgreement | None:
    return max(agreements, key=lambda a: (a.valid_from, a.id), default=None)


def rate_snapshot(agreement: RateAgreement | RateTerms) -> dict[str, Any]:
    # Amounts as strings: exact in the JSON audit log, never a float.
    return {
        "amount": str(agreement.amount),
        "currency": agreement.currency,
        "unit": agreement.unit,
        "valid_from": agreement.valid_from.isoformat(),
        "note": agreement.note,
    }


def _audit(
    session: Session,
    actor: Actor,
    freelancer: Freelancer,
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
        entity_id=label(freelancer),
        action=action,
        before=before,
        after=after,
    )


def get_freelancer(session: Session, freelancer_id: int, *, for_update: bool = False) -> Freelancer:
    query = (
        select(Freelancer)
        .where(Freelancer.id == freelancer_id)
        .options(selectinload(Freelancer.agreements))
    )
    if for_update:
        query = query.with_for_update(of=Freelancer)
    freelancer = session.scalar(query)
    if freelancer is None:
        raise NotFoundError(
            f"There is no freelancer F-{freelancer_id}. `/freelancer list` shows them."
        )
    return freelancer


def find_by_email(session: Session, email: str) -> Freelancer | None:
    return session.scalar(select(Freelancer).where(Freelancer.email == email.strip().lower()))


def _email_taken(session: Session, email: str, freelancer_id: int | None = None) -> None:
    existing = find_by_email(session, email)
    if existing is not None and existing.id != freelancer_id:
        raise ConflictError(
            f"{email} is already in the directory as {label(existing)}: "
            f"see `/freelancer show {label(existing)}`."
        )


def _slack_taken(session: Session, slack_user_id: str | None, freelancer_id: int | None) -> None:
    """One freelancer per Slack user: assignments and `mine` find a person through it."""
    if not slack_user_id:
        return
    existing = session.scalar(
        select(Freelancer).where(
            Freelancer.slack_user_id == slack_user_id, Freelancer.id != (freelancer_id or 0)
        )
    )
    if existing is not None:
        raise ConflictError(
            f"<@{slack_user_id}> is already {label(existing)} {existing.name} in the directory: "
            f"see `/freelancer show {label(existing)}`."
        )


def _flush_checking_email(session: Session, email: str, freelancer_id: int | None) -> None:
    """Flush; when a concurrent insert won the unique email, name the freelancer it made."""
    try:
        with session.begin_nested():  # a savepoint, so the lookup below can still run
            session.flush()
    except IntegrityError:
        _email_taken(session, email, freelancer_id)
        raise ConflictError(f"{email} is already in the directory.") from None


def add_agreement(
    session: Session, *, actor: Actor, freelancer: Freelancer, terms: RateTerms, now: datetime
) -> RateAgreement:
    agreement = RateAgreement(
        freelancer=freelancer,
        amount=terms.amount,
        currency=terms.currency,
        unit=terms.unit,
        valid_from=terms.valid_from,
        note=terms.note,
        created_by=actor.user_id,
        created_at=now,
    )
    session.add(agreement)
    session.flush()  # its id orders agreements that start on the same day
    freelancer.updated_at = now
    _audit(session, actor, freelancer, "rate", now, after=rate_snapshot(terms))
    return agreement


def add_freelancer(
    session: Session,
    *,
    actor: Actor,
    data: ContactInput,
    rate: RateInput | None,
    now: datetime,
) -> Freelancer:
    require_coordinator(actor, "add freelancers")
    values = clean_contact(data)
    _slack_taken(session, values.get("slack_user_id"), None)
    terms = clean_rate(rate) if rate is not None else None
    freelancer = create_freelancer(session, actor=actor, values=values, now=now)
    if terms is not None:
        add_agreement(session, actor=actor, freelancer=freelancer, terms=terms, now=now)
    return freelancer


def create_freelancer(
    session: Session, *, actor: Actor, values: Mapping[str, Any], now: datetime
) -> Freelancer:
    """Insert already-cleaned contact values (``name`` and ``email`` at least); audited."""
    _email_taken(session, values["email"])
    freelancer = Freelancer(
        **{"skills": "", **values},
        active=True,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(freelancer)
    _flush_checking_email(session, values["email"], None)
    _audit(session, actor, freelancer, "create", now, after=dict(values))
    return freelancer


def update_contact(
    session: Session,
    *,
    actor: Actor,
    freelancer: Freelancer,
    values: Mapping[str, Any],
    now: datetime,
) -> list[str]:
    """Apply already-cleaned column values; returns the columns that changed (audited)."""
    changed = [column for column, value in values.items() if getattr(freelancer, column) != value]
    if not changed:
        return []
    if "email" in changed:
        _email_taken(session, values["email"], freelancer.id)
    if "slack_user_id" in changed:
        _slack_taken(session, values["slack_user_id"], freelancer.id)
    before = {column: getattr(freelancer, column) for column in changed}
    for column in changed:
        setattr(freelancer, column, values[column])
    freelancer.updated_at = now
    if "email" in changed:
        _flush_checking_email(session, values["email"], freelancer.id)
    _audit(
        session,
        actor,
        freelancer,
        "edit",
        now,
        before=before,
        after={c: values[c] for c in changed},
    )
    return changed


def edit_freelancer(
    session: Session,
    *,
    actor: Actor,
    freelancer_id: int,
    changes: Mapping[str, str],
    now: datetime,
) -> tuple[Freelancer, list[str]]:
    """``changes`` is keyed by option (name, email, phone, slack, skills, portfolio, notes)."""
    require_coordinator(actor, "edit freelancers")
    if not changes:
        raise ValidationError(
            'Say what to change, e.g. `/freelancer edit F-2 phone:"+44 20 7946 0958"`. '
            f"Keys: {', '.join(EDITABLE)}."
        )
    values = {EDITABLE[key]: clean_field(EDITABLE[key], raw) for key, raw in changes.items()}
    freelancer = get_freelancer(session, freelancer_id, for_update=True)
    changed = update_contact(session, actor=actor, freelancer=freelancer, values=values, now=now)
    return freelancer, changed


def record_rate(
    session: Session, *, actor: Actor, freelancer_id: int, rate: RateInput, now: datetime
) -> tuple[Freelancer, RateAgreement]:
    require_coordinator(actor, "record rates")
    freelancer = get_freelancer(session, freelancer_id, for_update=True)
    terms = clean_rate(rate, latest_agreement(freelancer.agreements))
    agreement = add_agreement(session, actor=actor, freelancer=freelancer, terms=terms, now=now)
    return freelancer, agreement


def set_active(
    session: Session, *, actor: Actor, freelancer_id: int, active: bool, now: datetime
) -> Freelancer:
    verb = "restore" if active else "archive"
    require_coordinator(actor, f"{verb} freelancers")
    freelancer = get_freelancer(session, freelancer_id, for_update=True)
    if freelancer.active == active:
        state = "active" if active else "archived"
        raise ConflictError(f"{label(freelancer)} is already {state}.")
    freelancer.active = active
    freelancer.updated_at = now
    _audit(
        session,
        actor,
        freelancer,
        verb,
        now,
        before={"active": not active},
        after={"active": active},
    )
    return freelancer
