"""share timeline: the profile's share as a history (share_period) and per-LIVE overrides (stream_share)

Revision ID: 0006_share_timeline
Revises: 0003_sender_index
Create Date: 2026-12-01

Existing profiles get one period with their current scheme, level and share, from the local date of their first
gift (2000-01-01 when they have none: "since the start", so a scheme then set from an earlier date is not
undone on upgrade day), so no past cash changes on upgrade.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006_share_timeline"
down_revision = "0003_sender_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "share_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.String(), nullable=False),
        sa.Column("scheme_key", sa.String(), nullable=False),
        sa.Column("level_name", sa.String(), nullable=True),
        sa.Column("share_bps", sa.Integer(), nullable=True),
        sa.CheckConstraint("share_bps IS NULL OR share_bps BETWEEN 0 AND 10000", name="ck_share_period_share_bps"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("profile_id", "effective_from", name="uq_share_period_from"),
    )
    op.create_table(
        "stream_share",
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("share_bps", sa.Integer(), nullable=True),
        sa.Column("breach_bps", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.CheckConstraint("breach_bps BETWEEN 0 AND 10000", name="ck_stream_share_breach_bps"),
        sa.CheckConstraint("share_bps IS NULL OR share_bps BETWEEN 0 AND 10000", name="ck_stream_share_share_bps"),
        sa.ForeignKeyConstraint(["stream_id"], ["stream.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("stream_id"),
    )
    # The time index also carries stream_id: cash groups gifts by stream (each LIVE at its share), and without it
    # every gift of the range was read from the table.
    with op.batch_alter_table("gift_event", schema=None) as batch_op:
        batch_op.drop_index("ix_gift_event_profile_time")
        batch_op.create_index(
            "ix_gift_event_profile_time", ["profile_id", "received_at", "stream_id", "diamonds", "count"], unique=False
        )
    _seed_periods()


def _seed_periods() -> None:
    """One period per existing profile: its scheme and level as they are, from its first gift's local day."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    bind = op.get_bind()
    profiles = bind.execute(sa.text("SELECT id, time_zone, share_bps FROM profile")).fetchall()
    for profile_id, time_zone, share_bps in profiles:
        first = bind.execute(
            sa.text("SELECT MIN(received_at) FROM gift_event WHERE profile_id = :p"), {"p": profile_id}
        ).scalar()
        try:
            tz = ZoneInfo(time_zone) if time_zone else None
        except (ZoneInfoNotFoundError, ValueError):
            tz = None
        if first is None:
            day = date(2000, 1, 1)
        else:
            moment = datetime.fromtimestamp(first / 1000, UTC)
            day = moment.astimezone(tz).date() if tz is not None else moment.astimezone().date()
        choice = bind.execute(
            sa.text(
                "SELECT s.key, l.name FROM profile_economics e JOIN reward_scheme s ON s.id = e.scheme_id"
                " LEFT JOIN reward_level l ON l.id = e.level_id WHERE e.profile_id = :p"
            ),
            {"p": profile_id},
        ).first()
        scheme_key, level_name = (choice[0], choice[1]) if choice is not None else ("custom", None)
        bind.execute(
            sa.text(
                "INSERT INTO share_period (profile_id, effective_from, scheme_key, level_name, share_bps)"
                " VALUES (:p, :d, :k, :l, :s)"
            ),
            {"p": profile_id, "d": day.isoformat(), "k": scheme_key, "l": level_name, "s": share_bps},
        )


def downgrade() -> None:
    with op.batch_alter_table("gift_event", schema=None) as batch_op:
        batch_op.drop_index("ix_gift_event_profile_time")
        batch_op.create_index(
            "ix_gift_event_profile_time", ["profile_id", "received_at", "diamonds", "count"], unique=False
        )
    op.drop_table("stream_share")
    op.drop_table("share_period")
