"""Two writers on one database (the app and a script, say): every gift lands, none fails half way."""

from __future__ import annotations

import threading
from pathlib import Path

from companion.services import build_services
from companion.store.db import open_database
from tests.conftest import CATALOG


def test_two_connections_logging_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "companion.sqlite3"
    first = build_services(open_database(path, tmp_path / "backups"), CATALOG)
    second = build_services(open_database(path, tmp_path / "backups"), CATALOG)
    errors: list[BaseException] = []

    def log_many(services: object, sender: str) -> None:
        for _ in range(60):
            try:
                services.gifts.log("Rose", 1, sender)  # type: ignore[attr-defined]
            except BaseException as exc:  # collected: a failure in a thread must fail the test
                errors.append(exc)

    threads = [threading.Thread(target=log_many, args=(s, name)) for s, name in ((first, "a"), (second, "b"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert first.reports.summary().totals.gifts == 120
    first.db.dispose()
    second.db.dispose()
