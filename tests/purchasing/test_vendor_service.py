"""Vendors: values checked as typed, one vendor per name in any case, archive and restore,
coordinators and management only, and a CSV import that loads all rows or none."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.core.errors import ConflictError, PermissionDenied, ValidationError
from bot.purchasing import vendors
from bot.purchasing.vendor_import import IMPORTER, import_vendors, read_rows
from bot.storage.audit_models import AuditEntry
from bot.storage.db import Database
from tests.purchasing.support import CORA, MIA, MOE, NOW, STALE, add_vendor


def test_a_vendor_is_added_with_its_values_cleaned_and_audited(db: Database) -> None:
    options = {
        "kind": "Plant",
        "email": "Orders@Optimal-Media.example",
        "currency": "eur",
        "terms": "net 45",
        "tax": "DE 123456789",
        "address": "  Glienholzweg 7\n\n  17207 Röbel/Müritz ",
    }
    with db.write() as session:
        vendor = vendors.add_vendor(
            session, actor=CORA, name="  Optimal   Media ", options=options, now=NOW
        )
    assert vendor.label == "V-1"
    assert (vendor.name, vendor.kind, vendor.currency, vendor.terms_days) == (
        "Optimal Media",
        "plant",
        "EUR",
        45,
    )
    assert vendor.email == "orders@optimal-media.example"
    assert vendor.address == "Glienholzweg 7\n17207 Röbel/Müritz"
    assert vendor.active
    with db.read() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "vendor"))
    assert entry is not None and entry.entity_id == "V-1" and entry.action == "create"
    assert entry.after is not None and entry.after["terms_days"] == 45


def test_kind_defaults_to_other_and_terms_to_thirty_days(db: Database) -> None:
    with db.write() as session:
        vendor = vendors.add_vendor(
            session, actor=CORA, name="Print Co", options={"currency": "GBP"}, now=NOW
        )
    assert (vendor.kind, vendor.terms_days) == ("other", 30)


def test_the_same_name_in_another_case_is_the_same_vendor(db: Database) -> None:
    add_vendor(db)
    with pytest.raises(ConflictError, match=r"already V-1"), db.write() as session:
        vendors.add_vendor(
            session, actor=CORA, name="OPTIMAL media", options={"currency": "EUR"}, now=NOW
        )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"kind": "plant"}, r"`currency` is needed"),
        ({"currency": "EUX"}, r"ISO 4217"),
        ({"currency": "EUR", "kind": "plnt"}, r"Did you mean plant\?"),
        ({"currency": "EUR", "terms": "400"}, r"0 to 365"),
        ({"currency": "EUR", "terms": "thirty"}, r"number of days"),
        ({"currency": "EUR", "email": "orders@example"}, r"email address"),
        ({"currency": "EUR", "tax": "<!channel>"}, r"tax or VAT id"),
        ({"currency": "EUR", "colour": "red"}, r"`colour` isn't something a vendor has"),
    ],
)
def test_bad_values_are_refused_with_what_to_write(
    db: Database, options: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message), db.write() as session:
        vendors.add_vendor(session, actor=CORA, name="Optimal Media", options=options, now=NOW)


def test_editing_changes_only_what_differs_and_audits_before_and_after(db: Database) -> None:
    vendor_id = add_vendor(db)
    with db.write() as session:
        vendor, changed = vendors.edit_vendor(
            session,
            actor=MOE,
            vendor_id=vendor_id,
            changes={"terms": "60", "kind": "plant", "phone": "+49 39931 560"},
            now=NOW,
        )
    assert sorted(changed) == ["phone", "terms_days"]
    assert vendor.terms_days == 60
    with db.read() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "edit"))
    assert entry is not None
    assert entry.before == {"terms_days": 30, "phone": None}
    assert entry.after == {"terms_days": 60, "phone": "+49 39931 560"}


def test_editing_nothing_or_to_a_taken_name_is_refused(db: Database) -> None:
    first = add_vendor(db)
    add_vendor(db, "GZ Media")
    with pytest.raises(ValidationError, match="Say what to change"), db.write() as session:
        vendors.edit_vendor(session, actor=CORA, vendor_id=first, changes={}, now=NOW)
    with pytest.raises(ConflictError, match="already V-2"), db.write() as session:
        vendors.edit_vendor(
            session, actor=CORA, vendor_id=first, changes={"name": "gz media"}, now=NOW
        )


def test_renaming_a_vendor_to_another_case_of_its_own_name_is_allowed(db: Database) -> None:
    vendor_id = add_vendor(db, "Gz Media")
    with db.write() as session:
        vendor, changed = vendors.edit_vendor(
            session, actor=CORA, vendor_id=vendor_id, changes={"name": "GZ Media"}, now=NOW
        )
    assert changed == ["name"] and vendor.name == "GZ Media"


def test_archived_vendors_leave_the_list_until_restored(db: Database) -> None:
    kept, archived = add_vendor(db), add_vendor(db, "GZ Media")
    with db.write() as session:
        vendors.set_active(session, actor=CORA, vendor_id=archived, active=False, now=NOW)
    with pytest.raises(ConflictError, match="already archived"), db.write() as session:
        vendors.set_active(session, actor=CORA, vendor_id=archived, active=False, now=NOW)
    with db.read() as session:
        assert [v.id for v in vendors.list_vendors(session, actor=CORA)] == [kept]
        everyone = vendors.list_vendors(session, actor=CORA, active_only=False)
        assert [v.id for v in everyone] == [archived, kept]  # by name: GZ before Optimal
    with db.write() as session:
        vendors.set_active(session, actor=MOE, vendor_id=archived, active=True, now=NOW)
    with db.read() as session:
        assert len(vendors.list_vendors(session, actor=CORA)) == 2


def test_an_unknown_vendor_is_not_found_and_ids_are_read_in_any_case() -> None:
    assert vendors.parse_vendor_id("v-3") == 3
    assert vendors.parse_vendor_id(" V12 ") == 12
    with pytest.raises(ValidationError, match="like V-1"):
        vendors.parse_vendor_id("F-3")


@pytest.mark.parametrize("actor", [MIA, STALE])
def test_only_coordinators_and_management_may_touch_vendors(db: Database, actor) -> None:  # type: ignore[no-untyped-def]
    vendor_id = add_vendor(db)
    with pytest.raises(PermissionDenied, match="coordinators and management"), db.write() as s:
        vendors.add_vendor(s, actor=actor, name="GZ", options={"currency": "EUR"}, now=NOW)
    with pytest.raises(PermissionDenied), db.write() as session:
        vendors.edit_vendor(
            session, actor=actor, vendor_id=vendor_id, changes={"terms": "1"}, now=NOW
        )
    with pytest.raises(PermissionDenied), db.write() as session:
        vendors.set_active(session, actor=actor, vendor_id=vendor_id, active=False, now=NOW)
    with pytest.raises(PermissionDenied), db.read() as session:
        vendors.list_vendors(session, actor=actor)
    with pytest.raises(PermissionDenied), db.read() as session:
        vendors.show_vendor(session, actor=actor, vendor_id=vendor_id)


CSV = """name,kind,email,currency,terms,tax
Optimal Media,plant,orders@optimal.example,EUR,30,DE123456789
Kunstdruck,printer,,EUR,net 14,

