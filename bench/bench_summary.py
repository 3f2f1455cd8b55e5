"""A month's summary over N gifts through the app (`ReportService.summary(first, last)`: profile, local month
→ UTC range, totals, cash) against the floor: the same totals query in raw sqlite3 on the same database.
Goal: app ≤ 1.5× floor.

    .venv/bin/python -m bench.bench_summary [--rows 1000000] [--runs 7] [--db PATH (kept and reused)]
"""

from __future__ import annotations

import sqlite3
from datetime import date

from bench.data import CATALOG, bench_gift_db, millis
from bench.harness import Result, Row, app_vs_floor, command_line, gift_db_args
from companion.domain.timeutil import local_range_utc, zone
from companion.services import build_services
from companion.store.db import open_database

GOAL = 1.5
#: Calls per sample: one summary takes milliseconds, so a sample times a batch of them.
CALLS = 20
MONTH = (date(2025, 3, 1), date(2025, 3, 31))
#: What GiftRepo.totals runs (the app reads the same index with the same predicates).
FLOOR_SQL = (
    "SELECT count(id), coalesce(sum(count), 0), coalesce(sum(diamonds), 0) FROM gift_event"
    " WHERE profile_id = ? AND received_at >= ? AND received_at < ?"
)


def main() -> None:
    args = gift_db_args(__doc__)
    with bench_gift_db(args.db, args.rows, "bench-summary-") as (path, folder):
        db = open_database(path, folder / "backups")
        services = build_services(db, CATALOG)
        profile_id = services.profile_id
        start, end = local_range_utc(*MONTH, zone(services.profiles.current().time_zone))
        assert start is not None and end is not None
        expected = services.reports.summary(*MONTH).totals

        connection = sqlite3.connect(path)
        connection.execute("PRAGMA journal_mode=WAL")
        floor_params = (profile_id, millis(start), millis(end))
        gifts, items, diamonds = connection.execute(FLOOR_SQL, floor_params).fetchone()
        assert (gifts, items, diamonds) == (expected.gifts, expected.items, expected.diamonds), "not the same rows"
        assert gifts > 10_000, f"the month holds only {gifts} gifts; use more --rows"

        samples = app_vs_floor(
            lambda: services.reports.summary(*MONTH),
            lambda: connection.execute(FLOOR_SQL, floor_params).fetchone(),
            args.runs,
            CALLS,
        )
        connection.close()
        db.dispose()
        result = Result("summary", command_line())
        result.rows.append(
            Row(
                f"summary of {MONTH[0]:%B %Y} ({gifts:,} of {args.rows:,} gifts)",
                samples["app"],
                samples["floor"],
                GOAL,
                floor_name="sqlite3, same query",
                note=f"per call, median of {CALLS}-call batches",
            )
        )
        result.report()


if __name__ == "__main__":
    main()
