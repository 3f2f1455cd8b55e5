"""Gifts page at 1,000,000 gifts: open it, scroll through to the end, peak memory of the whole process; against a
bare PySide6 process showing an empty table (the floor), both started the same way in the same run.
Goal (issue 4): the app's peak RSS stays under 300 MB.

Run from the repository root: `python -m bench.bench_gifts_page [--runs N] [--gifts N] [--fresh]`.

Also measured, in this process, against raw sqlite3 running the same SQL on the same file:
- one page of rows by id (what the table fetches on the GUI thread while scrolling; must stay far below a frame);
- the ids of every gift in order plus their totals (what the worker thread does when the page opens).
Peak RSS is `ru_maxrss` of each child (Linux: KiB); no extra dependency."""

from __future__ import annotations

import resource
import sys
import time

CHILD_MARK = "bench-rss"


def _settle(app: object, until: object = None, timeout: float = 120.0) -> None:
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if until is None or until():  # type: ignore[operator]
            return
        time.sleep(0.002)
    raise RuntimeError("timed out")


def child_floor() -> None:
    """A bare Qt process: a window with an empty table view, painted, then its peak RSS."""
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication([])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1200, 760)
    window.show()
    started = time.monotonic()
    _settle(app, lambda: time.monotonic() - started > 0.5)
    print(CHILD_MARK, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, 0, 0, 0, flush=True)


