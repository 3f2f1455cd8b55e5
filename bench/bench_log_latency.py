"""Live mode: from the key press that logs a favourite to the repainted totals, in the real main window with the
live panel open, on a database holding 1,000,000 gifts. Goals: median under 16 ms (one frame at 60 Hz, issue 4);
90th percentile at most 2× the floor's 90th percentile in the same run, over ≥ 500 gifts (issue 17).

Run from the repository root: `python -m bench.bench_log_latency [--runs N] [--gifts N]`.

Floors, measured in the same run and interleaved with the app (A B A B …):
- raw sqlite3: one INSERT of the same gift row and its COMMIT, on the same file with the app's pragmas (WAL,
  synchronous=FULL): the durable write every logged gift must pay;
- a bare QLabel: setText and wait for its paint event, the least a repainted number costs.
The ratio is app / (insert floor + label floor). Each app sample waits for the panel's follow-up refresh to end
before the next key press (gifts arrive seconds apart, not back to back). The gifts logged here are deleted at the
end with the bench's stream."""

from __future__ import annotations

import os
import sys
import time

#: Issue 17: the app's 90th percentile at most this many times the floor's, measured in the same run.
P90_GOAL = 2.0


def main(argv: list[str]) -> int:
    import argparse
    import sqlite3
    import tempfile
    from pathlib import Path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=500, help="gifts logged (median and p90; default 500)")
    parser.add_argument("--gifts", type=int, default=1_000_000, help="gift events in the database")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLabel

    from bench.data import INSERT_SQL, cached_gift_db
    from bench.harness import Result, Row, command_line, interleaved
    from companion.services import build_services
    from companion.store.db import open_database
    from companion.ui.application import apply_look
    from companion.ui.main_window import MainWindow

    folder = Path(tempfile.gettempdir()) / f"companion-bench-gifts-{args.gifts}"
    database = cached_gift_db(folder, args.gifts)

    app = QApplication([])
    apply_look(app)
    wait = QEventLoop.ProcessEventsFlag.WaitForMoreEvents
    services = build_services(open_database(database, folder / "backups"))
    window = MainWindow(services)
    window.resize(1200, 760)
    window.show()

    def settle(until: object = None, timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            app.processEvents()
            if window.tasks.pending == 0 and (until is None or until()):  # type: ignore[operator]
                return
            time.sleep(0.0005)
        raise RuntimeError("timed out")

    class PaintWatch(QObject):
        """Counts paint events of one widget."""

        def __init__(self, widget: QLabel) -> None:
            super().__init__(widget)
            self.paints = 0
            widget.installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.paints += 1
            return False

    label = QLabel("0")  # the GUI floor's window, shown first so the live panel stays the active window
    label.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    label.resize(200, 40)
    label.show()
    page = window.show_page("streams")
    settle()
    stream = services.streams.go_live("bench: log latency")
    page.refresh(select=stream.id)  # type: ignore[attr-defined]
    settle()
    page.open_live_mode()  # type: ignore[attr-defined]
    panel = page.live_panel  # type: ignore[attr-defined]
    settle(lambda: len(panel.palette_buttons) > 0)
    panel.activateWindow()
    panel.setFocus()
    settle()
    value = panel.diamonds_card.value_label
    watch = PaintWatch(value)

    def app_sample() -> float:
        before, painted = value.text(), watch.paints
        started = time.perf_counter()
        QTest.keyClick(panel, Qt.Key.Key_1)
        while value.text() == before or watch.paints == painted:
            app.processEvents(wait)  # sleeps in Qt (GIL released) until an event comes, as the real event loop does
            if time.perf_counter() - started > 10:
                raise RuntimeError(f"the totals never changed (window active: {QApplication.activeWindow()})")
        elapsed = time.perf_counter() - started
        settle()  # the follow-up refresh of totals and top gifters, outside the measured time
        return elapsed

    label_watch = PaintWatch(label)
    shown = [0]

    def label_sample() -> float:
        painted = label_watch.paints
        shown[0] += 1
        started = time.perf_counter()
        label.setText(str(shown[0]))
        while label_watch.paints == painted:
            app.processEvents(wait)
        return time.perf_counter() - started

    raw = sqlite3.connect(database, isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw_ids: list[int] = []

    def insert_sample() -> float:
        millis = int(time.time() * 1000)
        params = (services.profile_id, stream.id, millis, "", None, "Rose", 1, 1, 1, "bench", None, None)
        started = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        cursor = raw.execute(INSERT_SQL, params)
        raw.execute("COMMIT")
        elapsed = time.perf_counter() - started
        raw_ids.append(int(cursor.lastrowid or 0))
        return elapsed

    for _ in range(5):  # warm-up of every path
        app_sample(), label_sample(), insert_sample()
    samples = interleaved({"app": app_sample, "label": label_sample, "insert": insert_sample}, args.runs)
    floor = [a + b for a, b in zip(samples["insert"], samples["label"], strict=True)]

    raw.executemany("DELETE FROM gift_event WHERE id = ?", [(i,) for i in raw_ids])
    raw.close()
    panel.stop()
    services.streams.end(stream.id)
    services.streams.delete(stream.id, with_gifts=True)
    window.tasks.shutdown()

    import statistics

    median_ms = statistics.median(samples["app"]) * 1000
    verdict = "meets" if median_ms < 16 else "MISSES"
    from bench.harness import p90 as percentile90

    p90 = percentile90(samples["app"]) * 1000
    platform = os.environ.get("QT_QPA_PLATFORM") or "xcb"
    result = Result("log_latency", command_line())
    note = f"{args.gifts:,} gifts; {verdict} the 16 ms goal (median {median_ms:.1f} ms, p90 {p90:.1f} ms); {platform}"
    result.rows.append(Row("key 1 in live mode → gift saved → totals repainted", samples["app"], floor, P90_GOAL,
                           "sqlite3 INSERT+COMMIT + bare QLabel repaint", note, goal_on="p90"))  # fmt: skip
    result.rows.append(Row("floor part: sqlite3 INSERT + COMMIT (WAL, synchronous=FULL)", samples["insert"],
                           samples["insert"], None, "—", "the durable write alone"))  # fmt: skip
    result.rows.append(Row("floor part: bare QLabel setText → painted", samples["label"], samples["label"], None,
                           "—", ""))  # fmt: skip
    result.report()
    print(f"app median {median_ms:.1f} ms, p90 {p90:.1f} ms: {verdict} the < 16 ms goal")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
