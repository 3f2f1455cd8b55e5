"""Issue 17, the logging spike: the live panel re-reads one LIVE's totals after every logged gift. That query must
go through the stream index, not scan the share period's whole time range (≈ 130 ms per gift at 1M gifts)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from companion.services import Services


def test_one_lives_totals_use_the_stream_index(services: Services) -> None:
    stream = services.streams.go_live("tonight")
    services.gifts.log("Rose", 3, "amy")
    seen: list[tuple[str, Any]] = []

    def spy(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if "FROM gift_event" in statement and "gift_event.stream_id =" in statement and "sum(" in statement:
            seen.append((statement, parameters))

    engine = services.db.engine
    event.listen(engine, "before_cursor_execute", spy)
    try:
        summary = services.reports.summary(stream_id=stream.id)
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    assert summary.totals.gifts == 1 and summary.totals.items == 3
    assert seen
    raw = services.db.engine.raw_connection()
    try:
        for statement, parameters in seen:
            plan = " ".join(str(row[-1]) for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters))
            assert "ix_gift_event_stream" in plan, plan
    finally:
        raw.close()
