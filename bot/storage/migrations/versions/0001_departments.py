"""Departments, their members and approval routes.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("usergroup_id", sa.String(32), nullable=True),
        sa.Column("channel_id", sa.String(32), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_departments"),
    )
    op.create_table(
        "department_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_key", sa.String(40), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_key"],
            ["departments.key"],
            name="fk_department_members_department_key_departments",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_department_members"),
        sa.UniqueConstraint(
            "department_key", "user_id", name="uq_department_members_department_key_user_id"
        ),
    )
    op.create_index(
        "ix_department_members_department_key", "department_members", ["department_key"]
    )
    op.create_table(
        "routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("department_key", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_key"],
            ["departments.key"],
            name="fk_routes_department_key_departments",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_routes"),
        sa.UniqueConstraint("kind", "department_key", name="uq_routes_kind_department_key"),
    )
    op.create_index("ix_routes_kind", "routes", ["kind"])


def downgrade() -> None:
    op.drop_table("routes")
    op.drop_table("department_members")
    op.drop_table("departments")
