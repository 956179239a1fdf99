"""/freelancer through signed requests, on SQLite and PostgreSQL.

Every workspace starts with the demo directory: F-1 Fay Moreau (Slack U0FAY), 450 GBP per asset.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.devtools.workspace import Workspace
from bot.domain.actors import Actor
from bot.freelancers import service as freelancers
from bot.slack.limits import check_message
from bot.storage.audit_models import AuditEntry
from bot.storage.freelancer_models import Freelancer, RateAgreement
from tests.helpers import CORA, FAY, MIA, ack, assert_pings_no_one, count

JANE = '"Jane Doe" email:Jane.Doe@Example.com skills:layout,Type'


def freelancer_cmd(ws: Workspace, text: str, user: str = CORA) -> str:
    """The ack's text and blocks as one string, non-ASCII kept as is."""
    body = ack(ws.command(user, "/freelancer", text))
    return body.get("text", "") + json.dumps(body.get("blocks", []), ensure_ascii=False)


def people(ws: Workspace) -> list[Freelancer]:
    with ws.runtime.db.read() as session:
        return list(session.scalars(select(Freelancer).order_by(Freelancer.id)))


def agreements(ws: Workspace, freelancer_id: int) -> list[RateAgreement]:
    with ws.runtime.db.read() as session:
        query = select(RateAgreement).where(RateAgreement.freelancer_id == freelancer_id)
        return list(session.scalars(query.order_by(RateAgreement.id)))


def test_add_stores_a_normalised_record_and_audits_it(workspace: Workspace) -> None:
    text = freelancer_cmd(
        workspace,
        f'add {JANE} phone:"+44 20 7946 0958" slack:<@U0SAM|sam> '
        "portfolio:https://jane.example.com rate:62.5 per:hours currency:eur",
    )
    assert "Added *F-2* Jane Doe" in text and "62.50 EUR per hour" in text
    jane = people(workspace)[1]
    assert (jane.email, jane.skills, jane.slack_user_id) == (
        "jane.doe@example.com",
        "layout,Type",
        "U0SAM",
    )
    (rate,) = agreements(workspace, jane.id)
    assert (rate.amount, rate.currency, rate.unit, rate.valid_from) == (
        Decimal("62.50"),
        "EUR",
        "hour",
        date(2026, 11, 26),
    )
    with workspace.runtime.db.read() as session:
        log = session.scalars(select(AuditEntry).where(AuditEntry.entity == "freelancer")).all()
    assert [(e.actor, e.entity_id, e.action) for e in log] == [
        (CORA, "F-2", "create"),
        (CORA, "F-2", "rate"),
    ]
    assert log[1].after is not None and log[1].after["amount"] == "62.50"  # a string, exact


def test_a_second_freelancer_with_the_same_email_is_refused_naming_the_first(
    workspace: Workspace,
) -> None:
    freelancer_cmd(workspace, f"add {JANE}")
    text = freelancer_cmd(workspace, 'add "J. Doe" email:JANE.DOE@example.com')
    assert "already in the directory as F-2" in text
    assert "already in the directory as F-1" in freelancer_cmd(
        workspace, "edit F-2 email:fay@example.com"
    )
    assert len(people(workspace)) == 2


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('add "A" email:jane@', "`email` should be an email address like jane@example.com"),
        ('add "A" email:a@example.com portfolio:ftp://x', "like https://jane.example.com"),
        ('add "A" email:a@example.com portfolio:"https://x.com/a b"', "with no spaces"),
        (f'add "{"x" * 121}" email:a@example.com', "keep it to 120"),
        (f'add "A" email:a@example.com notes:"{"n" * 2001}"', "keep it to 2000"),
        ('add "A" email:a@example.com phone:"call me"', "`phone` should be a phone number"),
        ('add "A" email:a@example.com skills:' + ",".join(f"s{i}" for i in range(21)), "to 20"),
        ('add "A" email:a@example.com skills:' + "s" * 41, "keep each to 40"),
        ('add "A" email:a@example.com rate:12.345 per:hour currency:EUR', "at most 2 decimals"),
        ('add "A" email:a@example.com rate:0 per:hour currency:EUR', "more than zero"),
        ('add "A" email:a@example.com rate:1e3 per:hour currency:EUR', "like 450 or 62.50"),
        ('add "A" email:a@example.com rate:45 per:week currency:EUR', "hour, day, asset, project"),
        ('add "A" email:a@example.com rate:45 per:hour currency:EUX', "ISO 4217"),
        ('add "A" email:a@example.com rate:45 per:hour', "`currency:` is required"),
        ('add "A" email:a@example.com per:hour', "goes with a rate"),
        ('add "A" email:a@example.com slack:@nobody', "Pick the person"),
        ('add "A"', "`email:` is required"),
        ("add email:a@example.com", "needs a name"),
    ],
)
def test_bad_values_are_refused_naming_the_field_and_nothing_is_written(
    workspace: Workspace, text: str, says: str
) -> None:
    before = count(workspace, AuditEntry)
    body = ack(workspace.command(CORA, "/freelancer", text))
    assert body["response_type"] == "ephemeral" and says in body["text"], body["text"]
    assert len(people(workspace)) == 1 and count(workspace, AuditEntry) == before


