"""Shared bench helpers: median of N timed runs, the ratio against a floor, machine facts, a result table.

A bench measures the app's path and a floor (raw sqlite3, a bare Qt window, ...) in the same run, on the same
machine, and reports `median(app) / median(floor)` against the issue's goal. Noisy 2-core machines make absolute
seconds meaningless from one run to the next; the ratio is what the docs record."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where each bench writes its result table (JSON + text); `python -m bench` collects them.
RESULTS_DIR = ROOT / "bench" / "results"


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of `fn` takes (perf_counter)."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def median_of(fn: Callable[[], float], runs: int) -> tuple[float, list[float]]:
    """Call `fn` (which returns one measured duration in seconds) `runs` times: the median and every sample."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    samples = [fn() for _ in range(runs)]
    return statistics.median(samples), samples


def interleaved(measures: dict[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    """Run each measure `runs` times, alternating between them (A B A B ...) so that a noisy neighbour or a
    warming disk cache hurts app and floor alike rather than whichever happened to run second."""
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            samples[name].append(measure())
    return samples


def app_vs_floor(
    app: Callable[[], object], floor: Callable[[], object], runs: int, calls: int = 1
) -> dict[str, list[float]]:
    """Seconds per call of `app` and of `floor` ("app", "floor"): each sample times a batch of `calls` calls;
    one batch of each first warms the page cache, then `runs` samples of each, interleaved."""

    def per_call(fn: Callable[[], object]) -> Callable[[], float]:
        def measure() -> float:
            started = time.perf_counter()
            for _ in range(calls):
                fn()
            return (time.perf_counter() - started) / calls

        return measure

    measures = {"app": per_call(app), "floor": per_call(floor)}
    for measure in measures.values():
        measure()
    return interleaved(measures, runs)


@dataclass
class Row:
    """One line of a result table: the app's path against its floor."""

    name: str
    app: list[float]
    floor: list[float]
    goal: float | None  # the target ratio (app / floor at most this); None: measured, no goal
    floor_name: str = "floor"
    note: str = ""
    #: Peak resident memory (MB) of the app's and the floor's process, when the bench measured it.
    app_peak_mb: float | None = None
    floor_peak_mb: float | None = None
    #: Which statistic the goal is on: "median" (most goals) or "p90" (tail latency, e.g. logging a gift).
    goal_on: str = "median"

    @property
    def app_median(self) -> float:
        return statistics.median(self.app)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor)

    @property
    def app_p90(self) -> float:
        return p90(self.app)

    @property
    def floor_p90(self) -> float:
        return p90(self.floor)

    @property
    def ratio(self) -> float:
        return self.app_median / self.floor_median if self.floor_median > 0 else float("inf")

    @property
    def ratio_p90(self) -> float:
        return self.app_p90 / self.floor_p90 if self.floor_p90 > 0 else float("inf")

    @property
    def verdict(self) -> str:
        if self.goal is None:
            return "measured"
        judged = self.ratio_p90 if self.goal_on == "p90" else self.ratio
        return "meets goal" if judged <= self.goal else "MISSES goal"


def p90(samples: Sequence[float]) -> float:
    """The 90th percentile by nearest rank (the value 90 % of the samples are at or below)."""
    ordered = sorted(samples)
    return ordered[max(0, -(-len(ordered) * 9 // 10) - 1)]


@dataclass
class Result:
    """A bench's whole output: its rows plus where and how they were measured."""

    bench: str
    command: str
    rows: list[Row] = field(default_factory=list)
    machine: dict[str, str] = field(default_factory=lambda: machine_info())
    when: str = field(default_factory=lambda: time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))

    def table(self) -> str:
        return format_table(self.rows)

    def save(self, folder: Path = RESULTS_DIR) -> Path:
        """Write `<bench>.json` (for `python -m bench`) and return its path."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.bench}.json"
        data = asdict(self)
        for row, saved in zip(self.rows, data["rows"], strict=True):
            saved.update(ratio=row.ratio, app_median=row.app_median, floor_median=row.floor_median)
            saved.update(ratio_p90=row.ratio_p90, app_p90=row.app_p90, floor_p90=row.floor_p90)
            saved.update(verdict=row.verdict)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        return path

    def report(self) -> None:
        """Print the table with the machine and command, save it, and say where."""
        print(f"{self.bench} — {self.when}")
        print(f"machine: {describe_machine(self.machine)}")
        print(f"command: {self.command}")
        print(self.table())
        print(f"saved {self.save().relative_to(ROOT)}")


def format_table(rows: Sequence[Row]) -> str:
    """A Markdown table: name, floor and app median and p90, both ratios, goal, verdict, peak memory, runs."""
    lines = [
        "| benchmark | floor | floor median / p90 | app median / p90 | ratio median / p90 | goal | verdict "
        "| peak RSS app / floor | runs |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for row in rows:
        goal = f"≤ {row.goal:g}×{' (p90)' if row.goal_on == 'p90' else ''}" if row.goal is not None else "—"
        lines.append(
            f"| {row.name} | {row.floor_name} | {_seconds(row.floor_median)} / {_seconds(row.floor_p90)} "
            f"| {_seconds(row.app_median)} / {_seconds(row.app_p90)} | {row.ratio:.2f}× / {row.ratio_p90:.2f}× "
            f"| {goal} | {row.verdict} | {_megabytes(row.app_peak_mb)} / {_megabytes(row.floor_peak_mb)} "
            f"| {len(row.app)} |"
        )
    return "\n".join(lines)


def _megabytes(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} MB"


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def machine_info() -> dict[str, str]:
    """What the numbers were measured on: CPU, cores, OS, Python, SQLite, Qt (if importable cheaply)."""
    info = {
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count() or "?"),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    try:
        from importlib.metadata import version

        info["pyside6"] = version("pyside6-essentials")
    except Exception:  # not installed as a distribution: leave it out
        pass
    return info


def describe_machine(info: dict[str, str]) -> str:
    return ", ".join(f"{key} {value}" for key, value in info.items())


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def command_line() -> str:
    """How this bench was started, to print beside its results."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    target = f"-m {spec.name}" if spec is not None else " ".join(sys.argv[:1])
    return " ".join(["python", target, *sys.argv[1:]]).strip()


def gift_db_args(doc: str | None, runs: int = 7) -> argparse.Namespace:
    """The arguments of a bench over a gift database: --rows (gifts to make), --runs, --db (a database to reuse)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--db", type=Path, help="database to use; made with --rows gifts if it does not exist")
    return parser.parse_args()


def cached_db_args(argv: list[str], doc: str | None, runs: int, each: str) -> argparse.Namespace:
    """The arguments of a bench over a cached gift database: --runs (`each` of each kind), --gifts, --fresh."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--runs", type=int, default=runs, help=f"{each} of each kind (median taken; default {runs})")
    parser.add_argument("--gifts", type=int, default=1_000_000, help="gift events in the database")
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached database")
    return parser.parse_args(argv)


def run_process(args: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run one process to its end: (wall seconds, its own peak RSS in MB, its stdout). Fails on a non-zero exit.
    Output goes to temporary files and the child is reaped with wait4, which returns that child's own usage."""
    import subprocess
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code != 0:
            raise RuntimeError(f"{' '.join(args)} exited {code}:\n{err.read().decode(errors='replace')}")
        return elapsed, usage.ru_maxrss / 1024, out.read().decode(errors="replace")


def child_env() -> dict[str, str]:
    """The environment for an app process a bench starts: this checkout first on the path, no user data folder,
    offscreen Qt when there is no display."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": os.environ.get("LANG", "C.UTF-8")}
    env.pop("COMPANION_DATA_DIR", None)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env
