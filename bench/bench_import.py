"""Importing N CSV gifts through the app against two floors.

- App-schema floor (issue 4, goal ≤ 2×): `GiftService.import_csv` in this process (read, check, price, dedupe,
  streams, insert, one transaction) against raw sqlite3 `executemany` of the rows the app stored, with the same
  SQL, one transaction, into a database at the same schema (its indexes included).
- Plain floor (issue 17, goal ≤ 3×, peak RSS ≤ 200 MB): `companion gifts import FILE` as a whole process against
  a plain `python3` script that parses the same CSV with the `csv` module and inserts the rows with
  `executemany` into a table with one index on the time, one transaction. Peak RSS is each process's own.

    .venv/bin/python -m bench.bench_import [--rows 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.data import CATALOG, INSERT_SQL, write_gift_csv
from bench.harness import Result, Row, child_env, command_line, interleaved, run_process
from companion.services import build_services
from companion.store.db import open_database

GOAL = 2.0
PLAIN_GOAL = 3.0
MEMORY_GOAL_MB = 200

PLAIN_SCRIPT = """
import csv, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("CREATE TABLE gift (received_at TEXT, sender TEXT, gift TEXT, coins_each INTEGER, count INTEGER,"
                   " stream TEXT)")
connection.execute("CREATE INDEX gift_time ON gift (received_at)")
with open(sys.argv[2], newline="", encoding="utf-8") as handle:
    rows = csv.reader(handle)
    next(rows)
    connection.execute("BEGIN")
    connection.executemany("INSERT INTO gift VALUES (?, ?, ?, ?, ?, ?)", rows)
    connection.execute("COMMIT")
connection.close()
"""


def fresh_db(folder: Path, name: str) -> Path:
    """A database at schema head with the catalog synced, as the app has it before an import."""
    path = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = open_database(path, folder / "backups")
    build_services(db, CATALOG)
    db.dispose()
    return path


#: CPU seconds of each timed call, beside the wall-clock seconds `interleaved` collects: on a shared machine
#: under load the wall clock mostly measures the neighbours; CPU time is what the work itself cost.
CPU: dict[str, list[float]] = {"app": [], "floor": []}


def app_import(folder: Path, csv_path: Path) -> float:
    path = fresh_db(folder, "app.sqlite3")
    db = open_database(path, folder / "backups")
    services = build_services(db, CATALOG)
    started, cpu = time.perf_counter(), time.process_time()
    result = services.gifts.import_csv(csv_path)
    elapsed = time.perf_counter() - started
    CPU["app"].append(time.process_time() - cpu)
    db.dispose()
    assert result.added > 0 and result.already_present == 0, result
    return elapsed


Rows = list[tuple[object, ...]]


def rows_as_imported(folder: Path, csv_path: Path) -> tuple[Rows, Rows]:
    """The streams and the exact gift parameter tuples the app wrote (read back once), so the floor writes the
    same rows."""
    path = fresh_db(folder, "rows.sqlite3")
    db = open_database(path, folder / "backups")
    build_services(db, CATALOG).gifts.import_csv(csv_path)
    db.dispose()
    connection = sqlite3.connect(path)
    try:
        streams = connection.execute(
            "SELECT id, profile_id, title, started_at, ended_at, notes FROM stream ORDER BY id"
        ).fetchall()
        gifts = connection.execute(
            "SELECT profile_id, stream_id, received_at, sender, gift_type_id, gift_name, coins_each, count,"
            " diamonds, source, source_key, receiver FROM gift_event ORDER BY id"
        ).fetchall()
        return streams, gifts
    finally:
        connection.close()


def raw_insert(folder: Path, streams: Rows, rows: Rows) -> float:
    """The floor: the same pragmas as the app's connections (foreign keys checked), the streams already there."""
    path = fresh_db(folder, "raw.sqlite3")
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            connection.execute(f"PRAGMA {pragma}")
        connection.executemany("INSERT INTO stream (id, profile_id, title, started_at, ended_at, notes) VALUES"
                               " (?, ?, ?, ?, ?, ?)", streams)  # fmt: skip
        started, cpu = time.perf_counter(), time.process_time()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(INSERT_SQL, rows)
        connection.execute("COMMIT")
        elapsed = time.perf_counter() - started
        CPU["floor"].append(time.process_time() - cpu)
        return elapsed
    finally:
        connection.close()


PEAKS: dict[str, list[float]] = {"process": [], "plain": []}


def app_process(folder: Path, csv_path: Path) -> float:
    """`companion gifts import` as a new process, into a data folder at schema head with the catalog synced."""
    data = folder / "process"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    fresh_db(data, "companion.sqlite3")
    command = [sys.executable, "-m", "companion", "--data-dir", str(data), "gifts", "import", str(csv_path)]
    seconds, peak, _ = run_process(command, child_env())
    PEAKS["process"].append(peak)
    return seconds


def plain_process(folder: Path, csv_path: Path) -> float:
    target = folder / "plain.sqlite3"
    for suffix in ("", "-journal", "-wal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    seconds, peak, _ = run_process([sys.executable, "-c", PLAIN_SCRIPT, str(target), str(csv_path)])
    PEAKS["plain"].append(peak)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        csv_path = write_gift_csv(folder / "gifts.csv", args.rows)
        streams, rows = rows_as_imported(folder, csv_path)
        # The floor finds the streams in place; creating them is part of the app's cost.
        samples = interleaved(
            {
                "app": lambda: app_import(folder, csv_path),
                "floor": lambda: raw_insert(folder, streams, rows),
                "process": lambda: app_process(folder, csv_path),
                "plain": lambda: plain_process(folder, csv_path),
            },
            args.runs,
        )
        result = Result("import", command_line())
        result.rows.append(
            Row(
                f"import {args.rows:,} CSV gifts",
                samples["app"],
                samples["floor"],
                GOAL,
                floor_name="sqlite3 executemany, same rows + SQL",
                note="app: read + check + price + dedupe + streams + insert, one transaction",
            )
        )
        result.rows.append(
            Row(
                f"import {args.rows:,} CSV gifts, CPU time",
                CPU["app"],
                CPU["floor"],
                GOAL,
                floor_name="the same, CPU seconds",
                note="process CPU time of the same runs (less at the mercy of other processes)",
            )
        )
        peak, plain_peak = max(PEAKS["process"]), max(PEAKS["plain"])
        memory = "meets" if peak <= MEMORY_GOAL_MB else "MISSES"
        result.rows.append(
            Row(
                f"import {args.rows:,} CSV gifts, whole process",
                samples["process"],
                samples["plain"],
                PLAIN_GOAL,
                floor_name="plain python3 csv + executemany, one index on the time",
                note=f"`companion gifts import`; peak RSS {peak:.0f} MB {memory} the {MEMORY_GOAL_MB} MB goal",
                app_peak_mb=peak,
                floor_peak_mb=plain_peak,
            )
        )
        result.report()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
