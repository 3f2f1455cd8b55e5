"""kill -9 at random moments: an import is all or nothing, every acknowledged gift survives, the file stays sound.

Each trial forks a worker from a pre-warmed process (crash_worker.py) that runs the real command line
(`gifts import`, `gifts add`) on its own copy of a database, and kills it with SIGKILL after a random delay.
The default run does a few trials; `-m slow` does 200 of each (make test PYTEST_ARGS='-m slow')."""

from __future__ import annotations

import contextlib
import os
import queue
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.services import build_services
from companion.store.db import open_database
from tests.conftest import CATALOG, ROOT
from tests.integrations.eventlog import T0, gift_event, lines

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="crash trials fork workers (POSIX only)")

FAST_TRIALS = 6
SLOW_TRIALS = 200
FAST_ROWS = 5_000
SLOW_ROWS = 20_000
TIMEOUT = 60.0


class Workers:
    """The pre-warmed forking process and what its workers printed, by pid."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
        env.pop("COMPANION_DATA_DIR", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.crash_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        self.replies: queue.Queue[str] = queue.Queue()
        self.output: dict[int, list[str]] = {}
        self.exits: dict[int, int] = {}
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            kind, _, rest = line.rstrip("\n").partition(" ")
            if kind == "out":
                pid, _, text = rest.partition(" ")
                self.output.setdefault(int(pid), []).append(text)
            elif kind == "exit":
                pid, _, code = rest.partition(" ")
                self.exits[int(pid)] = int(code)
            else:
                self.replies.put(line.rstrip("\n"))

    def _ask(self, command: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.replies.get(timeout=TIMEOUT)

    def start(self, command: str) -> int:
        reply = self._ask(command)
        assert reply.startswith("pid "), reply
        return int(reply.split()[1])

    def kill_after(self, pid: int, delay: float) -> None:
        """SIGKILL `pid` after `delay` seconds (unless it ended first) and wait until it is gone."""
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and pid not in self.exits:
            time.sleep(min(0.002, max(0.0, deadline - time.monotonic())))
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        gone_by = time.monotonic() + TIMEOUT
        while _alive(pid):
            assert time.monotonic() < gone_by, f"worker {pid} did not die"
            time.sleep(0.001)
        assert self._ask("ping") == "pong"  # everything the worker wrote before dying has been read now

    def wait_for(self, pid: int, line: str | None) -> None:
        """Until the worker printed `line` (None: any line)."""
        gone_by = time.monotonic() + TIMEOUT
        while (line not in self.output.get(pid, [])) if line is not None else not self.output.get(pid):
            assert time.monotonic() < gone_by and pid not in self.exits, f"worker {pid} never printed {line!r}"
            time.sleep(0.002)

    def wait(self, pid: int) -> int:
        gone_by = time.monotonic() + TIMEOUT
        while pid not in self.exits:
            assert time.monotonic() < gone_by, f"worker {pid} did not finish"
            time.sleep(0.005)
        return self.exits[pid]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("quit\n")
        self.process.stdin.flush()
        self.process.wait(timeout=TIMEOUT)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def workers() -> Iterator[Workers]:
    pool = Workers()
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the default profile and the catalog, closed (no WAL), to copy per trial."""
    folder = tmp_path_factory.mktemp("template")
    db = open_database(folder / "companion.sqlite3", folder / "backups")
    build_services(db, CATALOG)
    db.dispose()
    assert not (folder / "companion.sqlite3-wal").exists()
    return folder / "companion.sqlite3"


def _data_dir(template: Path, root: Path, trial: int) -> Path:
    folder = root / f"trial-{trial}"
    folder.mkdir()
    shutil.copyfile(template, folder / "companion.sqlite3")
    return folder


def _write_csv(path: Path, rows: int) -> None:
    gifts = ["Rose", "TikTok", "Finger Heart", "Doughnut", "Perfume"]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("received_at,sender,gift,coins_each,count,stream\n")
        for n in range(rows):
            day, second = divmod(n, 20_000)
            out.write(
                f"2026-10-{1 + day:02d}T{18 + second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}+00:00,"
                f"fan_{n % 997},{gifts[n % len(gifts)]},,{1 + n % 9},Night {1 + day}\n"
            )


def _check(path: Path) -> tuple[int, int]:
    """(gift rows, diamonds) after `integrity_check` says ok."""
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        rows, diamonds = con.execute("SELECT count(*), coalesce(sum(diamonds), 0) FROM gift_event").fetchone()
        return int(rows), int(diamonds)
    finally:
        con.close()


