"""The dashboard's figures over N gifts through the app (`DashboardService.overview()`: four period totals with
live time, 90 days per local day with a 7-day average, top gifts, the weekday × hour heatmap of a year) against
the floor: the same SQL in raw sqlite3 on the same database, without turning UTC buckets into local days.
Goal: app ≤ 2× floor.

    .venv/bin/python -m bench.bench_dashboard [--rows 1000000] [--runs 7] [--db PATH (kept and reused)]
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from bench.data import CATALOG, bench_gift_db, millis
from bench.harness import Result, Row, app_vs_floor, command_line, gift_db_args
from companion.services import build_services
from companion.store.db import open_database

GOAL = 2.0
TOTALS = "SELECT count(id), coalesce(sum(count), 0), coalesce(sum(diamonds), 0) FROM gift_event WHERE profile_id = ?"
BUCKETS = (
    "SELECT received_at / 900000 AS bucket, sum(diamonds) FROM gift_event"
    " WHERE profile_id = ? AND received_at >= ? AND received_at < ? GROUP BY bucket"
)
TOP = (
    "SELECT gift_name, sum(diamonds) AS d, sum(count) FROM gift_event WHERE profile_id = ? AND received_at >= ?"
    " GROUP BY gift_name ORDER BY d DESC LIMIT 8"
)
STREAMS = "SELECT * FROM stream WHERE profile_id = ? ORDER BY started_at"


def main() -> None:
    args = gift_db_args(__doc__)
    with bench_gift_db(args.db, args.rows, "bench-dashboard-") as (path, folder):
        connection = sqlite3.connect(path)
        last = connection.execute("SELECT max(received_at) FROM gift_event").fetchone()[0]
        now = datetime.fromtimestamp(last / 1000, UTC) + timedelta(hours=1)
        db = open_database(path, folder / "backups")
        services = build_services(db, CATALOG, clock=lambda: now)
        profile_id = services.profile_id
        board = services.dashboard.overview()
        assert board.periods[-1].diamonds > 0 and sum(board.daily) > 0

        def floor_once() -> None:
            day = 86_400_000
            end = millis(now)
            for start in (end - day, end - 7 * day, end - 30 * day):
                connection.execute(TOTALS + " AND received_at >= ?", (profile_id, start)).fetchone()
            connection.execute(TOTALS, (profile_id,)).fetchone()
            connection.execute(BUCKETS, (profile_id, end - 372 * day, end + day)).fetchall()
            connection.execute(TOP, (profile_id, end - 90 * day)).fetchall()
            connection.execute(STREAMS, (profile_id,)).fetchall()

        samples = app_vs_floor(services.dashboard.overview, floor_once, args.runs)
        connection.close()
        db.dispose()
        result = Result("dashboard", command_line())
        result.rows.append(
            Row(
                f"dashboard overview ({args.rows:,} gifts)",
                samples["app"],
                samples["floor"],
                GOAL,
                floor_name="sqlite3, same queries",
            )
        )
        result.report()


if __name__ == "__main__":
    main()
