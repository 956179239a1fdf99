"""Freelancers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ASSET_FK = "fk_assets_freelancer_id_freelancers"


def upgrade() -> None:
    op.create_table(
        "freelancers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("slack_user_id", sa.String(length=32), nullable=True),
        sa.Column("skills", sa.String(length=1000), nullable=False),
        sa.Column("portfolio", sa.String(length=2000), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_freelancers")),
        sa.UniqueConstraint("email", name=op.f("uq_freelancers_email")),
    )
    with op.batch_alter_table("freelancers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_freelancers_slack_user_id"), ["slack_user_id"], unique=False
        )

    op.create_table(
        "rate_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("freelancer_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_rate_agreements_amount_positive")),
        sa.CheckConstraint(
            "unit IN ('hour', 'day', 'asset', 'project')",
            name=op.f("ck_rate_agreements_unit_known"),
        ),
        sa.ForeignKeyConstraint(
            ["freelancer_id"],
            ["freelancers.id"],
            name=op.f("fk_rate_agreements_freelancer_id_freelancers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_agreements")),
    )
    with op.batch_alter_table("rate_agreements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rate_agreements_freelancer_from", ["freelancer_id", "valid_from"], unique=False
        )

    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("freelancer_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by", sa.String(length=32), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unassigned_by", sa.String(length=32), nullable=True),
        sa.Column("unassigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["assets.id"],
            name=op.f("fk_assignments_asset_id_assets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["freelancer_id"],
            ["freelancers.id"],
            name=op.f("fk_assignments_freelancer_id_freelancers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assignments_freelancer_id"), ["freelancer_id"], unique=False
        )

    if op.get_bind().dialect.name == "sqlite":
        # A batch rebuild of `assets` would drop the table while foreign keys are on, and
        # the implicit delete would cascade to its links; SQLite adds a nullable referencing
        # column in place instead. (Freelancers are archived, never deleted: no ON DELETE.)
        op.execute(
            f"ALTER TABLE assets ADD COLUMN freelancer_id INTEGER CONSTRAINT {ASSET_FK} "
            "REFERENCES freelancers (id)"
        )
    else:
        op.add_column("assets", sa.Column("freelancer_id", sa.Integer(), nullable=True))
        op.create_foreign_key(ASSET_FK, "assets", "freelancers", ["freelancer_id"], ["id"])
    op.create_index(op.f("ix_assets_freelancer_id"), "assets", ["freelancer_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_assets_freelancer_id"), table_name="assets")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE assets DROP COLUMN freelancer_id")
    else:
        op.drop_constraint(ASSET_FK, "assets", type_="foreignkey")
        op.drop_column("assets", "freelancer_id")
    op.drop_table("assignments")
    op.drop_table("rate_agreements")
    op.drop_table("freelancers")
