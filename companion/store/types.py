"""Column types: instants as integer UTC milliseconds (compact, index-friendly, never naive)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_millis(moment: datetime) -> int:
    """Exact integer milliseconds (sub-millisecond digits are dropped, never rounded through a float)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetimes are not stored: give a time zone")
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_millis(millis: int) -> datetime:
    seconds, ms = divmod(millis, 1000)
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=ms * 1000)


class UtcMillis(TypeDecorator[datetime]):
    """An aware datetime stored as milliseconds since 1970-01-01 UTC."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, int):
            return value
        return to_millis(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else from_millis(int(value))
