"""tiktok lives: the LIVEs of TikTok's data download, beside the streams they were matched to

Revision ID: 0007_tiktok_lives
Revises: 0006_share_timeline
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_tiktok_lives"
down_revision = "0006_share_timeline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tiktok_live",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("ended_at", sa.BigInteger(), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("earning", sa.String(), nullable=True),
        sa.Column("earning_unit", sa.String(), nullable=False),
        sa.Column("share_bps", sa.Integer(), nullable=True),
        sa.Column("diamonds", sa.Integer(), nullable=True),
        sa.Column("gifters", sa.Integer(), nullable=True),
        sa.Column("views", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("diamonds IS NULL OR diamonds >= 0", name="ck_tiktok_live_diamonds"),
        sa.CheckConstraint("earning_unit IN ('diamonds', 'usd')", name="ck_tiktok_live_unit"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["stream_id"], ["stream.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("profile_id", "started_at", name="uq_tiktok_live_start"),
    )
    with op.batch_alter_table("tiktok_live", schema=None) as batch_op:
        batch_op.create_index("ix_tiktok_live_stream", ["stream_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tiktok_live", schema=None) as batch_op:
        batch_op.drop_index("ix_tiktok_live_stream")
    op.drop_table("tiktok_live")