def test_amounts_are_exact_decimals_end_to_end(workspace: Workspace) -> None:
    freelancer_cmd(workspace, f"add {JANE} rate:0.1 per:hour currency:USD")
    freelancer_cmd(workspace, "rate F-2 0.30 from:2026-11-01")  # before the first: not current
    freelancer_cmd(workspace, "rate F-2 9999999999.99 from:+1d")  # the largest NUMERIC(12, 2)
    stored = [a.amount for a in agreements(workspace, 2)]
    assert stored == [Decimal("0.10"), Decimal("0.30"), Decimal("9999999999.99")]
    assert all(isinstance(amount, Decimal) for amount in stored)
    assert stored[0] + Decimal("0.20") == stored[1]  # no float drift
    shown = freelancer_cmd(workspace, "show F-2")
    assert "current: 0.10 USD per hour" in shown
    assert "scheduled: 9,999,999,999.99 USD per hour" in shown
    assert "earlier: 0.30 USD per hour" in shown
    assert "at most 2 decimals" in freelancer_cmd(workspace, "rate F-2 12.345")
    assert "like 450 or 62.50" in freelancer_cmd(workspace, "rate F-2 10000000000")
    assert len(agreements(workspace, 2)) == 3


def test_the_current_agreement_is_the_newest_in_force(workspace: Workspace) -> None:
    freelancer_cmd(workspace, f"add {JANE} rate:40 per:hour currency:EUR from:2026-01-01")
    freelancer_cmd(workspace, "rate F-2 45 from:2026-06-01")  # unit and currency carried over
    freelancer_cmd(workspace, "rate F-2 46 from:2026-06-01")  # same day: the later one wins
    reply = freelancer_cmd(workspace, "rate F-2 50 per:day from:2027-01-01")
    assert "Until then the current one stays: 46.00 EUR per hour" in reply
    shown = freelancer_cmd(workspace, "show F-2")
    assert "current: 46.00 EUR per hour" in shown and "scheduled: 50.00 EUR per day" in shown
    assert "46.00 EUR per hour" in freelancer_cmd(workspace, "list")
    backdated = freelancer_cmd(workspace, "rate F-2 42 from:2026-03-01")
    assert "Until then" not in backdated
    assert "A later agreement is in force and stays current: 46.00 EUR per hour" in backdated


def test_a_first_rate_needs_its_unit_and_currency(workspace: Workspace) -> None:
    freelancer_cmd(workspace, f"add {JANE}")
    assert "`per` is needed" in freelancer_cmd(workspace, "rate F-2 45 currency:EUR")
    assert "`currency` is needed" in freelancer_cmd(workspace, "rate F-2 45 per:day")
    assert "recorded 45.00 EUR per day" in freelancer_cmd(
        workspace, "rate F-2 45 per:day currency:EUR"
    )


def test_edit_changes_only_what_is_given_and_audits_before_and_after(workspace: Workspace) -> None:
    freelancer_cmd(workspace, f'add {JANE} phone:"+1 555 0100"')
    text = freelancer_cmd(workspace, 'edit f-2 phone:"" skills:lettering notes:"Vinyl only"')
    assert "updated phone, skills, notes" in text
    jane = people(workspace)[1]
    assert (jane.phone, jane.skills, jane.notes) == (None, "lettering", "Vinyl only")
    assert "nothing changed" in freelancer_cmd(workspace, "edit F-2 skills:lettering")
    assert "Say what to change" in freelancer_cmd(workspace, "edit F-2")
    assert "doesn't take `rate:`" in freelancer_cmd(workspace, "edit F-2 rate:5")
    with workspace.runtime.db.read() as session:
        edit = session.scalars(select(AuditEntry).where(AuditEntry.action == "edit")).one()
    assert edit.before == {"phone": "+1 555 0100", "skills": "layout,Type", "notes": None}