GZ Media,plant,,czk,45,
"""


def test_a_csv_file_adds_its_vendors_and_a_second_import_updates_them(db: Database) -> None:
    rows, errors = read_rows(io.StringIO(CSV))
    assert errors == []
    with db.write() as session:
        result = import_vendors(session, IMPORTER, rows, NOW)
    assert result.added == ["V-1", "V-2", "V-3"]
    again, _ = read_rows(io.StringIO(CSV.replace("net 14", "21")))
    with db.write() as session:
        result = import_vendors(session, CORA, again, NOW)
    assert result.updated == ["V-2"] and result.unchanged == ["V-1", "V-3"]
    with db.read() as session:
        assert vendors.get_vendor(session, 3).currency == "CZK"
        assert vendors.get_vendor(session, 2).terms_days == 21


def test_a_csv_file_with_bad_rows_names_each_line_and_imports_nothing() -> None:
    text = (
        "name,currency,terms\n"
        "Optimal Media,EUR,30\n"
        "Bad Terms,EUR,forever\n"
        "optimal media,EUR,30\n"
        ",EUR,30\n"
        "Short\n"
    )
    _, errors = read_rows(io.StringIO(text))
    assert [e.line for e in errors] == [3, 4, 5, 6]
    assert "number of days" in errors[0].reason
    assert "also on line 2" in errors[1].reason
    assert "`name` can't be empty" in errors[2].reason
    assert "`currency` is needed" in errors[3].reason


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file is empty"),
        ("name,colour\n", "unknown column 'colour'"),
        ("name,kind\n", "needs the column 'currency'"),
        ("name,currency,name\n", "appears twice"),
        ("name,currency\n\n", "no vendor rows"),
    ],
)
def test_a_csv_file_without_a_usable_header_is_refused(text: str, problem: str) -> None:
    rows, errors = read_rows(io.StringIO(text))
    assert rows == [] and problem in errors[0].reason


def test_an_import_by_someone_outside_purchasing_is_refused(db: Database) -> None:
    rows, _ = read_rows(io.StringIO(CSV))
    with pytest.raises(PermissionDenied), db.write() as session:
        import_vendors(session, MIA, rows, NOW)


@given(st.text(max_size=20))
def test_every_terms_text_gives_days_or_a_validation_error(text: str) -> None:
    try:
        days = vendors.parse_terms(text)
    except ValidationError:
        return
    assert 0 <= days <= vendors.MAX_TERMS


@given(st.integers(0, 365), st.sampled_from(["{}", "net{}", "net {}", "{}d", "NET {} days"]))
def test_terms_are_read_in_the_ways_people_write_them(days: int, form: str) -> None:
    assert vendors.parse_terms(form.format(days)) == days
