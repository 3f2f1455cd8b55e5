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
        # Covers the summary query: range on time, sums of diamonds and counts without touching the table.
        Index("ix_gift_event_profile_time", "profile_id", "received_at", "diamonds", "count"),
        Index("ix_gift_event_stream", "stream_id"),
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
