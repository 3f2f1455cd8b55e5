"""baseline: profile, stream, gift catalog with price history, gift events, settings

Revision ID: 0001_baseline
Revises: (none)
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gift_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("tiktok_id", sa.Integer(), nullable=True),
        sa.Column("streakable", sa.Boolean(), nullable=False),
        sa.Column("custom", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key"),
    )
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("time_zone", sa.String(), nullable=False),
        sa.Column("share_bps", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("share_bps BETWEEN 0 AND 10000", name="ck_profile_share_bps"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "gift_price",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gift_type_id", sa.Integer(), nullable=False),
        sa.Column("coins", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("coins >= 0", name="ck_gift_price_coins"),
        sa.ForeignKeyConstraint(["gift_type_id"], ["gift_type.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("gift_type_id", "valid_from", name="uq_gift_price_from"),
    )
    op.create_table(
        "stream",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("ended_at", sa.BigInteger(), nullable=True),
        sa.Column("peak_viewers", sa.Integer(), nullable=True),
        sa.Column("new_followers", sa.Integer(), nullable=True),
        sa.Column("notes", sa.String(), nullable=False),
        sa.CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ck_stream_ends_after_start"),
        sa.CheckConstraint("new_followers IS NULL OR new_followers >= 0", name="ck_stream_new_followers"),
        sa.CheckConstraint("peak_viewers IS NULL OR peak_viewers >= 0", name="ck_stream_peak_viewers"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stream", schema=None) as batch_op:
        batch_op.create_index("ix_stream_profile_started", ["profile_id", "started_at"], unique=False)

    op.create_table(
        "gift_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.Column("sender", sa.String(), nullable=False),
        sa.Column("gift_type_id", sa.Integer(), nullable=True),
        sa.Column("gift_name", sa.String(), nullable=False),
        sa.Column("coins_each", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("diamonds", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("source_key", sa.String(), nullable=True),
        sa.Column("receiver", sa.String(), nullable=True),
        sa.CheckConstraint("coins_each >= 0", name="ck_gift_event_coins_each"),
        sa.CheckConstraint("count >= 1", name="ck_gift_event_count"),
        sa.CheckConstraint("diamonds = coins_each * count", name="ck_gift_event_diamonds"),
        sa.ForeignKeyConstraint(["gift_type_id"], ["gift_type.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["stream_id"], ["stream.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("profile_id", "source_key", name="uq_gift_event_source_key"),
    )
    with op.batch_alter_table("gift_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gift_event_profile_time", ["profile_id", "received_at", "diamonds", "count"], unique=False
        )
        batch_op.create_index("ix_gift_event_stream", ["stream_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("gift_event", schema=None) as batch_op:
        batch_op.drop_index("ix_gift_event_stream")
        batch_op.drop_index("ix_gift_event_profile_time")

    op.drop_table("gift_event")
    with op.batch_alter_table("stream", schema=None) as batch_op:
        batch_op.drop_index("ix_stream_profile_started")

    op.drop_table("stream")
    op.drop_table("gift_price")
    op.drop_table("setting")
    op.drop_table("profile")
    op.drop_table("gift_type")
