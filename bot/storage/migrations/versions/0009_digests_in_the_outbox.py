"""Digests go through the outbox: a unique key per digest, back-off and in-flight markers.

The digest claims table is replaced by outbox rows keyed ``digest:<date>:channel:<schedule>``
or ``digest:<date>:dm:<user>``. Claims already posted, or left in doubt, become sent or
in-doubt rows under the same key, so an upgrade on the day of a digest never posts it again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key", sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sending_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_outbox_key"), ["key"])
    _carry_over_claims()
    op.drop_table("digest_claims")


def _carry_over_claims() -> None:
    bind = op.get_bind()
    claims = sa.table(
        "digest_claims",
        sa.column("schedule_id", sa.Integer),
        sa.column("user_id", sa.String),
        sa.column("local_date", sa.Date),
        sa.column("claimed_at", sa.DateTime(timezone=True)),
        sa.column("attempts", sa.Integer),
        sa.column("sending_at", sa.DateTime(timezone=True)),
        sa.column("posted_at", sa.DateTime(timezone=True)),
        sa.column("last_error", sa.String),
    )
    outbox = sa.table(
        "outbox",
        sa.column("key", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("items", sa.JSON),
        sa.column("done_items", sa.Integer),
        sa.column("posted", sa.JSON),
        sa.column("attempts", sa.Integer),
        sa.column("sending_at", sa.DateTime(timezone=True)),
        sa.column("sent_at", sa.DateTime(timezone=True)),
        sa.column("last_error", sa.Text),
    )
    done = claims.c.posted_at.is_not(None) | claims.c.sending_at.is_not(None)
    rows = [
        {
            "key": (
                f"digest:{row.local_date.isoformat()}:channel:{row.schedule_id}"
                if row.schedule_id is not None
                else f"digest:{row.local_date.isoformat()}:dm:{row.user_id}"
            ),
            "created_at": row.claimed_at,
            "items": [],
            "done_items": 0,
            "posted": {},
            "attempts": row.attempts,
            "sending_at": None if row.posted_at else row.sending_at,
            "sent_at": row.posted_at,
            "last_error": row.last_error,
        }
        for row in bind.execute(sa.select(claims).where(done))
    ]
    if rows:
        op.bulk_insert(outbox, rows)


def downgrade() -> None:
    op.create_table(
        "digest_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sending_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.CheckConstraint(
            "(schedule_id IS NULL) <> (user_id IS NULL)", name=op.f("ck_digest_claims_one_target")
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["digest_schedules.id"],
            name=op.f("fk_digest_claims_schedule_id_digest_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_claims")),
        sa.UniqueConstraint(
            "schedule_id", "local_date", name=op.f("uq_digest_claims_schedule_id_local_date")
        ),
        sa.UniqueConstraint(
            "user_id", "local_date", name=op.f("uq_digest_claims_user_id_local_date")
        ),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_outbox_key"), type_="unique")
        batch_op.drop_column("sending_at")
        batch_op.drop_column("retry_at")
        batch_op.drop_column("key")
