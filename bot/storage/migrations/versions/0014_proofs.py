"""Proofs: file versions of an asset with their preflight; rounds bound to a version; which
departments receive an approved proof; cards found by their ts (a file shared in a thread).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proofs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("filetype", sa.String(length=40), nullable=True),
        sa.Column("mimetype", sa.String(length=120), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("permalink", sa.String(length=1000), nullable=True),
        sa.Column("download_url", sa.String(length=1000), nullable=True),
        sa.Column("shared_by", sa.String(length=32), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("preflight", sa.String(length=20), nullable=False),
        sa.Column("preflight_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("preflight_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("preflight_attempts", sa.Integer(), nullable=False),
        sa.Column("spec", sa.String(length=120), nullable=True),
        sa.Column("checks", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_proofs_asset_id_assets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proofs")),
        sa.UniqueConstraint("asset_id", "file_id", name=op.f("uq_proofs_asset_id_file_id")),
        sa.UniqueConstraint("asset_id", "version", name=op.f("uq_proofs_asset_id_version")),
    )
    op.create_index(op.f("ix_proofs_asset_id"), "proofs", ["asset_id"], unique=False)
    op.create_table(
        "delivery_routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("department_key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_key"],
            ["departments.key"],
            name=op.f("fk_delivery_routes_department_key_departments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_routes")),
        sa.UniqueConstraint("kind", "department_key", name=op.f("uq_delivery_routes_kind_department_key")),
    )
    op.create_index(op.f("ix_delivery_routes_kind"), "delivery_routes", ["kind"], unique=False)
    op.create_index(op.f("ix_assets_card_ts"), "assets", ["card_ts"], unique=False)
    op.create_index(op.f("ix_releases_card_ts"), "releases", ["card_ts"], unique=False)
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proof_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_approval_requests_proof_id_proofs"),
            "proofs",
            ["proof_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_approval_requests_proof_id_proofs"), type_="foreignkey"
        )
        batch_op.drop_column("proof_id")
    op.drop_index(op.f("ix_releases_card_ts"), table_name="releases")
    op.drop_index(op.f("ix_assets_card_ts"), table_name="assets")
    op.drop_index(op.f("ix_delivery_routes_kind"), table_name="delivery_routes")
    op.drop_table("delivery_routes")
    op.drop_index(op.f("ix_proofs_asset_id"), table_name="proofs")
    op.drop_table("proofs")