def _write_events(path: Path, events: int) -> None:
    """An event log as live capture writes it: streaks of a few events each, ended, plus single gifts."""
    records = []
    for n in range(events):
        streak, step = divmod(n, 4)
        sender = f"fan_{streak % 97}"
        if streak % 3 == 0:  # a gift that does not streak: one event
            records.append(gift_event(10_000 + n, sender=sender, gift="Doughnut", coins=30, streakable=False,
                                      at_ms=T0 + n * 1000))  # fmt: skip
        else:
            records.append(gift_event(10_000 + n, sender=sender, count=step + 1, end=step == 3,
                                      group=f"s{streak}", at_ms=T0 + n * 1000))  # fmt: skip
    path.write_text(lines(*records), encoding="utf-8")


def _import_trials(
    workers: Workers, template: Path, root: Path, trials: int, rows: int, fmt: str = "csv"
) -> None:
    big = root / f"gifts.{fmt}"
    (_write_csv if fmt == "csv" else _write_events)(big, rows)
    # Two undisturbed imports: what "all" looks like, and how long until the import says it is done (the
    # window to kill in; the second, warm run is the one the trials resemble).
    timings = []
    for warm in (-2, -1):
        reference = _data_dir(template, root, warm)
        started = time.monotonic()
        pid = workers.start(f"import {reference} {big} {fmt}")
        workers.wait_for(pid, None)
        timings.append(time.monotonic() - started)
        assert workers.wait(pid) == 0, workers.output.get(pid)
    duration = min(timings)
    full = _check(reference / "companion.sqlite3")
    assert full[0] > 0 and (fmt != "csv" or full[0] == rows)
    rng = random.Random(os.environ.get("CRASH_SEED", "8"))
    outcomes = {"none": 0, "all": 0}
    for trial in range(trials):
        folder = _data_dir(template, root, trial)
        pid = workers.start(f"import {folder} {big} {fmt}")
        workers.kill_after(pid, rng.uniform(0, duration))
        state = _check(folder / "companion.sqlite3")
        acknowledged = any("imported" in line for line in workers.output.get(pid, []))
        assert state in ((0, 0), full), f"trial {trial}: partial import {state}, expected none or {full}"
        if acknowledged:
            assert state == full, f"trial {trial}: the import said it finished, but the rows are not all there"
        outcomes["all" if state == full else "none"] += 1
        shutil.rmtree(folder)
    print(f"{fmt} import: {trials} trials killed within {duration:.2f} s: {outcomes}")  # shown with -s / -rP
    assert outcomes["none"] > 0, f"no trial was killed before the commit ({outcomes}): the test proved nothing"


def _log_trials(workers: Workers, template: Path, root: Path, trials: int) -> None:
    rng = random.Random(os.environ.get("CRASH_SEED", "8"))
    acknowledged = 0
    for trial in range(trials):
        folder = _data_dir(template, root, trial)
        pid = workers.start(f"log {folder} 100000")
        workers.wait_for(pid, "ready")
        workers.kill_after(pid, rng.uniform(0.0, 0.5))
        acked = [int(m.group(1)) for line in workers.output.get(pid, []) if (m := re.search(r"gift id (\d+)", line))]
        assert pid not in workers.exits, "the worker logged every gift before the kill: lengthen the run"
        con = sqlite3.connect(folder / "companion.sqlite3")
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            stored = {r[0] for r in con.execute("SELECT id FROM gift_event")}
            bad = con.execute("SELECT count(*) FROM gift_event WHERE diamonds != coins_each * count").fetchone()[0]
        finally:
            con.close()
        assert set(acked) <= stored, f"trial {trial}: acknowledged gifts lost: {sorted(set(acked) - stored)[:10]}"
        assert len(stored) - len(acked) <= 1, "more than the one gift in flight was stored without acknowledgement"
        assert bad == 0
        acknowledged += len(acked)
        shutil.rmtree(folder)
    print(f"gift logging: {trials} trials, {acknowledged} acknowledged gifts, all stored")
    assert acknowledged > 0, "no gift was acknowledged before any kill: the test proved nothing"


def test_killed_import_is_all_or_nothing(workers: Workers, template: Path, tmp_path: Path) -> None:
    _import_trials(workers, template, tmp_path, FAST_TRIALS, FAST_ROWS)


def test_every_acknowledged_gift_survives_a_kill(workers: Workers, template: Path, tmp_path: Path) -> None:
    _log_trials(workers, template, tmp_path, FAST_TRIALS)


def test_killed_event_log_import_is_all_or_nothing(workers: Workers, template: Path, tmp_path: Path) -> None:
    _import_trials(workers, template, tmp_path, 4, FAST_ROWS, fmt="events")


@pytest.mark.slow
def test_killed_event_log_import_is_all_or_nothing_200_trials(
    workers: Workers, template: Path, tmp_path: Path
) -> None:
    _import_trials(workers, template, tmp_path, SLOW_TRIALS, SLOW_ROWS, fmt="events")


