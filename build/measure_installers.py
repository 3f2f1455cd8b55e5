"""Sizes of the Linux bundle and installers, and the frozen app's start-up against the same app from source.

Run from the repository root after `make dist`, inside a Secret Service session so both self-tests do the same
keyring work, and under Xvfb for the first-window row (it needs xwininfo, Debian package x11-utils):

    xvfb-run -a -s "-screen 0 1400x900x24" build/linux/with-secret-service.sh \
        .venv/bin/python build/measure_installers.py --runs 7

Start-up rows: wall time of a new process until it exits, frozen (`dist/creator-companion/creator-companion`)
against source (`.venv/bin/python -m companion`) as the floor, alternated run by run, offscreen, on a data folder
made by a warm-up run. `--self-test` opens the window, shows every page, checks the database, resources and the
keyring, then quits; `--help` is the interpreter and the command line alone, no Qt. "First window on screen"
starts the GUI on the X server and stops it as soon as X11 reports its first window viewable (the start-up
frame, painted right after).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Row, describe_machine, format_table, interleaved, machine_info  # noqa: E402
from companion import APP_NAME, __version__  # noqa: E402

FROZEN = ROOT / "dist" / "creator-companion" / "creator-companion"
SOURCE = [str(ROOT / ".venv" / "bin" / "python"), "-m", "companion"]
INSTALLER_GOAL_MB = 120


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def sizes() -> list[tuple[str, int]]:
    found = [("bundle `dist/creator-companion/` (unpacked)", folder_bytes(FROZEN.parent))]
    for pattern in (f"creator-companion_{__version__}_*.deb", f"creator-companion-{__version__}-linux-*.tar.gz"):
        found += [(f"`{path.name}`", path.stat().st_size) for path in sorted((ROOT / "dist").glob(pattern))]
    return found


def wall_time(command: list[str], env: dict[str, str]) -> Callable[[], float]:
    def measure() -> float:
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return elapsed

    return measure


def window_on_screen(command: list[str], env: dict[str, str]) -> Callable[[], float]:
    """Seconds from starting the GUI until X11 reports its window viewable (xwininfo, polled), then stop it."""

    def measure() -> float:
        started = time.perf_counter()
        app = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        try:
            while time.perf_counter() - started < 60:
                probe = subprocess.run(["xwininfo", "-name", APP_NAME], capture_output=True, text=True)
                if "Map State: IsViewable" in probe.stdout:
                    return time.perf_counter() - started
                if app.poll() is not None:
                    raise SystemExit(f"{' '.join(command)} exited ({app.returncode}) before showing a window")
                time.sleep(0.005)
            raise SystemExit(f"{' '.join(command)} showed no window within 60 s")
        finally:
            app.terminate()
            app.wait(timeout=30)

    return measure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not FROZEN.is_file():
        raise SystemExit(f"{FROZEN} is missing: run make dist first")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("COMPANION_DATA_DIR", None)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for label, extra in (
            ("`--self-test` (window, every page, DB, keyring)", ["--self-test"]),
            ("`--help`", ["--help"]),
        ):
            runs = {
                "source": wall_time([*SOURCE, "--data-dir", f"{scratch}/source", *extra], env),
                "frozen": wall_time([str(FROZEN), "--data-dir", f"{scratch}/frozen", *extra], env),
            }
            for measure in runs.values():
                measure()  # warm-up: creates the data folder, fills the file cache
            samples = interleaved(runs, args.runs)
            rows.append(Row(label, samples["frozen"], samples["source"], None, floor_name="from source"))
        if os.environ.get("DISPLAY") and shutil.which("xwininfo"):
            gui = {k: v for k, v in env.items() if k != "QT_QPA_PLATFORM"}  # the real X server (Xvfb)
            runs = {
                "source": window_on_screen([*SOURCE, "--data-dir", f"{scratch}/source"], gui),
                "frozen": window_on_screen([str(FROZEN), "--data-dir", f"{scratch}/frozen"], gui),
            }
            for measure in runs.values():
                measure()
            samples = interleaved(runs, args.runs)
            label = "first window on screen (X11 viewable)"
            rows.insert(0, Row(label, samples["frozen"], samples["source"], None, floor_name="from source"))

    print(f"machine: {describe_machine(machine_info())}")
    print("| file | size |\n|---|---:|")
    for name, size in sizes():
        print(f"| {name} | {megabytes(size)} |")
    print(f"\ninstaller goal: under {INSTALLER_GOAL_MB} MB\n")
    print(format_table(rows).replace("| app median |", "| frozen median |"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
