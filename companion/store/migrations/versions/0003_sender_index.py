"""sender index: gift_event (profile_id, sender, diamonds) for gifters, autocomplete and a sender's totals

Revision ID: 0003_sender_index
Revises: 0002_economics
Create Date: 2026-11-26

Measured on 1,000,000 gifts from 5,000 senders: the autocomplete list (senders by total diamonds) 446 ms → 104 ms,
one sender's totals 147 ms → 8 ms; building the index took about 1 s.
"""

from __future__ import annotations

from alembic import op

revision = "0003_sender_index"
down_revision = "0002_economics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gift_event", schema=None) as batch_op:
        batch_op.create_index("ix_gift_event_profile_sender", ["profile_id", "sender", "diamonds"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("gift_event", schema=None) as batch_op:
        batch_op.drop_index("ix_gift_event_profile_sender")
