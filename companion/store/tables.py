"""SQLModel tables. Money is integers only (coins, diamonds, basis points); instants are UTC milliseconds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from companion.store.types import UtcMillis


class ProfileRow(SQLModel, table=True):
    __tablename__ = "profile"
    __table_args__ = (CheckConstraint("share_bps BETWEEN 0 AND 10000", name="ck_profile_share_bps"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    currency: str = Field(default="USD", max_length=3)
    time_zone: str = Field(default="")
    share_bps: int = Field(default=5000)
    created_at: datetime = Field(sa_type=UtcMillis, nullable=False)


class StreamRow(SQLModel, table=True):
    __tablename__ = "stream"
    __table_args__ = (
        Index("ix_stream_profile_started", "profile_id", "started_at"),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ck_stream_ends_after_start"),
        CheckConstraint("peak_viewers IS NULL OR peak_viewers >= 0", name="ck_stream_peak_viewers"),
        CheckConstraint("new_followers IS NULL OR new_followers >= 0", name="ck_stream_new_followers"),
    )

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(sa_column=Column(Integer, ForeignKey("profile.id", ondelete="CASCADE"), nullable=False))
    title: str = Field(default="")
    started_at: datetime = Field(sa_type=UtcMillis, nullable=False)
    ended_at: datetime | None = Field(default=None, sa_type=UtcMillis, nullable=True)
    peak_viewers: int | None = Field(default=None)
    new_followers: int | None = Field(default=None)
    notes: str = Field(default="")


class GiftTypeRow(SQLModel, table=True):
    __tablename__ = "gift_type"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(unique=True)  # case- and space-insensitive name
    tiktok_id: int | None = Field(default=None)
    streakable: bool = Field(default=False)
    custom: bool = Field(default=False)


class GiftPriceRow(SQLModel, table=True):
    """Price history: a gift costs `coins` from `valid_from` until its next row."""

    __tablename__ = "gift_price"
    __table_args__ = (
        UniqueConstraint("gift_type_id", "valid_from", name="uq_gift_price_from"),
        CheckConstraint("coins >= 0", name="ck_gift_price_coins"),
    )

    id: int | None = Field(default=None, primary_key=True)
    gift_type_id: int = Field(sa_column=Column(Integer, ForeignKey("gift_type.id", ondelete="CASCADE"), nullable=False))
    coins: int
    valid_from: datetime = Field(sa_type=UtcMillis, nullable=False)


class GiftEventRow(SQLModel, table=True):
    __tablename__ = "gift_event"
    __table_args__ = (
        # Covers the summary query: range on time, sums of diamonds and counts without touching the table; the
        # stream too, so cash per (stream, share) group is summed from the index alone (0006).
        Index("ix_gift_event_profile_time", "profile_id", "received_at", "stream_id", "diamonds", "count"),
        Index("ix_gift_event_stream", "stream_id"),
        # Covers gifters by total (sender autocomplete, a sender's totals): 446 ms → 104 ms at 1M gifts (0003).
        Index("ix_gift_event_profile_sender", "profile_id", "sender", "diamonds"),
        UniqueConstraint("profile_id", "source_key", name="uq_gift_event_source_key"),
        CheckConstraint("count >= 1", name="ck_gift_event_count"),
        CheckConstraint("coins_each >= 0", name="ck_gift_event_coins_each"),
        CheckConstraint("diamonds = coins_each * count", name="ck_gift_event_diamonds"),
    )

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(sa_column=Column(Integer, ForeignKey("profile.id", ondelete="CASCADE"), nullable=False))
    stream_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("stream.id", ondelete="SET NULL"), nullable=True)
    )
    received_at: datetime = Field(sa_type=UtcMillis, nullable=False)
    sender: str = Field(default="")
    gift_type_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("gift_type.id", ondelete="SET NULL"), nullable=True)
    )
    gift_name: str  # snapshot: the name as it was when received
    coins_each: int  # snapshot: the price as it was when received
    count: int
    diamonds: int
    source: str = Field(default="manual")  # manual | csv | events | live
    source_key: str | None = Field(default=None)
    receiver: str | None = Field(default=None)


class SettingRow(SQLModel, table=True):
    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str


# ---- 0002: economics, payouts, payment methods ---------------------------------------------------------------


class RewardSchemeRow(SQLModel, table=True):
    """A named list of levels. Presets come from resources/reward_schemes.json (`preset=True`); the user may add
    their own ("Agency / custom")."""

    __tablename__ = "reward_scheme"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # stable identifier, e.g. "classic", "us-2025"; custom ones "custom-<n>"
    name: str
    note: str = Field(default="")  # where the figures come from
    preset: bool = Field(default=False)


class RewardLevelRow(SQLModel, table=True):
    __tablename__ = "reward_level"
    __table_args__ = (
        UniqueConstraint("scheme_id", "name", name="uq_reward_level_name"),
        CheckConstraint("share_bps BETWEEN 0 AND 10000", name="ck_reward_level_share_bps"),
    )

    id: int | None = Field(default=None, primary_key=True)
    scheme_id: int = Field(
        sa_column=Column(Integer, ForeignKey("reward_scheme.id", ondelete="CASCADE"), nullable=False)
    )
    position: int = Field(default=0)  # order within the scheme, lowest share first
    name: str
    share_bps: int
    note: str = Field(default="")


class ProfileEconomicsRow(SQLModel, table=True):
    """Per-profile money settings: scheme and level, display currency is `profile.currency`; withdrawal rules.
    Amounts are US cents (withdrawals are made in USD); percentages are basis points."""

    __tablename__ = "profile_economics"
    __table_args__ = (
        CheckConstraint("min_withdrawal_cents >= 0", name="ck_econ_min_withdrawal"),
        CheckConstraint("daily_cap_cents > 0", name="ck_econ_daily_cap"),
        CheckConstraint("processing_days >= 0", name="ck_econ_processing_days"),
        CheckConstraint("tax_set_aside_bps BETWEEN 0 AND 10000", name="ck_econ_tax_set_aside"),
    )

    profile_id: int = Field(
        sa_column=Column(Integer, ForeignKey("profile.id", ondelete="CASCADE"), primary_key=True, nullable=False)
    )
    scheme_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("reward_scheme.id", ondelete="SET NULL"), nullable=True)
    )
    level_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("reward_level.id", ondelete="SET NULL"), nullable=True)
    )
    min_withdrawal_cents: int = Field(default=0)
    daily_cap_cents: int = Field(default=100_000)
    processing_days: int = Field(default=15)
    tax_set_aside_bps: int = Field(default=0)


class MethodFeeRow(SQLModel, table=True):
    """The fee a withdrawal method kind charges: percentage (basis points) plus a fixed amount in US cents."""

    __tablename__ = "method_fee"
    __table_args__ = (
        CheckConstraint("percent_bps BETWEEN 0 AND 10000", name="ck_method_fee_percent"),
        CheckConstraint("fixed_cents >= 0", name="ck_method_fee_fixed"),
    )

    profile_id: int = Field(
        sa_column=Column(Integer, ForeignKey("profile.id", ondelete="CASCADE"), primary_key=True, nullable=False)
    )
    kind: str = Field(primary_key=True)  # paypal | bank | payoneer | other
    percent_bps: int = Field(default=0)
    fixed_cents: int = Field(default=0)


class ExchangeRateRow(SQLModel, table=True):
    """Units of `currency` per 1 US dollar, as decimal text (never REAL), as of a date the user typed."""

    __tablename__ = "exchange_rate"
    __table_args__ = (UniqueConstraint("currency", "as_of", name="uq_exchange_rate_day"),)

    id: int | None = Field(default=None, primary_key=True)
    currency: str = Field(max_length=3)
    per_usd: str
    as_of: str  # ISO date, YYYY-MM-DD


class PaymentMethodRow(SQLModel, table=True):
    """A payout destination. Holds only a masked hint and where its secrets are in the OS keyring — never a secret."""

    __tablename__ = "payment_method"
    __table_args__ = (
        UniqueConstraint("profile_id", "label", name="uq_payment_method_label"),
        CheckConstraint("kind IN ('paypal', 'bank', 'payoneer', 'other')", name="ck_payment_method_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(sa_column=Column(Integer, ForeignKey("profile.id", ondelete="CASCADE"), nullable=False))
    kind: str
    label: str
    hint: str = Field(default="")  # e.g. "p•••@example.com", "•••• 1234"
    keyring_service: str  # io.creatorcompanion.<profile>
    keyring_ref: str  # prefix of the keyring user names of this method's fields
    fields: str = Field(default="")  # comma-separated names of the secret fields stored under keyring_ref
    created_at: datetime = Field(sa_type=UtcMillis, nullable=False)


class PayoutRow(SQLModel, table=True):
    """A withdrawal: requested, then paid or failed. Amounts in US cents; `diamonds` is what it took off the balance."""

    __tablename__ = "payout"
    __table_args__ = (
        Index("ix_payout_profile_requested", "profile_id", "requested_at"),
        CheckConstraint("status IN ('requested', 'paid', 'failed')", name="ck_payout_status"),
        CheckConstraint("diamonds >= 0", name="ck_payout_diamonds"),
        CheckConstraint("gross_cents >= 0", name="ck_payout_gross"),
        CheckConstraint("fee_cents >= 0", name="ck_payout_fee"),
    )

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(sa_column=Column(Integer, ForeignKey("profile.id", ondelete="CASCADE"), nullable=False))
    method_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("payment_method.id", ondelete="SET NULL"), nullable=True)
    )
    requested_at: datetime = Field(sa_type=UtcMillis, nullable=False)
    paid_at: datetime | None = Field(default=None, sa_type=UtcMillis, nullable=True)
    status: str = Field(default="requested")
    diamonds: int = Field(default=0)
    gross_cents: int
    fee_cents: int = Field(default=0)
    currency: str = Field(default="USD", max_length=3)
    notes: str = Field(default="")


class BalanceCheckRow(SQLModel, table=True):
    """Reconciliation: the diamond balance TikTok showed the creator at a moment, to compare with our own."""

    __tablename__ = "balance_check"

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(sa_column=Column(Integer, ForeignKey("profile.id", ondelete="CASCADE"), nullable=False))
    checked_at: datetime = Field(sa_type=UtcMillis, nullable=False)
    diamonds_shown: int


class TikTokLiveRow(SQLModel, table=True):
    """A LIVE as TikTok's data download lists it, beside the stream it was matched to (0007). `diamonds` is
    TikTok's total in diamonds, derived from `earning` (as written) in `earning_unit` at import time."""

    __tablename__ = "tiktok_live"
    __table_args__ = (
        UniqueConstraint("profile_id", "started_at", name="uq_tiktok_live_start"),
        Index("ix_tiktok_live_stream", "stream_id"),
        CheckConstraint("diamonds IS NULL OR diamonds >= 0", name="ck_tiktok_live_diamonds"),
        CheckConstraint("earning_unit IN ('diamonds', 'usd')", name="ck_tiktok_live_unit"),
    )

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(sa_column=Column(Integer, ForeignKey("profile.id", ondelete="CASCADE"), nullable=False))
    stream_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("stream.id", ondelete="SET NULL"), nullable=True)
    )
    started_at: datetime = Field(sa_type=UtcMillis, nullable=False)
    ended_at: datetime | None = Field(default=None, sa_type=UtcMillis, nullable=True)
    duration_seconds: int | None = Field(default=None)
    title: str = Field(default="")
    earning: str | None = Field(default=None)  # TotalEarning as decimal text, never REAL
    earning_unit: str = Field(default="diamonds")
    share_bps: int | None = Field(default=None)  # the share a US$ earning was converted at
    diamonds: int | None = Field(default=None)
    gifters: int | None = Field(default=None)
    views: int | None = Field(default=None)
    imported_at: datetime = Field(sa_type=UtcMillis, nullable=False)