@pytest.mark.slow
def test_killed_import_is_all_or_nothing_200_trials(workers: Workers, template: Path, tmp_path: Path) -> None:
    _import_trials(workers, template, tmp_path, SLOW_TRIALS, SLOW_ROWS)


@pytest.mark.slow
def test_every_acknowledged_gift_survives_200_kills(workers: Workers, template: Path, tmp_path: Path) -> None:
    _log_trials(workers, template, tmp_path, SLOW_TRIALS)


# ---- kill -9 while SQLite copies the WAL into the database file (a checkpoint) -----------------------------

CHECKPOINT_KILLS = 50
SLOW_CHECKPOINT_KILLS = 200
CHECKPOINT_ROWS = 120_000


@pytest.fixture(scope="module")
def wal_pair(template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """A database whose last big commit is still only in its WAL (autocheckpoint off), as a crash or a kill
    leaves it after a large import: (the database file, with its -wal beside it; gifts; diamonds)."""
    folder = tmp_path_factory.mktemp("wal-pair")
    live = folder / "live.sqlite3"
    shutil.copyfile(template, live)
    con = sqlite3.connect(live, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA wal_autocheckpoint=0")
        profile = con.execute("SELECT id FROM profile").fetchone()[0]
        con.execute("BEGIN")
        con.executemany(
            "INSERT INTO gift_event (profile_id, received_at, sender, gift_name, coins_each, count, diamonds, source,"
            " source_key) VALUES (?, ?, ?, 'Rose', 1, ?, ?, 'manual', ?)",
            ((profile, 1_790_000_000_000 + n, f"fan{n % 997}", 1 + n % 9, 1 + n % 9, f"ck{n}")
             for n in range(CHECKPOINT_ROWS)),
        )  # fmt: skip
        con.execute("COMMIT")
        # the committed batch is in the WAL only: copy the pair now (closing would checkpoint it)
        pair = folder / "companion.sqlite3"
        shutil.copyfile(live, pair)
        shutil.copyfile(live.with_name(live.name + "-wal"), pair.with_name(pair.name + "-wal"))
        gifts, diamonds = con.execute("SELECT count(*), sum(diamonds) FROM gift_event").fetchone()
    finally:
        con.close()
    assert pair.stat().st_size * 10 < pair.with_name(pair.name + "-wal").stat().st_size
    return pair, int(gifts), int(diamonds)


def _pages_in_header(database: Path) -> int:
    header = database.read_bytes()[:100]
    return int.from_bytes(header[28:32], "big") * int.from_bytes(header[16:18], "big")


def _checkpoint_trials(workers: Workers, pair: tuple[Path, int, int], root: Path, kills: int) -> None:
    """Kill a checkpoint `kills` times while it runs; after each, the app's own open path must find every
    committed gift and must not call the database damaged (before the fix, a main file cut short by the kill
    was judged "damaged" on its size, ignoring the WAL that held the rest)."""
    source, gifts, diamonds = pair

    def trial_folder(name: str) -> Path:
        folder = root / name
        folder.mkdir()
        for suffix in ("", "-wal"):
            shutil.copyfile(source.with_name(source.name + suffix), folder / f"companion.sqlite3{suffix}")
        return folder

    durations = []
    for warm in range(2):  # how long an undisturbed checkpoint takes: the window to kill in
        database = trial_folder(f"warm-{warm}") / "companion.sqlite3"
        pid = workers.start(f"checkpoint {database}")
        workers.wait_for(pid, "checkpointing")
        started = time.monotonic()
        workers.wait_for(pid, "checkpointed 0")
        durations.append(time.monotonic() - started)
        assert workers.wait(pid) == 0, workers.output.get(pid)
    window = min(durations)
    rng = random.Random(os.environ.get("CRASH_SEED", "12"))
    inside = cut_short = attempts = 0
    while inside < kills:
        attempts += 1
        assert attempts <= kills * 4, f"only {inside} of {attempts} kills landed inside a {window:.3f} s checkpoint"
        folder = trial_folder(f"trial-{attempts}")
        database = folder / "companion.sqlite3"
        pid = workers.start(f"checkpoint {database}")
        workers.wait_for(pid, "checkpointing")
        workers.kill_after(pid, rng.uniform(0, window))
        finished = any(line.startswith("checkpointed") for line in workers.output.get(pid, []))
        if not finished:
            inside += 1
            cut_short += database.stat().st_size < _pages_in_header(database)
            db = open_database(database, folder / "backups")  # raised DatabaseDamaged before the fix
            try:
                with db.session() as s:
                    found = s.connection().exec_driver_sql("SELECT count(*), sum(diamonds) FROM gift_event").one()
            finally:
                db.dispose()
            assert tuple(found) == (gifts, diamonds), f"kill {inside}: {tuple(found)}, expected {(gifts, diamonds)}"
            if inside % 10 == 0:  # the full integrity check (indexes too) costs a second: every tenth kill
                assert _check(database) == (gifts, diamonds)
        shutil.rmtree(folder)
    print(f"checkpoint: {inside} kills inside a {window * 1000:.0f} ms checkpoint ({attempts} tries), "
          f"{cut_short} left the file shorter than its header says")  # fmt: skip
    assert cut_short > 0, "no kill left the database file cut short: the test proved nothing"


def test_a_kill_during_the_wal_checkpoint_never_looks_damaged(
    workers: Workers, wal_pair: tuple[Path, int, int], tmp_path: Path
) -> None:
    _checkpoint_trials(workers, wal_pair, tmp_path, CHECKPOINT_KILLS)


@pytest.mark.slow
def test_a_kill_during_the_wal_checkpoint_never_looks_damaged_200_kills(
    workers: Workers, wal_pair: tuple[Path, int, int], tmp_path: Path
) -> None:
    _checkpoint_trials(workers, wal_pair, tmp_path, SLOW_CHECKPOINT_KILLS)


# ---- kill -9 during `backup restore` -----------------------------------------------------------------------

RESTORE_KILLS = 10
SLOW_RESTORE_KILLS = 100


def _with_gifts(template: Path, target: Path, gifts: int) -> Path:
    shutil.copyfile(template, target)
    con = sqlite3.connect(target)
    try:
        profile = con.execute("SELECT id FROM profile").fetchone()[0]
        con.executemany(
            "INSERT INTO gift_event (profile_id, received_at, sender, gift_name, coins_each, count, diamonds, source)"
            " VALUES (?, ?, ?, 'Rose', 1, 1, 1, 'manual')",
            ((profile, 1_790_000_000_000 + n, f"fan{n % 97}") for n in range(gifts)),
        )
        con.commit()
    finally:
        con.close()
    return target


def _restore_trials(workers: Workers, template: Path, root: Path, kills: int) -> None:
    """Kill `backup restore` at random moments: the next open always finds either the old database or the whole
    backup, never a damaged or half-restored one; when the backup is in, the old data is kept beside it."""
    old_gifts, backup_gifts = 20_000, 5_000
    live = _with_gifts(template, root / "live.sqlite3", old_gifts)
    backup = _with_gifts(template, root / "companion-20261120-190000-manual.sqlite3", backup_gifts)

    def trial_folder(name: str) -> Path:
        folder = root / name
        (folder / "backups").mkdir(parents=True)
        shutil.copyfile(live, folder / "companion.sqlite3")
        return folder

    durations = []
    for warm in range(2):
        folder = trial_folder(f"warm-{warm}")
        pid = workers.start(f"restore {folder} {backup}")
        workers.wait_for(pid, "restoring")
        started = time.monotonic()
        assert workers.wait(pid) == 0, workers.output.get(pid)
        durations.append(time.monotonic() - started)
    window = min(durations)
    rng = random.Random(os.environ.get("CRASH_SEED", "16"))
    outcomes = {"old": 0, "restored": 0}
    for trial in range(kills):
        folder = trial_folder(f"trial-{trial}")
        pid = workers.start(f"restore {folder} {backup}")
        workers.wait_for(pid, "restoring")
        workers.kill_after(pid, rng.uniform(0, window))
        db = open_database(folder / "companion.sqlite3", folder / "backups")  # never DatabaseDamaged
        try:
            with db.session() as s:
                found = s.connection().exec_driver_sql("SELECT count(*) FROM gift_event").scalar()
        finally:
            db.dispose()
        assert found in (old_gifts, backup_gifts), f"trial {trial}: {found} gifts, a half-done restore"
        if found == backup_gifts:
            kept = [p for p in (folder / "backups").iterdir() if p.name.endswith("-before-restore.sqlite3")]
            assert len(kept) == 1 and _check(kept[0])[0] == old_gifts, f"trial {trial}: the old data was not kept"
        outcomes["restored" if found == backup_gifts else "old"] += 1
        shutil.rmtree(folder)
    print(f"backup restore: {kills} kills within {window:.2f} s: {outcomes}")
    assert outcomes["old"] > 0, "no kill came before the restore finished: the test proved nothing"


def test_a_killed_restore_leaves_the_old_database_or_the_whole_backup(
    workers: Workers, template: Path, tmp_path: Path
) -> None:
    _restore_trials(workers, template, tmp_path, RESTORE_KILLS)


@pytest.mark.slow
def test_a_killed_restore_leaves_the_old_database_or_the_whole_backup_100_kills(
    workers: Workers, template: Path, tmp_path: Path
) -> None:
    _restore_trials(workers, template, tmp_path, SLOW_RESTORE_KILLS)
