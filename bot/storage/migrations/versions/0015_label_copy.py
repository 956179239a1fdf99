"""Label copy: one per release, with its tracklist.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "label_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=200), nullable=True),
        sa.Column("artist", sa.String(length=200), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("p_line", sa.String(length=300), nullable=True),
        sa.Column("c_line", sa.String(length=300), nullable=True),
        sa.Column("distributor", sa.String(length=200), nullable=True),
        sa.Column("legal", sa.Text(), nullable=True),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_by", sa.String(length=32), nullable=True),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["releases.id"],
            name=op.f("fk_label_copies_release_id_releases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_copies")),
        sa.UniqueConstraint("release_id", name=op.f("uq_label_copies_release_id")),
    )
    op.create_table(
        "label_copy_tracks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label_copy_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=2), nullable=True),
        sa.Column("disc", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=200), nullable=True),
        sa.Column("duration_s", sa.Integer(), nullable=True),
        sa.Column("isrc", sa.String(length=12), nullable=True),
        sa.Column("credits", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["label_copy_id"],
            ["label_copies.id"],
            name=op.f("fk_label_copy_tracks_label_copy_id_label_copies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_copy_tracks")),
    )
    op.create_index(
        op.f("ix_label_copy_tracks_label_copy_id"), "label_copy_tracks", ["label_copy_id"]
    )
    op.create_index(op.f("ix_label_copy_tracks_isrc"), "label_copy_tracks", ["isrc"])


def downgrade() -> None:
    op.drop_index(op.f("ix_label_copy_tracks_isrc"), table_name="label_copy_tracks")
    op.drop_index(op.f("ix_label_copy_tracks_label_copy_id"), table_name="label_copy_tracks")
    op.drop_table("label_copy_tracks")
    op.drop_table("label_copies")
