"""Big, realistic gift data for benches: a native CSV or a migrated database with N gifts (deterministic).

    from bench.data import write_gift_csv, make_gift_db
    write_gift_csv(Path("/tmp/gifts.csv"), 1_000_000)
    make_gift_db(Path("/tmp/big.sqlite3"), 1_000_000)     # schema through Alembic, streams and gifts filled

One stream a day (20:00–23:00 UTC) from START, gifts spread over the streams, ~5,000 senders with a long tail,
gifts from the bundled catalog weighted towards the cheap ones, like a real account.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "resources" / "gifts.json"
START = datetime(2024, 1, 1, 20, 0, tzinfo=UTC)
STREAM_HOURS = 3
GIFTS_PER_STREAM = 1_200
SENDERS = 5_000
#: The SQL both our import and the raw floor run (the app's GiftRepo writes the same columns).
INSERT_SQL = (
    "INSERT INTO gift_event (profile_id, stream_id, received_at, sender, gift_type_id, gift_name, coins_each,"
    " count, diamonds, source, source_key, receiver) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class GiftRow:
    stream_index: int
    received_at: datetime
    sender: str
    gift: str
    coins_each: int
    count: int


def catalog() -> list[tuple[str, int]]:
    document = json.loads(CATALOG.read_text(encoding="utf-8"))
    return [(g["name"], g["coins"]) for g in document["gifts"]]


def gift_rows(n: int, seed: int = 7, start: datetime = START) -> Iterator[GiftRow]:
    """`n` gifts in time order, GIFTS_PER_STREAM to a daily stream, the first stream at `start`."""
    rng = random.Random(seed)
    gifts = catalog()
    weights = [1.0 / (coins**0.8) for _, coins in gifts]  # cheap gifts are sent far more often
    picks = rng.choices(range(len(gifts)), weights=weights, k=min(n, 200_000))
    senders = [f"fan_{i:04d}" for i in range(SENDERS)]
    span_ms = STREAM_HOURS * 3600 * 1000
    for index in range(n):
        stream = index // GIFTS_PER_STREAM
        offset = (index % GIFTS_PER_STREAM) * span_ms // GIFTS_PER_STREAM
        at = start + timedelta(days=stream, milliseconds=offset)
        name, coins = gifts[picks[index % len(picks)]]
        sender = senders[min(int(rng.paretovariate(1.2)) - 1, SENDERS - 1) if index % 3 else rng.randrange(SENDERS)]
        count = 1 if coins > 99 else rng.choice((1, 1, 1, 2, 5, 10, 30))
        yield GiftRow(stream, at, sender, name, coins, count)


def stream_title(index: int) -> str:
    return f"LIVE #{index + 1}"


def write_gift_csv(path: Path, n: int, seed: int = 7, with_prices: bool = False) -> Path:
    """The native CSV of `n` gifts. Prices are left to the catalog unless `with_prices`."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["received_at", "sender", "gift", "coins_each", "count", "stream"])
        for row in gift_rows(n, seed):
            writer.writerow(
                [
                    row.received_at.isoformat(),
                    row.sender,
                    row.gift,
                    row.coins_each if with_prices else "",
                    row.count,
                    stream_title(row.stream_index),
                ]
            )
    return path


def millis(moment: datetime) -> int:
    return int((moment - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() * 1000)


def insert_params(
    profile_id: int, stream_id: int | None, row: GiftRow, gift_type_id: int | None, key: str
) -> tuple[object, ...]:
    """INSERT_SQL's parameters for one gift."""
    return (
        profile_id, stream_id, millis(row.received_at), row.sender, gift_type_id, row.gift, row.coins_each,
        row.count, row.coins_each * row.count, "csv", key, None,
    )  # fmt: skip


def make_gift_db(path: Path, n: int, seed: int = 7, start: datetime = START) -> Path:
    """A database at the app's schema head holding `n` gifts in daily streams (raw sqlite3 inserts, fast).
    The app's own services can open it (`open_database` + `build_services`)."""
    from companion.services import build_services
    from companion.store.db import open_database

    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(path, path.parent / "backups")
    services = build_services(db, CATALOG)
    profile_id = services.profile_id
    db.dispose()
    connection = sqlite3.connect(path)
    try:
        types = dict(connection.execute("SELECT name, id FROM gift_type").fetchall())
        streams = (n + GIFTS_PER_STREAM - 1) // GIFTS_PER_STREAM
        connection.executemany(
            "INSERT INTO stream (id, profile_id, title, started_at, ended_at, notes) VALUES (?, ?, ?, ?, ?, '')",
            [
                (
                    s + 1,
                    profile_id,
                    stream_title(s),
                    millis(start + timedelta(days=s)),
                    millis(start + timedelta(days=s, hours=STREAM_HOURS)),
                )
                for s in range(streams)
            ],
        )
        batch: list[tuple[object, ...]] = []
        for index, row in enumerate(gift_rows(n, seed, start)):
            batch.append(insert_params(profile_id, row.stream_index + 1, row, types.get(row.gift), f"bench:{index}"))
            if len(batch) == 50_000:
                connection.executemany(INSERT_SQL, batch)
                batch.clear()
        connection.executemany(INSERT_SQL, batch)
        connection.commit()
    finally:
        connection.close()
    return path


def gift_count(database: Path) -> int:
    """How many gift events `database` holds; -1 when it is missing or not a readable database."""
    if not database.exists():
        return -1
    try:
        connection = sqlite3.connect(database)
        try:
            return int(connection.execute("SELECT count(*) FROM gift_event").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return -1


def cached_gift_db(folder: Path, gifts: int, fresh: bool = False, start: datetime = START) -> Path:
    """`folder`/companion.sqlite3 holding `gifts` gifts from `start` on, kept between runs: rebuilt (folder emptied
    first) when `fresh` or when it holds another number of gifts."""
    database = folder / "companion.sqlite3"
    if fresh or gift_count(database) != gifts:
        shutil.rmtree(folder, ignore_errors=True)
        print(f"building a database with {gifts:,} gifts in {folder} …", flush=True)
        began = time.perf_counter()
        make_gift_db(database, gifts, start=start)
        print(f"  built in {time.perf_counter() - began:.1f} s", flush=True)
    return database


@contextmanager
def bench_gift_db(given: Path | None, rows: int, prefix: str) -> Iterator[tuple[Path, Path]]:
    """(database, scratch folder): `given` (made with `rows` gifts if it does not exist, and kept) or a new one in
    the scratch folder; the scratch folder is removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        path = given or folder / "gifts.sqlite3"
        if not path.exists():
            make_gift_db(path, rows)
        yield path, folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
