"""The whole store as plain rows: every table, for `python -m bot export`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.asset_models import Asset, AssetLink
from bot.storage.audit_models import AuditEntry
from bot.storage.base import Base
from bot.storage.department_models import DeliveryRoute, Department, DepartmentMember, Route
from bot.storage.freelancer_models import Assignment, Freelancer, RateAgreement
from bot.storage.labelcopy_models import LabelCopy, LabelCopyTrack
from bot.storage.proof_models import Proof
from bot.storage.release_models import Release

Row = dict[str, Any]


def plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # exact, never a float
    return value


def _rows(session: Session, model: type[Base], order: Any) -> Iterator[Row]:
    columns = [column.key for column in model.__table__.columns]
    for obj in session.scalars(select(model).order_by(order)).yield_per(1000):
        yield {name: plain(getattr(obj, name)) for name in columns}


MODELS: dict[str, type[Base] | None] = {
    "releases": Release,
    "assets": Asset,
    "asset_links": AssetLink,
    "freelancers": Freelancer,
    "rate_agreements": RateAgreement,
    "assignments": Assignment,
    "departments": Department,
    "department_members": DepartmentMember,
    "routes": Route,
    "delivery_routes": DeliveryRoute,
    "proofs": Proof,
    "label_copies": LabelCopy,
    "label_copy_tracks": LabelCopyTrack,
    "approvals": ApprovalRequest,
    "approval_decisions": ApprovalStep,
    "audit": AuditEntry,
}


def columns() -> dict[str, list[str]]:
    return {
        name: [column.key for column in model.__table__.columns] if model is not None else []
        for name, model in MODELS.items()
    }


def tables(session: Session) -> dict[str, list[Row]]:
    """Every table of the store, one list of rows each (the CSV export writes one file each)."""
    return {
        "releases": list(_rows(session, Release, Release.id)),
        "assets": list(_rows(session, Asset, Asset.id)),
        "asset_links": list(_rows(session, AssetLink, AssetLink.id)),
        "freelancers": list(_rows(session, Freelancer, Freelancer.id)),
        "rate_agreements": list(_rows(session, RateAgreement, RateAgreement.id)),
        "assignments": list(_rows(session, Assignment, Assignment.id)),
        "departments": list(_rows(session, Department, Department.position)),
        "department_members": list(_rows(session, DepartmentMember, DepartmentMember.id)),
        "routes": list(_rows(session, Route, Route.id)),
        "delivery_routes": list(_rows(session, DeliveryRoute, DeliveryRoute.id)),
        "proofs": list(_rows(session, Proof, Proof.id)),
        "label_copies": list(_rows(session, LabelCopy, LabelCopy.id)),
        "label_copy_tracks": list(_rows(session, LabelCopyTrack, LabelCopyTrack.id)),
        "approvals": list(_rows(session, ApprovalRequest, ApprovalRequest.id)),
        "approval_decisions": list(_rows(session, ApprovalStep, ApprovalStep.id)),
        "audit": list(_rows(session, AuditEntry, AuditEntry.id)),
    }


def document(session: Session) -> dict[str, list[Row]]:
    """One JSON document: the design's top-level keys, with child rows nested in their parent."""
    data = tables(session)
    links: dict[int, list[Row]] = {}
    for link in data["asset_links"]:
        links.setdefault(link["asset_id"], []).append(link)
    members: dict[str, list[str]] = {}
    for member in data["department_members"]:
        members.setdefault(member["department_key"], []).append(member["user_id"])
    routes: dict[str, list[str]] = {}
    for route in sorted(data["routes"], key=lambda r: (r["kind"], r["position"])):
        routes.setdefault(route["department_key"], []).append(route["kind"])
    agreements: dict[int, list[Row]] = {}
    for agreement in data["rate_agreements"]:
        agreements.setdefault(agreement["freelancer_id"], []).append(agreement)
    assignments: dict[int, list[Row]] = {}
    for assignment in data["assignments"]:
        assignments.setdefault(assignment["freelancer_id"], []).append(assignment)
    receives: dict[str, list[str]] = {}
    for delivery in sorted(data["delivery_routes"], key=lambda r: (r["kind"], r["position"])):
        receives.setdefault(delivery["department_key"], []).append(delivery["kind"])
    decisions: dict[int, list[Row]] = {}
    for step in data["approval_decisions"]:
        decisions.setdefault(step["request_id"], []).append(step)
    return {
        "releases": data["releases"],
        "assets": [asset | {"links": links.get(asset["id"], [])} for asset in data["assets"]],
        "freelancers": [
            person
            | {
                "agreements": agreements.get(person["id"], []),
                "assignments": assignments.get(person["id"], []),
            }
            for person in data["freelancers"]
        ],
        "departments": [
            dept
            | {
                "members": members.get(dept["key"], []),
                "approves": routes.get(dept["key"], []),
                "receives": receives.get(dept["key"], []),
            }
            for dept in data["departments"]
        ],
        "approvals": [
            request | {"decisions": decisions.get(request["id"], [])}
            for request in data["approvals"]
        ],
        # A proof's private download address is the bot's to use, not an export's.
        "proofs": [
            _without(proof, "download_url", "preflight_claimed_at") for proof in data["proofs"]
        ],
        "label_copy": _label_copies(data),
        "audit": data["audit"],
    }


def _label_copies(data: dict[str, list[Row]]) -> list[Row]:
    """Each release's label copy with its tracks, in order."""
    tracks: dict[int, list[Row]] = {}
    for track in sorted(data["label_copy_tracks"], key=lambda t: t["ordinal"]):
        tracks.setdefault(track["label_copy_id"], []).append(track)
    return [copy | {"tracks": tracks.get(copy["id"], [])} for copy in data["label_copies"]]


def _without(row: Row, *names: str) -> Row:
    return {key: value for key, value in row.items() if key not in names}