def child_app(data_dir: str, expected: int) -> None:
    """The app's main window on the big database: open the Gifts page, scroll through in 200 jumps (each
    painted), then to the end; print peak RSS, seconds to the first rows, and the median seconds per jump."""
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from companion.services import build_services
    from companion.store.db import open_database
    from companion.ui.application import apply_look
    from companion.ui.main_window import MainWindow
    from companion.ui.pages.gifts import GiftsPage

    app = QApplication([])
    apply_look(app)
    folder = Path(data_dir)
    services = build_services(open_database(folder / "companion.sqlite3", folder / "backups"))
    window = MainWindow(services)
    window.resize(1200, 760)
    window.show()
    began = time.perf_counter()
    page = window.show_page("gifts")
    assert isinstance(page, GiftsPage)
    _settle(app, lambda: page.model.rowCount() == expected and window.tasks.pending == 0)
    opened = time.perf_counter() - began
    bar = page.view.verticalScrollBar()
    jumps: list[float] = []
    for step in range(1, 201):
        t0 = time.perf_counter()
        bar.setValue(bar.maximum() * step // 200)
        page.view.viewport().repaint()  # paint now: the rows shown are fetched and drawn inside this call
        jumps.append(time.perf_counter() - t0)
        app.processEvents()
    page.view.scrollToBottom()
    page.view.viewport().repaint()
    last = page.model.rowCount() - 1
    if page.model.index(last, 3).data() in (None, ""):
        raise RuntimeError("the last row did not show")
    paints: list[float] = []  # the floor of a jump: repainting the same rows, nothing to fetch
    for _ in range(50):
        t0 = time.perf_counter()
        page.view.viewport().repaint()
        paints.append(time.perf_counter() - t0)
    jumps.sort()
    paints.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(CHILD_MARK, rss, opened, jumps[len(jumps) // 2], paints[len(paints) // 2], flush=True)
    window.tasks.shutdown()


def _run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    """(peak RSS in MB, seconds to open, median seconds per scroll jump, per repaint) from one child process."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_gifts_page", "--child", *args],
        env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    for line in done.stdout.splitlines():
        if line.startswith(CHILD_MARK):
            _, rss_kib, opened, jump, paint = line.split()
            return int(rss_kib) / 1024, float(opened), float(jump), float(paint)
    raise RuntimeError(f"child {args[0]} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")


def _in_process_rows(folder: object, runs: int) -> list[object]:
    """Page fetch and ids+totals: the app's service against raw sqlite3 with the same SQL, interleaved."""
    import sqlite3
    from array import array
    from pathlib import Path

    from bench.harness import Row, interleaved, timed
    from companion.services import build_services
    from companion.services.history import GiftFilter
    from companion.store.db import open_database

    assert isinstance(folder, Path)
    services = build_services(open_database(folder / "companion.sqlite3", folder / "backups"))
    raw = sqlite3.connect(folder / "companion.sqlite3")
    ids = services.history.select(GiftFilter()).ids
    n = len(ids)
    spots = [n * k // 97 for k in range(97)]  # pages all over the table, never the same twice in a row
    turn = {"app": 0, "raw": 0}

    def app_page() -> float:
        start = spots[turn["app"] % len(spots)]
        turn["app"] += 1
        return timed(lambda: services.history.rows(ids[start : start + 100]))

    def raw_page() -> float:
        start = spots[turn["raw"] % len(spots)]
        turn["raw"] += 1
        chunk = list(ids[start : start + 100])
        sql = (
            "SELECT id, profile_id, stream_id, received_at, sender, gift_name, coins_each, count, diamonds, source "
            f"FROM gift_event WHERE id IN ({','.join('?' * len(chunk))})"
        )
        return timed(lambda: raw.execute(sql, chunk).fetchall())

    def raw_select() -> None:
        cursor = raw.execute("SELECT id FROM gift_event WHERE profile_id = ? ORDER BY received_at DESC", [1])
        out: array[int] = array("q")
        while batch := cursor.fetchmany(20_000):
            out.extend(row[0] for row in batch)
        raw.execute(
            "SELECT count(*), coalesce(sum(count), 0), coalesce(sum(diamonds), 0) FROM gift_event "
            "WHERE profile_id = ?", [1],
        ).fetchone()  # fmt: skip

    pages = interleaved({"app": app_page, "raw": raw_page}, runs * 40)
    selects = interleaved(
        {"app": lambda: timed(lambda: services.history.select(GiftFilter())), "raw": lambda: timed(raw_select)},
        max(3, runs),
    )
    raw.close()
    services.db.dispose()
    return [
        Row("one page of 100 rows by id (GUI thread)", pages["app"], pages["raw"], None,
            "sqlite3, same SQL", f"{n:,} gifts; must stay far below a 16 ms frame"),
        Row("ids of all gifts in order + totals (worker)", selects["app"], selects["raw"], 1.5,
            "sqlite3, same SQL", "array('q') of ids; totals in the same read snapshot"),
    ]  # fmt: skip


def main(argv: list[str]) -> int:
    import tempfile
    from pathlib import Path

    from bench.data import cached_gift_db
    from bench.harness import ROOT, Result, Row, cached_db_args, child_env, command_line, format_table

    args = cached_db_args(argv, __doc__, 3, "processes")

    folder = Path(tempfile.gettempdir()) / f"companion-bench-gifts-{args.gifts}"
    cached_gift_db(folder, args.gifts, args.fresh)
    env = child_env()
    floor_rss: list[float] = []
    app_rss: list[float] = []
    opened: list[float] = []
    jumps: list[float] = []
    paints: list[float] = []
    for _ in range(args.runs):
        floor_rss.append(_run_child(["floor"], env)[0])
        rss, open_s, jump_s, paint_s = _run_child(["app", str(folder), str(args.gifts)], env)
        app_rss.append(rss)
        opened.append(open_s)
        jumps.append(jump_s)
        paints.append(paint_s)

    import statistics

    app_mb, floor_mb = statistics.median(app_rss), statistics.median(floor_rss)
    verdict = "meets goal" if app_mb < 300 else "MISSES goal"
    memory = (
        "| benchmark | floor | floor peak RSS | app peak RSS | ratio | goal | verdict | runs |\n"
        "|---|---|---:|---:|---:|---:|---|---:|\n"
        f"| open the Gifts page, scroll through to the end ({args.gifts:,} gifts) | bare PySide6 window with "
        f"a table | {floor_mb:.0f} MB | {app_mb:.0f} MB | {app_mb / floor_mb:.2f}× | < 300 MB | {verdict} "
        f"| {args.runs} |"
    )
    result = Result("gifts_page", command_line())
    platform = env.get("QT_QPA_PLATFORM") or "xcb"
    result.rows.append(Row("peak RSS, MB (not seconds)", app_rss, floor_rss, None, "bare PySide6 window",
                           f"goal: app < 300 MB; Qt platform {platform}"))  # fmt: skip
    timing = [
        Row("open Gifts page to rows shown (all gifts)", opened, opened, None, "—",
            "worker: ids + totals, after the first page's own loading"),
        Row("one scroll jump, rows fetched and painted", jumps, paints, None, "repaint of the same rows (no fetch)",
            "median of 200 jumps across the table"),
    ]  # fmt: skip
    compared = _in_process_rows(folder, args.runs)
    result.rows.extend(timing)
    result.rows.extend(compared)  # type: ignore[arg-type]
    print(f"gifts_page — {result.when}\ncommand: {result.command}\n")
    print(memory + "\n")
    print(format_table([*timing, *compared]))  # type: ignore[list-item]
    print(f"saved {result.save().relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        if sys.argv[2] == "floor":
            child_floor()
        else:
            child_app(sys.argv[3], int(sys.argv[4]))
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
