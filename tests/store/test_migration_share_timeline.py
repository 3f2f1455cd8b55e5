"""0006: an existing profile gets one share-history entry, its level as it was, from its first gift's local day."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from companion.store.db import _alembic_config, open_database


def test_existing_profiles_get_one_entry_from_their_first_gift(tmp_path: Path) -> None:
    db = open_database(tmp_path / "c.sqlite3", tmp_path / "backups")
    config = _alembic_config(db.engine)
    command.downgrade(config, "0003_sender_index")
    with sqlite3.connect(db.path) as con:
        con.execute(
            "INSERT INTO profile (id, name, currency, time_zone, share_bps, created_at)"
            " VALUES (1, 'a', 'USD', 'Asia/Tokyo', 4000, 0), (2, 'b', 'USD', '', 5000, 0)"
        )
        # 2025-06-09 20:00 UTC is 10 June in Tokyo
        con.execute(
            "INSERT INTO gift_event (profile_id, received_at, sender, gift_name, coins_each, count, diamonds, source)"
            " VALUES (1, 1749499200000, 's', 'Rose', 1, 5, 5, 'manual'),"
            " (1, 1760000000000, 's', 'Rose', 1, 1, 1, 'manual')"
        )
    command.upgrade(config, "head")
    with sqlite3.connect(db.path) as con:
        rows = con.execute(
            "SELECT profile_id, effective_from, scheme_key, level_name, share_bps FROM share_period ORDER BY profile_id"
        ).fetchall()
    db.dispose()
    assert rows == [(1, "2025-06-10", "custom", None, 4000), (2, "2000-01-01", "custom", None, 5000)]