def test_list_sorts_by_workload_and_filters_by_skill(workspace: Workspace) -> None:
    freelancer_cmd(workspace, f"add {JANE}")
    freelancer_cmd(workspace, 'add "Ola Berg" email:ola@example.com skills:photography')
    for title, due in (("Poster", "+9d"), ("Flyer", "+4d")):
        workspace.command(CORA, "/asset", f'new "{title}" kind:poster due:{due} freelancer:F-1')
    workspace.command(CORA, "/asset", 'new "Banner" kind:social due:+2d freelancer:F-2')
    body = ack(workspace.command(MIA, "/freelancer", "list"))
    check_message(text=body["text"], blocks=body["blocks"])
    shown = json.dumps(body, ensure_ascii=False)
    assert "least loaded first" in body["text"]
    assert shown.index("Ola Berg") < shown.index("Jane Doe") < shown.index("Fay Moreau")
    assert "2 open · next due Mon 30 Nov" in shown  # Fay: the flyer is due first
    assert "Ola" not in freelancer_cmd(workspace, "list skill:LAY")
    assert "Jane Doe" in freelancer_cmd(workspace, "list skill:LAY")
    assert "No freelancer with a skill like" in freelancer_cmd(workspace, "list skill:knitting")


def test_archive_takes_a_freelancer_out_of_the_lists_and_restore_brings_them_back(
    workspace: Workspace,
) -> None:
    workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+9d freelancer:F-1')
    text = freelancer_cmd(workspace, "archive F-1")
    assert "Archived *F-1*" in text and "Still assigned to A-1" in text
    assert "Fay" not in freelancer_cmd(workspace, "list")
    assert "_archived_" in freelancer_cmd(workspace, "list all")
    assert "(archived)" in freelancer_cmd(workspace, "show F-1")  # history stays readable
    assert "already archived" in freelancer_cmd(workspace, "archive F-1")
    assert "Restored *F-1*" in freelancer_cmd(workspace, "restore F-1")
    assert "Fay Moreau" in freelancer_cmd(workspace, "list")
    assert "already active" in freelancer_cmd(workspace, "restore F-1")


def test_show_finds_by_name_and_hostile_text_pings_no_one(workspace: Workspace) -> None:
    hostile = "&lt;!channel&gt; *x* &amp; &lt;https://evil|pay&gt;"
    freelancer_cmd(workspace, f'add "{hostile}" email:h@example.com notes:"{hostile}"')
    body = ack(workspace.command(MIA, "/freelancer", "show F-2"))
    assert_pings_no_one(body["text"], body["blocks"])
    body = ack(workspace.command(MIA, "/freelancer", "list"))
    assert_pings_no_one(body["text"], body["blocks"])
    assert "F-1 Fay Moreau" in freelancer_cmd(workspace, "show fay", MIA)
    assert "There is no freelancer F-9" in freelancer_cmd(workspace, "show F-9", MIA)
    assert "No freelancer matches `zed`" in freelancer_cmd(workspace, "show zed", MIA)


def test_rates_are_shown_to_coordinators_only(workspace: Workspace) -> None:
    for user in (CORA, MIA, FAY):
        shown = freelancer_cmd(workspace, "show F-1", user) + freelancer_cmd(
            workspace, "list", user
        )
        if user == CORA:
            assert "450.00 GBP per asset" in shown
        else:
            assert "rates: restricted" in shown and "450" not in shown and "GBP" not in shown


def test_the_largest_profile_and_a_long_list_fit_block_kit(workspace: Workspace) -> None:
    # Longer than one slash command may carry, so stored through the service (as the import does).
    actor, now = Actor(CORA, is_coordinator=True), workspace.runtime.now()
    skills = ",".join(f"{i:02d}" + "&" * 38 for i in range(20))
    with workspace.runtime.db.write() as session:
        biggest = freelancers.create_freelancer(
            session,
            actor=actor,
            now=now,
            values=freelancers.clean_contact(
                freelancers.ContactInput(
                    name="&" * 120,
                    email="&" * 240 + "@example.com",
                    phone="+44 20 7946 0958 ext 123",
                    skills=skills,
                    portfolio="https://x.example/" + "&" * 1980,
                    notes="<" * 2000,
                )
            ),
        )
        for n in range(1, 21):
            rate = freelancers.RateInput(f"{n}", "EUR", "day", date(2026, 1, n), "&" * 500)
            terms = freelancers.clean_rate(rate)
            freelancers.add_agreement(
                session, actor=actor, freelancer=biggest, terms=terms, now=now
            )
        for n in range(60):
            contact = freelancers.ContactInput(name="&" * 120, email=f"p{n}@x.com", skills=skills)
            values = freelancers.clean_contact(contact)
            freelancers.create_freelancer(session, actor=actor, now=now, values=values)
    amp = "&amp;"  # what Slack sends for a typed "&"
    for n in range(30):
        workspace.command(CORA, "/asset", f'new "{amp * 200}" kind:poster due:+9d freelancer:F-2')
        workspace.command(CORA, "/asset", f"assign A-{n + 1} F-1")
        workspace.command(CORA, "/asset", f"assign A-{n + 1} F-2")
    for user in (CORA, MIA):
        for text in ("show F-2", "list", "list all"):
            body = ack(workspace.command(user, "/freelancer", text))
            check_message(text=body["text"], blocks=body.get("blocks"))
    assert "…and" in freelancer_cmd(workspace, "list")
