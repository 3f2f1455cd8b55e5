"""Queries for bulk imports: the price book in one read, stored keys, streams by time, fast inserts.

Inserts go through the driver's executemany with the same SQL a hand-written sqlite3 loop would run (the ORM's
bulk path costs 2.5× that at a million rows); the session's transaction still holds everything, so an import is
all or nothing."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from companion.domain.catalog import gift_key
from companion.domain.models import Stream
from companion.store.tables import GiftPriceRow, GiftTypeRow, StreamRow
from companion.store.types import to_millis

INSERT_GIFT_SQL = (
    "INSERT INTO gift_event (profile_id, stream_id, received_at, sender, gift_type_id, gift_name, coins_each,"
    " count, diamonds, source, source_key, receiver) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
#: Below SQLite's default limit of bound parameters per statement.
_KEYS_PER_QUERY = 900


@dataclass(frozen=True)
class PricedGift:
    """A catalog gift with its whole price history, to price many gifts without a query each."""

    id: int
    name: str
    starts: list[int]  # valid_from, UTC milliseconds, ascending
    coins: list[int]

    def price_at(self, when_ms: int) -> int:
        """The price in force then; before the first known price, the first (as domain.catalog.price_at)."""
        if len(self.coins) == 1:
            return self.coins[0]
        index = bisect.bisect_right(self.starts, when_ms) - 1
        return self.coins[index if index > 0 else 0]


class ImportRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _cursor(self) -> Any:
        """The sqlite3 cursor of this session's connection (inside its open transaction)."""
        return self.s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]

    def price_book(self) -> dict[str, PricedGift]:
        """Every catalog gift by its name key, with its price history."""
        history: dict[int, list[tuple[int, int]]] = {}
        for row in self.s.exec(select(GiftPriceRow)):
            history.setdefault(row.gift_type_id, []).append((to_millis(row.valid_from), row.coins))
        book: dict[str, PricedGift] = {}
        for gift in self.s.exec(select(GiftTypeRow)):
            points = sorted(history.get(gift.id or 0, []))
            if gift.id is not None and points:
                book[gift.name_key] = PricedGift(gift.id, gift.name, [p[0] for p in points], [p[1] for p in points])
        return book

    def stored_counts(self, profile_id: int, keys: Sequence[str]) -> dict[str, tuple[int, int]]:
        """For each key already stored: (gift id, count)."""
        cursor = self._cursor()
        found: dict[str, tuple[int, int]] = {}
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start : start + _KEYS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            cursor.execute(
                f"SELECT source_key, id, count FROM gift_event WHERE profile_id = ? AND source_key IN ({marks})",
                (profile_id, *chunk),
            )
            for key, gift_id, count in cursor.fetchall():
                found[key] = (gift_id, count)
        return found

    def free_key(self, profile_id: int, key: Callable[[int], str]) -> str:
        """The first of `key(1)`, `key(2)`, … the profile does not hold yet."""
        cursor = self._cursor()
        number = 1
        while cursor.execute(
            "SELECT 1 FROM gift_event WHERE profile_id = ? AND source_key = ?", (profile_id, key(number))
        ).fetchone():
            number += 1
        return key(number)

    def foreign_span(self, profile_id: int, prefix: str) -> tuple[int, int] | None:
        """(first, last) received_at ms of the gifts whose key is not of the family `prefix` ("csv:", "ev:"),
        or None when there are none: where an import must also look for its gifts by identity."""
        cursor = self._cursor()
        cursor.execute(
            "SELECT MIN(received_at), MAX(received_at) FROM gift_event WHERE profile_id = ?"
            " AND (source_key IS NULL OR substr(source_key, 1, ?) != ?)",
            (profile_id, len(prefix), prefix),
        )
        first, last = cursor.fetchone()
        return None if first is None else (int(first), int(last))

    def foreign_gifts(
        self, profile_id: int, prefix: str, instants: Sequence[int]
    ) -> list[tuple[int, tuple[int, str, str, int]]]:
        """Gifts received at one of `instants` (ms) whose key is not of the family `prefix`, as (id, identity),
        the identity being (received_at ms, sender, gift name key, count). An index seek per instant: the cost
        follows the rows asked about, not the gifts stored."""
        cursor = self._cursor()
        found: list[tuple[int, tuple[int, str, str, int]]] = []
        distinct = sorted(set(instants))
        for start in range(0, len(distinct), _KEYS_PER_QUERY):
            chunk = distinct[start : start + _KEYS_PER_QUERY]
            cursor.execute(
                "SELECT id, received_at, sender, gift_name, count FROM gift_event WHERE profile_id = ?"
                f" AND received_at IN ({','.join('?' * len(chunk))})"
                " AND (source_key IS NULL OR substr(source_key, 1, ?) != ?)",
                (profile_id, *chunk, len(prefix), prefix),
            )
            found += [(gift_id, (at, sender, gift_key(name), n)) for gift_id, at, sender, name, n in cursor]
        return found

    def streams_between(self, profile_id: int, start: datetime, end: datetime) -> list[Stream]:
        """Streams that ran at some point in [start, end] (a live one counts as running until now)."""
        query = (
            select(StreamRow)
            .where(
                StreamRow.profile_id == profile_id,
                col(StreamRow.started_at) <= end,
                (col(StreamRow.ended_at).is_(None)) | (col(StreamRow.ended_at) >= start),
            )
            .order_by(col(StreamRow.started_at))
        )
        streams: list[Stream] = []
        for r in self.s.exec(query):
            assert r.id is not None
            streams.append(Stream(r.id, r.profile_id, r.title, r.started_at, r.ended_at))
        return streams

    def insert_gifts(
        self,
        total: int,
        rows: Callable[[int, int], Sequence[tuple[Any, ...]]],
        chunk: int = 20_000,
        between_chunks: Callable[[int], None] | None = None,
    ) -> int:
        """Insert `total` rows shaped as INSERT_GIFT_SQL's parameters, `rows(start, stop)` giving each chunk;
        `between_chunks(done)` may raise to stop (the caller's transaction then rolls back)."""
        cursor = self._cursor()
        for start in range(0, total, chunk):
            cursor.executemany(INSERT_GIFT_SQL, rows(start, min(start + chunk, total)))
            if between_chunks is not None:
                between_chunks(min(start + chunk, total))
        return total

    def set_stream_spans(self, spans: Sequence[tuple[int, datetime, datetime]]) -> None:
        """Set (stream id, started_at, ended_at) of streams an import made and then widened."""
        self._cursor().executemany(
            "UPDATE stream SET started_at = ?, ended_at = ? WHERE id = ?",
            [(to_millis(start), to_millis(end), stream_id) for stream_id, start, end in spans],
        )

    def raise_counts(self, updates: Sequence[tuple[int, int]]) -> int:
        """Set (gift id, count) where the new count is higher: a streak stored unfinished, now ended."""
        if updates:
            self.s.execute(
                text(
                    "UPDATE gift_event SET count = :count, diamonds = coins_each * :count"
                    " WHERE id = :id AND count < :count"
                ),
                [{"id": gift_id, "count": count} for gift_id, count in updates],
            )
        return len(updates)
