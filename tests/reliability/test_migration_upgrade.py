"""Upgrades keep the data: a database written at the first release (0001_baseline) reaches head with the same
rows and the same money; the migration chain itself is sound (one head, every step down and up again)."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from companion.store.db import (
    MIGRATIONS_DIR,
    Database,
    _alembic_config,
    current_revision,
    head_revision,
    open_database,
)

FIRST_RELEASE = "0001_baseline"
#: Tables of the first release, with the money columns whose sums must not move.
BASELINE_SUMS = {
    "profile": ["share_bps"],
    "stream": ["coalesce(peak_viewers, 0)", "coalesce(new_followers, 0)"],
    "gift_type": [],
    "gift_price": ["coins"],
    "gift_event": ["coins_each", "count", "diamonds", "received_at"],
    "setting": [],
}


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]


def _fill_first_release(path: Path) -> None:
    """What a creator's database looks like after using the first release: streams, a priced catalog, gifts."""
    rng = random.Random(1)
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute("PRAGMA foreign_keys=ON")
            con.execute(
                "INSERT INTO profile(id, name, currency, time_zone, share_bps, created_at) "
                "VALUES (1, 'My channel', 'USD', 'Europe/Berlin', 5000, 1790000000000)"
            )
            for gift_id, (name, coins) in enumerate([("Rose", 1), ("TikTok", 1), ("Doughnut", 30)], start=1):
                con.execute(
                    "INSERT INTO gift_type(id, name, name_key, tiktok_id, streakable, custom)"
                    " VALUES (?, ?, ?, ?, ?, 0)",
                    (gift_id, name, name.lower(), 5000 + gift_id, 1),
                )
                con.execute(
                    "INSERT INTO gift_price(gift_type_id, coins, valid_from) VALUES (?, ?, 1780000000000)",
                    (gift_id, coins),
                )
            con.execute("INSERT INTO gift_price(gift_type_id, coins, valid_from) VALUES (3, 35, 1795000000000)")
            for stream in range(1, 41):
                began = 1_790_000_000_000 + stream * 86_400_000
                con.execute(
                    "INSERT INTO stream(id, profile_id, title, started_at, ended_at, peak_viewers, new_followers,"
                    " notes) VALUES (?, 1, ?, ?, ?, ?, ?, '')",
                    (stream, f"Night {stream}", began, began + 7_200_000, rng.randint(5, 900), rng.randint(0, 40)),
                )
            gifts = []
            for n in range(3000):
                stream = 1 + n % 40
                gift_id, coins = rng.choice([(1, 1), (2, 1), (3, 30), (None, 499)])
                count = rng.randint(1, 99)
                gifts.append(
                    (1, stream, 1_790_000_000_000 + stream * 86_400_000 + n * 1000, f"fan{n % 211}", gift_id,
                     "Custom" if gift_id is None else "Gift", coins, count, coins * count,
                     rng.choice(["manual", "csv"]), f"csv:{n:024x}:1" if n % 2 else None, None)
                )  # fmt: skip
            con.executemany(
                "INSERT INTO gift_event(profile_id, stream_id, received_at, sender, gift_type_id, gift_name, "
                "coins_each, count, diamonds, source, source_key, receiver) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                gifts,
            )
            con.execute("INSERT INTO setting(key, value) VALUES ('catalog.synced', '1:2026-11-01:3')")
    finally:
        con.close()


def _facts(path: Path) -> dict[str, tuple[int, ...]]:
    """Row count and money sums of every first-release table, plus an id checksum of the gifts."""
    con = sqlite3.connect(path)
    try:
        facts: dict[str, tuple[int, ...]] = {}
        for table, columns in BASELINE_SUMS.items():
            sums = ", ".join(f"coalesce(sum({c}), 0)" for c in columns)
            row = con.execute(f"SELECT count(*){', ' + sums if sums else ''} FROM {table}").fetchone()
            facts[table] = tuple(int(v) for v in row)
        checksum = con.execute("SELECT coalesce(sum(id * 7 + coalesce(stream_id, 0)), 0) FROM gift_event").fetchone()
        facts["gift ids"] = (int(checksum[0]),)
        return facts
    finally:
        con.close()