class GoalRow(SQLModel, table=True):
    __tablename__ = "goal"
    __table_args__ = (CheckConstraint("target_minor > 0", name="ck_goal_target"),)

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(sa_column=Column(Integer, ForeignKey("profile.id", ondelete="CASCADE"), nullable=False))
    title: str = Field(default="")
    target_minor: int  # in the goal's currency's minor units
    currency: str = Field(default="USD", max_length=3)
    due: str  # ISO local date, YYYY-MM-DD
    created_at: datetime = Field(sa_type=UtcMillis, nullable=False)


# ---- 0006: share history and per-LIVE shares -------------------------------------------------------------------


class SharePeriodRow(SQLModel, table=True):
    """The profile's share from a local date on (until the next row): a fixed share, or a scheme's per-LIVE rules
    (`share_bps` NULL). The share is copied here so a level edited later never re-prices the past."""

    __tablename__ = "share_period"
    __table_args__ = (
        UniqueConstraint("profile_id", "effective_from", name="uq_share_period_from"),
        CheckConstraint("share_bps IS NULL OR share_bps BETWEEN 0 AND 10000", name="ck_share_period_share_bps"),
    )

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(sa_column=Column(Integer, ForeignKey("profile.id", ondelete="CASCADE"), nullable=False))
    effective_from: str  # ISO local date, YYYY-MM-DD
    scheme_key: str
    level_name: str | None = Field(default=None)
    share_bps: int | None = Field(default=None)


class StreamShareRow(SQLModel, table=True):
    """What the creator set for one LIVE: a share that overrides the rules (TikTok's screen said otherwise) and/or
    a guideline-breach deduction, with a note."""

    __tablename__ = "stream_share"
    __table_args__ = (
        CheckConstraint("share_bps IS NULL OR share_bps BETWEEN 0 AND 10000", name="ck_stream_share_share_bps"),
        CheckConstraint("breach_bps BETWEEN 0 AND 10000", name="ck_stream_share_breach_bps"),
    )

    stream_id: int = Field(
        sa_column=Column(Integer, ForeignKey("stream.id", ondelete="CASCADE"), primary_key=True, nullable=False)
    )
    share_bps: int | None = Field(default=None)
    breach_bps: int = Field(default=0)
    note: str = Field(default="")
