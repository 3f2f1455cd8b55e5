"""Read-only commands as whole processes, the way a script or the user runs them: `companion summary --json` over a
year and `companion project --json`, on a data folder holding 1,000,000 gifts that end yesterday, against floors
that are new processes too:

- plain floor: `python3` + `sqlite3` running the same aggregate (count, sum of counts, sum of diamonds over the
  same UTC range; for the projection, diamonds by UTC day over the 182 days it reads) on the same rows;
- app-schema floor: the same plain process running the app's own grouped query (totals by stream, which pricing
  each gift at its share needs).

Goals (issue 17): summary ≤ 3× the plain floor, project ≤ 4×. Peak RSS is each process's own (wait4).

    python -m bench.bench_cli [--runs 9] [--gifts 1000000] [--fresh]
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.data import GIFTS_PER_STREAM, cached_gift_db
from bench.harness import Result, Row, cached_db_args, child_env, command_line, interleaved, run_process
from companion.domain.timeutil import resolved_zone

SUMMARY_GOAL = 3.0
PROJECT_GOAL = 4.0

PLAIN_SUMMARY = """
import json, sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
gifts, items, diamonds = connection.execute(
    "SELECT count(*), coalesce(sum(count), 0), coalesce(sum(diamonds), 0) FROM gift_event"
    " WHERE received_at >= ? AND received_at < ?", (int(sys.argv[2]), int(sys.argv[3]))).fetchone()
print(json.dumps({"gifts": gifts, "items": items, "diamonds": diamonds}))
"""

SCHEMA_SUMMARY = """
import json, sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
rows = connection.execute(
    "SELECT stream_id, count(id), sum(count), sum(diamonds) FROM gift_event"
    " WHERE profile_id = 1 AND received_at >= ? AND received_at < ? GROUP BY stream_id",
    (int(sys.argv[2]), int(sys.argv[3]))).fetchall()
print(json.dumps({"gifts": sum(r[1] for r in rows), "items": sum(r[2] for r in rows),
                  "diamonds": sum(r[3] for r in rows)}))
"""

PLAIN_PROJECT = """
import json, sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
days = connection.execute(
    "SELECT received_at / 86400000, sum(diamonds) FROM gift_event WHERE received_at >= ? AND received_at < ?"
    " GROUP BY 1", (int(sys.argv[2]), int(sys.argv[3]))).fetchall()
print(json.dumps({"days": len(days), "diamonds": sum(d for _, d in days)}))
"""


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def main(argv: list[str]) -> int:
    args = cached_db_args(argv, __doc__, 9, "processes")
    today = datetime.now(UTC).date()
    days = -(-args.gifts // GIFTS_PER_STREAM)
    first_stream = datetime.combine(today - timedelta(days=days), datetime.min.time(), UTC) + timedelta(hours=20)
    folder = Path(tempfile.gettempdir()) / f"companion-bench-cli-{args.gifts}"
    database = cached_gift_db(folder, args.gifts, args.fresh, start=first_stream)
    with sqlite3.connect(database) as connection:
        zone = resolved_zone(connection.execute("SELECT time_zone FROM profile ORDER BY id LIMIT 1").fetchone()[0])
        last_gift = connection.execute("SELECT max(received_at) FROM gift_event").fetchone()[0]
    last = datetime.fromtimestamp(last_gift / 1000, zone).date()
    first = last - timedelta(days=364)  # a year of data: 365 local days ending on the last gift's day

    def local_ms(day: date) -> int:
        return _millis(datetime.combine(day, datetime.min.time(), zone))

    start, end = local_ms(first), local_ms(last + timedelta(days=1))
    env = child_env()
    app = [sys.executable, "-m", "companion", "--data-dir", str(folder)]
    summary_cmd = [*app, "summary", "--from", first.isoformat(), "--to", last.isoformat(), "--json"]
    project_cmd = [*app, "project", "--json"]
    plain = [sys.executable, "-c", PLAIN_SUMMARY, str(database), str(start), str(end)]
    schema = [sys.executable, "-c", SCHEMA_SUMMARY, str(database), str(start), str(end)]
    history_end = local_ms(datetime.now(zone).date())
    plain_project = [sys.executable, "-c", PLAIN_PROJECT, str(database), str(history_end - 182 * 86_400_000),
                     str(history_end)]  # fmt: skip

    peaks: dict[str, list[float]] = {}
    outputs: dict[str, str] = {}

    def measure(name: str, command: list[str]) -> tuple[str, object]:
        def run() -> float:
            seconds, peak, out = run_process(command, env)
            peaks.setdefault(name, []).append(peak)
            outputs[name] = out
            return seconds

        return name, run

    measures = dict(
        [
            measure("summary", summary_cmd),
            measure("plain", plain),
            measure("schema", schema),
            measure("project", project_cmd),
            measure("plain_project", plain_project),
        ]
    )
    for run in measures.values():  # warm-up: the OS file cache, .pyc files, a first start's upgrade and backup
        run()  # type: ignore[operator]
    samples = interleaved(measures, args.runs)  # type: ignore[arg-type]
    app_totals, floor_totals = json.loads(outputs["summary"]), json.loads(outputs["plain"])
    for key in ("gifts", "items", "diamonds"):
        assert app_totals[key] == floor_totals[key], f"not the same rows: {app_totals} vs {floor_totals}"
    assert json.loads(outputs["project"])["basis_days"] > 0, outputs["project"]

    def peak(name: str) -> float:
        return max(peaks[name])

    note = f"{args.gifts:,} gifts; {first} to {last} ({app_totals['gifts']:,} gifts)"
    result = Result("cli", command_line())
    result.rows.append(Row("summary --json, a year, whole process", samples["summary"], samples["plain"],
                           SUMMARY_GOAL, "plain python3 + sqlite3 process, same aggregate", note,
                           peak("summary"), peak("plain")))  # fmt: skip
    result.rows.append(Row("summary --json, a year, whole process", samples["summary"], samples["schema"], None,
                           "app-schema floor: plain process, the app's grouped query", note,
                           peak("summary"), peak("schema")))  # fmt: skip
    result.rows.append(Row("project --json, whole process", samples["project"], samples["plain_project"],
                           PROJECT_GOAL, "plain python3 + sqlite3 process, diamonds by day", outputs["project"].strip(),
                           peak("project"), peak("plain_project")))  # fmt: skip
    result.report()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
