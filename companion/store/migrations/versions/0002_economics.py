"""economics: reward schemes, levels, withdrawal rules, fees, rates, payment methods, payouts, balance checks, goals

Revision ID: 0002_economics
Revises: 0001_baseline
Create Date: 2026-11-25 23:28:54.092008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_economics"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "exchange_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("per_usd", sa.String(), nullable=False),
        sa.Column("as_of", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("currency", "as_of", name="uq_exchange_rate_day"),
    )
    op.create_table(
        "reward_scheme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("preset", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "balance_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.BigInteger(), nullable=False),
        sa.Column("diamonds_shown", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("target_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("due", sa.String(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("target_minor > 0", name="ck_goal_target"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "method_fee",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("percent_bps", sa.Integer(), nullable=False),
        sa.Column("fixed_cents", sa.Integer(), nullable=False),
        sa.CheckConstraint("fixed_cents >= 0", name="ck_method_fee_fixed"),
        sa.CheckConstraint("percent_bps BETWEEN 0 AND 10000", name="ck_method_fee_percent"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("profile_id", "kind"),
    )
    op.create_table(
        "payment_method",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("hint", sa.String(), nullable=False),
        sa.Column("keyring_service", sa.String(), nullable=False),
        sa.Column("keyring_ref", sa.String(), nullable=False),
        sa.Column("fields", sa.String(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("kind IN ('paypal', 'bank', 'payoneer', 'other')", name="ck_payment_method_kind"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("profile_id", "label", name="uq_payment_method_label"),
    )
    op.create_table(
        "reward_level",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("share_bps", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.CheckConstraint("share_bps BETWEEN 0 AND 10000", name="ck_reward_level_share_bps"),
        sa.ForeignKeyConstraint(["scheme_id"], ["reward_scheme.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scheme_id", "name", name="uq_reward_level_name"),
    )
    op.create_table(
        "payout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("method_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.BigInteger(), nullable=False),
        sa.Column("paid_at", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("diamonds", sa.Integer(), nullable=False),
        sa.Column("gross_cents", sa.Integer(), nullable=False),
        sa.Column("fee_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.CheckConstraint("status IN ('requested', 'paid', 'failed')", name="ck_payout_status"),
        sa.CheckConstraint("diamonds >= 0", name="ck_payout_diamonds"),
        sa.CheckConstraint("fee_cents >= 0", name="ck_payout_fee"),
        sa.CheckConstraint("gross_cents >= 0", name="ck_payout_gross"),
        sa.ForeignKeyConstraint(["method_id"], ["payment_method.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("payout", schema=None) as batch_op:
        batch_op.create_index("ix_payout_profile_requested", ["profile_id", "requested_at"], unique=False)

    op.create_table(
        "profile_economics",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=True),
        sa.Column("level_id", sa.Integer(), nullable=True),
        sa.Column("min_withdrawal_cents", sa.Integer(), nullable=False),
        sa.Column("daily_cap_cents", sa.Integer(), nullable=False),
        sa.Column("processing_days", sa.Integer(), nullable=False),
        sa.Column("tax_set_aside_bps", sa.Integer(), nullable=False),
        sa.CheckConstraint("daily_cap_cents > 0", name="ck_econ_daily_cap"),
        sa.CheckConstraint("min_withdrawal_cents >= 0", name="ck_econ_min_withdrawal"),
        sa.CheckConstraint("processing_days >= 0", name="ck_econ_processing_days"),
        sa.CheckConstraint("tax_set_aside_bps BETWEEN 0 AND 10000", name="ck_econ_tax_set_aside"),
        sa.ForeignKeyConstraint(["level_id"], ["reward_level.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["scheme_id"], ["reward_scheme.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("profile_id"),
    )


def downgrade() -> None:

    op.drop_table("profile_economics")
    with op.batch_alter_table("payout", schema=None) as batch_op:
        batch_op.drop_index("ix_payout_profile_requested")

    op.drop_table("payout")
    op.drop_table("reward_level")
    op.drop_table("payment_method")
    op.drop_table("method_fee")
    op.drop_table("goal")
    op.drop_table("balance_check")
    op.drop_table("reward_scheme")
    op.drop_table("exchange_rate")
