"""The whole store as plain rows: every table, for `python -m bot export`; and the
accountant's two CSV files (invoices, order lines) for `export --format accounting`.

Amounts leave as exact decimal strings ("1075.00"), never floats."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session, selectinload

from bot.purchasing.accounting import InvoiceRow, OrderLineRow, invoice_rows, order_line_rows
from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.asset_models import Asset, AssetLink
from bot.storage.audit_models import AuditEntry
from bot.storage.base import Base
from bot.storage.department_models import DeliveryRoute, Department, DepartmentMember, Route
from bot.storage.freelancer_models import Assignment, Freelancer, RateAgreement
from bot.storage.labelcopy_models import LabelCopy, LabelCopyTrack
from bot.storage.proof_models import Proof
from bot.storage.purchasing_models import (
    Invoice,
    InvoiceLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Vendor,
    line_total,
    purchase_order_assets,
)
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


def _link_rows(session: Session, table: Table, *order: Any) -> list[Row]:
    """A link table without a model of its own (an order's assets)."""
    rows = session.execute(select(table).order_by(*order)).mappings()
    return [{name: plain(value) for name, value in row.items()} for row in rows]


MODELS: dict[str, type[Base] | Table | None] = {
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
    "vendors": Vendor,
    "orders": PurchaseOrder,
    "order_lines": PurchaseOrderLine,
    "order_assets": purchase_order_assets,
    "invoices": Invoice,
    "invoice_lines": InvoiceLine,
    "audit": AuditEntry,
}


def _columns(model: type[Base] | Table) -> list[str]:
    table = model if isinstance(model, Table) else model.__table__
    return [column.key for column in table.columns]


def columns() -> dict[str, list[str]]:
    return {name: _columns(model) if model is not None else [] for name, model in MODELS.items()}


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
        "vendors": list(_rows(session, Vendor, Vendor.id)),
        "orders": list(_rows(session, PurchaseOrder, PurchaseOrder.id)),
        "order_lines": list(_rows(session, PurchaseOrderLine, PurchaseOrderLine.id)),
        "order_assets": _link_rows(
            session,
            purchase_order_assets,
            purchase_order_assets.c.order_id,
            purchase_order_assets.c.asset_id,
        ),
        "invoices": list(_rows(session, Invoice, Invoice.id)),
        "invoice_lines": list(_rows(session, InvoiceLine, InvoiceLine.id)),
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
        "vendors": data["vendors"],
        "orders": _orders(data),
        "invoices": _invoices(data),
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


def _with_totals(lines: list[Row]) -> list[Row]:
    """Lines in order, each with its total to the cent (computed, as on the documents)."""
    return [
        line | {"total": plain(line_total(Decimal(line["quantity"]), Decimal(line["unit_price"])))}
        for line in sorted(lines, key=lambda line: line["position"])
    ]


def _orders(data: dict[str, list[Row]]) -> list[Row]:
    """Each purchase order with its lines, its total and the ids of the assets it is for."""
    lines: dict[int, list[Row]] = {}
    for line in data["order_lines"]:
        lines.setdefault(line["order_id"], []).append(line)
    assets: dict[int, list[int]] = {}
    for link in data["order_assets"]:
        assets.setdefault(link["order_id"], []).append(link["asset_id"])
    orders = []
    for order in data["orders"]:
        priced = _with_totals(lines.get(order["id"], []))
        total = sum((Decimal(line["total"]) for line in priced), Decimal("0.00"))
        orders.append(
            order | {"total": plain(total), "lines": priced, "assets": assets.get(order["id"], [])}
        )
    return orders


def _invoices(data: dict[str, list[Row]]) -> list[Row]:
    """Each invoice; the label's own carry their lines (a supplier's has none: its order has)."""
    lines: dict[int, list[Row]] = {}
    for line in data["invoice_lines"]:
        lines.setdefault(line["invoice_id"], []).append(line)
    return [
        invoice | {"lines": _with_totals(lines.get(invoice["id"], []))}
        for invoice in data["invoices"]
    ]


def accounting(session: Session) -> dict[str, str]:
    """The accountant's files, name -> CSV text: one row per invoice (either way), oldest
    first, and one per purchase order line, by order number. A fixed number of queries."""
    invoices = session.scalars(
        select(Invoice)
        .options(
            selectinload(Invoice.order).selectinload(PurchaseOrder.release),
            selectinload(Invoice.vendor),
            selectinload(Invoice.freelancer),
        )
        .order_by(Invoice.issued_on, Invoice.id)
    )
    orders = session.scalars(
        select(PurchaseOrder)
        .options(
            selectinload(PurchaseOrder.lines),
            selectinload(PurchaseOrder.vendor),
            selectinload(PurchaseOrder.freelancer),
            selectinload(PurchaseOrder.release),
        )
        .order_by(PurchaseOrder.series_year, PurchaseOrder.seq)
    )
    return {
        "invoices.csv": invoice_rows(_invoice_row(invoice) for invoice in invoices),
        "order_lines.csv": order_line_rows(
            _order_line_row(order, line) for order in orders for line in order.lines
        ),
    }


def _invoice_row(invoice: Invoice) -> InvoiceRow:
    party = invoice.vendor or invoice.freelancer  # who billed the label, or whom it billed
    order = invoice.order
    return InvoiceRow(
        number=invoice.number,
        vendor=party.name if party is not None else "",
        direction="out" if invoice.direction == "out" else "in",
        issued_on=invoice.issued_on,
        due=invoice.due,
        currency=invoice.currency,
        amount=invoice.amount,
        status=invoice.status,
        order_number=order.number if order is not None else None,
        release_catno=order.release.catno if order is not None and order.release else None,
    )


def _order_line_row(order: PurchaseOrder, line: PurchaseOrderLine) -> OrderLineRow:
    return OrderLineRow(
        order_number=order.number,
        status=order.status,
        supplier=order.supplier_name,
        release_catno=order.release.catno if order.release is not None else None,
        item=line.item,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        currency=order.currency,
    )
