"""Issue 19: `project` with calibration (rolling-origin backtest + conformal band) at 3 years of history.
Goal: under 100 ms of service time, calibration included, cold (a fresh service: nothing cached).

Rows, each against raw sqlite3 summing the same gifts by UTC day (the least any projection must read):
- `ProjectionService.project(30)` and `project(90)` (what `companion project --json` runs);
- the Payouts page's two projection calls, `month()` (with its chart path) and `what_if()`;
- `domain.calibration.forecast()` alone on the same 3 years (against a plain `sum()` of the days).
With `--coverage` it also prints how often the 7/30/90-day band held on held-out histories of the generator
family (tests/forecast_gen.py), on seeds neither the method nor its tests used.

    .venv/bin/python -m bench.bench_calibration [--runs 7] [--coverage]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.bench_projection import FIRST_DAY, HISTORY_DAYS, floor_sql, floor_sum, seed_database
from bench.data import CATALOG
from bench.harness import Result, Row, command_line, interleaved
from companion.domain.calibration import CALIBRATED, forecast
from companion.domain.projection import DailyHistory
from companion.services import build_services
from companion.store.db import open_database
from tests.forecast_gen import FAMILY, generate

GOAL_MS = 100.0
COVERAGE_SEED = 70_000


def service_call(path: Path, now: datetime, call: str) -> float:
    db = open_database(path, path.parent / "backups")
    services = build_services(db, CATALOG, clock=lambda: now)
    services.profiles.update(services.profile_id, "Bench", "USD", "UTC")
    projections = services.projections
    started = time.perf_counter()
    if call == "month":
        projections.month()
        projections.what_if()
    else:
        view = projections.project(int(call))
        assert view.calibration == CALIBRATED, view.calibration
    elapsed = time.perf_counter() - started
    db.dispose()
    return elapsed


def domain_forecast(history: DailyHistory) -> float:
    started = time.perf_counter()
    forecast(history, history.last_day + timedelta(days=1), 30)
    return time.perf_counter() - started


def coverage_report(per_creator: int) -> None:
    """Held-out windows: 2–3 years of history, then the band against what really came next."""
    for horizon in (7, 30, 90):
        held = below = above = n = 0
        for index, name in enumerate(("flat", "growing", "shrinking", "whales")):
            for k in range(per_creator):
                seed = COVERAGE_SEED + 1000 * index + k
                length = random.Random(seed).randrange(730, 1096)
                first = date(2023, 1, 2) + timedelta(days=seed % 7)
                days = generate(FAMILY[name], first, length + horizon, seed)
                band = forecast(DailyHistory(first, tuple(days[:length])), first + timedelta(days=length), horizon)
                real = sum(days[length:])
                below += real < band.projection.total.p10
                above += real > band.projection.total.p90
                n += 1
        held = n - below - above
        print(f"- {horizon} days: held {held}/{n} = {held / n:.1%} (below {below}, above {above})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--coverage", type=int, nargs="?", const=100, default=0, metavar="PER_CREATOR")
    args = parser.parse_args()
    days = generate(FAMILY["whales"], FIRST_DAY, HISTORY_DAYS, seed=19)
    history = DailyHistory(FIRST_DAY, tuple(days))
    result = Result("calibration", command_line())
    samples = interleaved({"app": lambda: domain_forecast(history), "sum": lambda: floor_sum(days)}, args.runs)
    ms = sorted(samples["app"])[len(samples["app"]) // 2] * 1000
    result.rows.append(
        Row(f"forecast() 30 days from {HISTORY_DAYS:,} days", samples["app"], samples["sum"], None,
            "plain sum() of the days", f"median {ms:.1f} ms (backtest of 4 half-lives + coverage)")
    )  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="bench-calibration-"))
    try:
        path, now = seed_database(folder, days)
        for call, name in (("30", "project(30)"), ("90", "project(90)"), ("month", "month() + what_if()")):
            timed = interleaved(
                {"app": lambda c=call: service_call(path, now, c), "floor": lambda: floor_sql(path)}, args.runs
            )
            ms = sorted(timed["app"])[len(timed["app"]) // 2] * 1000
            verdict = f"median {ms:.1f} ms: {'under' if ms < GOAL_MS else 'OVER'} the {GOAL_MS:.0f} ms goal (cold)"
            result.rows.append(
                Row(f"ProjectionService.{name}, 3 years of gifts", timed["app"], timed["floor"], None,
                    "raw sqlite3 sum by UTC day", verdict)
            )  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result.report()
    for row in result.rows:
        print(f"- {row.name}: {row.note}")
    if args.coverage:
        coverage_report(args.coverage)


if __name__ == "__main__":
    main()
