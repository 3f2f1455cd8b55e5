"""`python -m bench`: run every bench/bench_*.py (each in its own process), then print one summary table.

    python -m bench                    # every bench, each with its own defaults
    python -m bench startup import     # only bench_startup.py and bench_import.py
    python -m bench --list             # what would run
    python -m bench --update-docs      # also rewrite the summary table in docs/benchmarks.md from bench/results/
    python -m bench --docs-only        # only rewrite that table (no bench runs)

Each bench is a module run from the repository root as `python -m bench.bench_<name>`; a bench that uses
bench.harness.Result saves bench/results/<name>.json, which the summary and the docs table are built from."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

from bench.harness import RESULTS_DIR, ROOT

BENCH_DIR = ROOT / "bench"
DOCS = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- bench-summary:start (python -m bench --update-docs rewrites this table) -->"
END_MARK = "<!-- bench-summary:end -->"

#: Every benchmark the issues ask for: result name → (issue, what it measures, floor, goal). A bench without a
#: saved result points to its section of docs/benchmarks.md when it has one, else says "not measured yet".
EXPECTED: dict[str, tuple[int, str, str, str]] = {
    "projection": (3, "90-day projection from 3 years of daily history", "plain sum / raw sqlite3", "< 100 ms"),
    "import": (4, "import 1M CSV gifts", "raw sqlite3 executemany", "≤ 2×"),
    "summary": (4, "a month's summary over 1M gifts", "same query in raw sqlite3", "≤ 1.5×"),
    "gifts_page": (4, "gifts page open + scroll to end at 1M gifts", "bare PySide6 process", "< 300 MB peak RSS"),
    "log_latency": (4, "log one gift to repainted totals (1M gifts)", "sqlite3 commit + QLabel repaint", "< 16 ms"),
    "bundle": (7, "installer sizes; frozen start-up", "start-up from source", "installer < 120 MB"),
    "dashboard": (6, "dashboard overview at 1M gifts", "same queries in raw sqlite3", "≤ 2×"),
    "startup": (8, "cold start to first painted window, 1M gifts", "bare PySide6 window", "≤ 1.6×"),
}


def discover() -> list[str]:
    """Names of the benches (bench_<name>.py → <name>), sorted."""
    return sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))


def run_one(name: str) -> tuple[int, float]:
    """Run one bench as its own process, its output straight to ours; (exit code, seconds)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    print(f"\n=== bench_{name} " + "=" * max(0, 100 - len(name)), flush=True)
    started = time.monotonic()
    code = subprocess.call([sys.executable, "-m", f"bench.bench_{name}"], cwd=ROOT, env=env)
    return code, time.monotonic() - started


def load_results() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(RESULTS_DIR.glob("*.json")):
        try:
            found[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"warning: cannot read {path}: {exc}", file=sys.stderr)
    return found


#: Benches whose figures live only in their own docs section (no bench/results JSON): result name → heading.
DOCS_ONLY = {"bundle": "Installers (issue 7)"}


def summary_table(results: dict[str, dict[str, Any]], docs: str = "") -> str:
    """Markdown: every expected benchmark (and any other saved one) with its floor and latest ratio."""
    lines = [
        "| issue | benchmark | floor | goal | app (median) | latest ratio (median) | verdict | measured |",
        "|---:|---|---|---|---:|---:|---|---|",
    ]
    names = list(EXPECTED) + sorted(set(results) - set(EXPECTED))
    for name in names:
        issue, what, floor, goal = EXPECTED.get(name, (0, name, "—", "—"))
        result = results.get(name)
        if result is None:
            heading = DOCS_ONLY.get(name, "")
            where = f"see § {heading}" if heading and f"## {heading}" in docs else "not measured yet"
            lines.append(f"| {issue or '—'} | {what} | {floor} | {goal} | — | {where} | — | — |")
            continue
        rows: list[dict[str, Any]] = list(result.get("rows", []))
        for index, row in enumerate(rows):
            ratio = row.get("ratio")
            shown = f"{ratio:.2f}×" if isinstance(ratio, (int, float)) else "—"
            # a ratio goal of the row itself; else the issue's goal (often absolute) beside the bench's first row
            row_goal = f"issue: {goal}" if index == 0 else "—"
            if row.get("goal") is not None:
                row_goal = f"≤ {row['goal']:g}×"
            lines.append(
                f"| {issue or '—'} | {name}: {row.get('name')} | {row.get('floor_name')} | {row_goal} "
                f"| {_amount(str(row.get('name')), row.get('app_median'))} | {shown} | {row.get('verdict', '—')} "
                f"| {result.get('when', '?')} |"
            )
    return "\n".join(lines)


def _amount(name: str, value: object) -> str:
    if not isinstance(value, (int, float)):
        return "—"
    if "MB" in name:
        return f"{value:.0f} MB"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def update_docs(table: str) -> bool:
    """Replace the table between the markers in docs/benchmarks.md; False when the markers are missing."""
    if not DOCS.exists():
        return False
    text = DOCS.read_text(encoding="utf-8")
    if START_MARK not in text or END_MARK not in text:
        return False
    head, rest = text.split(START_MARK, 1)
    _, tail = rest.split(END_MARK, 1)
    DOCS.write_text(f"{head}{START_MARK}\n{table}\n{END_MARK}{tail}", encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Run the benchmarks in bench/.")
    parser.add_argument("names", nargs="*", help="benches to run (default: all), e.g. startup import")
    parser.add_argument("--list", action="store_true", help="list the benches and exit")
    parser.add_argument("--update-docs", action="store_true", help="rewrite the summary table in docs/benchmarks.md")
    parser.add_argument("--docs-only", action="store_true", help="only rewrite the docs table; run nothing")
    args = parser.parse_args(argv)
    available = discover()
    if args.list:
        print("\n".join(f"bench_{name}.py  (python -m bench.bench_{name})" for name in available))
        return 0
    unknown = [n for n in args.names if n not in available]
    if unknown:
        parser.error(f"no bench named {', '.join(unknown)} (have: {', '.join(available)})")
    failed: list[str] = []
    if not args.docs_only:
        for name in args.names or available:
            code, seconds = run_one(name)
            print(f"--- bench_{name}: exit {code} after {seconds:.0f} s", flush=True)
            if code != 0:
                failed.append(name)
    table = summary_table(load_results(), DOCS.read_text(encoding="utf-8") if DOCS.exists() else "")
    print("\n" + table)
    if args.update_docs or args.docs_only:
        print(f"\n{'updated' if update_docs(table) else 'could not update (no summary markers in)'} {DOCS}")
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
