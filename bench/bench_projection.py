"""A 90-day projection (p10 / p50 / p90, 1,000 simulated futures) from 3 years of daily history.
Goal: under 100 ms on its own. Measured in the same run against floors, as ratios:

- domain `project()` against a plain `sum()` over the same 3 years of days (what the brief names as the floor),
  and against the least any Monte Carlo of this size does: 1,000 × 90 uniform draws from one pool, summed;
- the whole service call (`ProjectionService.project(90)`: SQL buckets → local days → projection → cash) against
  raw sqlite3 summing the same gifts by UTC day.

    .venv/bin/python -m bench.bench_projection [--runs 7]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.data import CATALOG
from bench.harness import Result, Row, command_line, interleaved
from companion.domain.models import NewGift
from companion.domain.projection import SIMULATIONS, DailyHistory, project
from companion.services import build_services
from companion.store.db import open_database
from companion.store.repositories import GiftRepo

DAYS = 90
HISTORY_DAYS = 3 * 365
GOAL_MS = 100.0
FIRST_DAY = date(2023, 11, 1)


def synthetic_history(seed: int = 7) -> list[int]:
    """Three years of a creator streaming most evenings, bigger weekends, a rare huge gift."""
    rng = random.Random(seed)
    days = []
    for i in range(HISTORY_DAYS):
        weekend = (FIRST_DAY + timedelta(days=i)).weekday() >= 4
        value = int(rng.gammavariate(3, 1500 if weekend else 400)) if rng.random() < 0.75 else 0
        if rng.random() < 0.02:
            value += 44_999
        days.append(value)
    return days


def floor_sum(days: list[int]) -> float:
    started = time.perf_counter()
    sum(days)
    return time.perf_counter() - started


def floor_naive_bootstrap(days: list[int]) -> float:
    """1,000 futures of 90 days, each day a uniform draw from the last half year: no weekdays, no second stage."""
    pool = days[-182:]
    rand = random.Random(1).random
    n = len(pool)
    started = time.perf_counter()
    totals = []
    for _ in range(SIMULATIONS):
        total = 0
        for _ in range(DAYS):
            total += pool[int(rand() * n)]
        totals.append(total)
    totals.sort()
    return time.perf_counter() - started


def app_project(history: DailyHistory) -> float:
    started = time.perf_counter()
    project(history, history.last_day + timedelta(days=1), DAYS)
    return time.perf_counter() - started


def seed_database(folder: Path, days: list[int]) -> tuple[Path, datetime]:
    """Gifts in a fresh database: each day's diamonds split over a few gifts in the evening (UTC)."""
    db = open_database(folder / "bench.sqlite3", folder / "backups")
    services = build_services(db, CATALOG)
    gifts = []
    for i, diamonds in enumerate(days):
        day = FIRST_DAY + timedelta(days=i)
        parts = [diamonds // 4] * 3 + [diamonds - 3 * (diamonds // 4)] if diamonds else []
        for j, part in enumerate(p for p in parts if p):
            at = datetime(day.year, day.month, day.day, 19, 10 * j, tzinfo=UTC)
            gifts.append(NewGift(at, f"fan{j}", "Custom", part, 1, source="csv", source_key=f"{i}-{j}"))
    with db.session(write=True) as s:
        GiftRepo(s).add_many(services.profile_id, gifts)
        s.commit()
    db.dispose()
    today = FIRST_DAY + timedelta(days=HISTORY_DAYS)
    return folder / "bench.sqlite3", datetime(today.year, today.month, today.day, 12, tzinfo=UTC)


def app_service(path: Path, now: datetime) -> float:
    db = open_database(path, path.parent / "backups")
    services = build_services(db, CATALOG, clock=lambda: now)
    services.profiles.update(services.profile_id, "Bench", "USD", "UTC")
    started = time.perf_counter()
    view = services.projections.project(DAYS)
    elapsed = time.perf_counter() - started
    db.dispose()
    assert view.basis_days > 0, view
    return elapsed


def floor_sql(path: Path) -> float:
    connection = sqlite3.connect(path)
    try:
        started = time.perf_counter()
        connection.execute(
            "SELECT received_at / 86400000, sum(diamonds) FROM gift_event WHERE profile_id = 1 GROUP BY 1"
        ).fetchall()
        return time.perf_counter() - started
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    days = synthetic_history()
    history = DailyHistory(FIRST_DAY, tuple(days))
    samples = interleaved(
        {
            "app": lambda: app_project(history),
            "sum": lambda: floor_sum(days),
            "naive": lambda: floor_naive_bootstrap(days),
        },
        args.runs,
    )
    median_ms = sorted(samples["app"])[len(samples["app"]) // 2] * 1000
    verdict = f"median {median_ms:.1f} ms: {'under' if median_ms < GOAL_MS else 'OVER'} the {GOAL_MS:.0f} ms goal"
    result = Result("projection", command_line())
    name = f"project {DAYS} days from {HISTORY_DAYS:,} days"
    result.rows.append(Row(name, samples["app"], samples["sum"], None, "plain sum() of the days", verdict))
    result.rows.append(
        Row(name, samples["app"], samples["naive"], None, f"{SIMULATIONS:,} × {DAYS} uniform draws, summed", verdict)
    )
    folder = Path(tempfile.mkdtemp(prefix="bench-projection-"))
    try:
        path, now = seed_database(folder, days)
        db_samples = interleaved({"app": lambda: app_service(path, now), "floor": lambda: floor_sql(path)}, args.runs)
        service_ms = sorted(db_samples["app"])[len(db_samples["app"]) // 2] * 1000
        result.rows.append(
            Row(
                f"ProjectionService.project({DAYS}) on 3 years of gifts",
                db_samples["app"],
                db_samples["floor"],
                None,
                "raw sqlite3 sum by UTC day",
                f"median {service_ms:.1f} ms (SQL + local days + projection + cash)",
            )
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result.report()
    for row in result.rows:
        print(f"- {row.name} vs {row.floor_name}: {row.note}")


if __name__ == "__main__":
    main()