def _sound(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()


@pytest.fixture
def first_release(tmp_path: Path) -> Iterator[Path]:
    """A database file at the first released revision, filled the way that release filled it."""
    path = tmp_path / "data" / "companion.sqlite3"
    path.parent.mkdir()
    database = Database(path)
    command.upgrade(_alembic_config(database.engine), FIRST_RELEASE)
    assert current_revision(database.engine) == FIRST_RELEASE
    database.dispose()
    _fill_first_release(path)
    yield path


def test_first_release_database_upgrades_to_head_with_the_same_rows_and_money(
    first_release: Path, tmp_path: Path
) -> None:
    before = _facts(first_release)
    assert before["gift_event"][0] == 3000
    database = open_database(first_release, tmp_path / "backups")
    try:
        assert current_revision(database.engine) == head_revision()
    finally:
        database.dispose()
    assert _facts(first_release) == before
    _sound(first_release)
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1 and _facts(backups[0]) == before  # the pre-upgrade copy holds the same data


def test_head_down_to_first_release_and_up_again_keeps_the_data(first_release: Path, tmp_path: Path) -> None:
    before = _facts(first_release)
    database = open_database(first_release, tmp_path / "backups")
    try:
        config = _alembic_config(database.engine)
        command.downgrade(config, FIRST_RELEASE)
        assert current_revision(database.engine) == FIRST_RELEASE
        assert _facts(first_release) == before
        command.upgrade(config, "head")
        assert current_revision(database.engine) == head_revision()
    finally:
        database.dispose()
    assert _facts(first_release) == before
    _sound(first_release)


# ---- the chain itself (pytest-alembic's standard checks) -------------------------------------------------


def test_single_head_and_a_linear_chain_from_the_first_release() -> None:
    script = _script()
    assert script.get_heads() == [head_revision()], "more than one head: a migration forgot its down_revision"
    chain = [rev.revision for rev in script.walk_revisions("base", "heads")][::-1]
    assert chain[0] == FIRST_RELEASE
    assert len(set(chain)) == len(chain)


def test_every_revision_has_a_downgrade_that_does_something() -> None:
    for rev in _script().walk_revisions("base", "heads"):
        source = Path(rev.path).read_text(encoding="utf-8")
        assert "def downgrade()" in source, f"{rev.revision} has no downgrade()"
        body = source.split("def downgrade()", 1)[1]
        assert "op." in body, f"{rev.revision}: downgrade() changes nothing"


def test_stairway_every_step_up_down_and_up_again(tmp_path: Path) -> None:
    """Each revision: upgrade to it, downgrade one step, upgrade again — catches a downgrade that forgets an
    index or a table the upgrade made (the next upgrade would then fail)."""
    database = Database(tmp_path / "stairs.sqlite3")
    try:
        config = _alembic_config(database.engine)
        revisions = [rev for rev in _script().walk_revisions("base", "heads")][::-1]
        for rev in revisions:
            command.upgrade(config, rev.revision)
            command.downgrade(config, rev.down_revision or "base")
            assert current_revision(database.engine) == rev.down_revision
            command.upgrade(config, rev.revision)
            assert current_revision(database.engine) == rev.revision
    finally:
        database.dispose()
    _sound(tmp_path / "stairs.sqlite3")


def test_migrations_folder_holds_only_chained_revisions() -> None:
    files = {p.stem for p in (MIGRATIONS_DIR / "versions").glob("*.py") if not p.name.startswith("_")}
    chained = {Path(rev.path).stem for rev in _script().walk_revisions("base", "heads")}
    assert files == chained, f"revision files outside the chain: {sorted(files - chained)}"
