"""Imports read, check and store a chunk of rows at a time inside one transaction: memory does not grow with the
file, a problem or a cancel anywhere (even after chunks were inserted) leaves nothing behind, every problem is
counted to the end of the file, and streams made by the import run across chunks."""

from __future__ import annotations

import gc
import threading
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from companion.domain.errors import ImportRejected
from companion.integrations import native_csv
from companion.integrations.native_csv import COLUMNS, MAX_ERRORS, Occurrences, parse_native_csv
from companion.services import Services
from companion.services.importing import CHUNK, ImportCancelled
from companion.store.tables import GiftEventRow, StreamRow
from tests.integrations.eventlog import gift_event, lines
from tests.test_cli import _restore_process_state, cli  # noqa: F401  (an autouse fixture, a helper)

HEADER = ",".join(COLUMNS)
START = datetime(2026, 11, 1, 20, 0, tzinfo=UTC)


def row(n: int, title: str = "Night", gift: str = "Rose", seconds: int = 1) -> str:
    return f"{(START + timedelta(seconds=n * seconds)).isoformat()},fan{n % 97},{gift},,{1 + n % 5},{title}"


def write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def gifts(services: Services) -> int:
    with services.db.session() as s:
        return int(s.exec(select(func.count()).select_from(GiftEventRow)).one())


def streams(services: Services) -> list[tuple[str, datetime, datetime | None]]:
    with services.db.session() as s:
        found = s.exec(select(StreamRow).order_by(StreamRow.started_at)).all()  # type: ignore[arg-type]
        return [(r.title, r.started_at, r.ended_at) for r in found]


def test_a_bad_row_after_chunks_were_inserted_rolls_everything_back(services: Services, tmp_path: Path) -> None:
    good = [row(n) for n in range(2 * CHUNK + 5)]
    path = write(tmp_path / "g.csv", [*good, "2026-11-02T20:00:00Z,zed,Rose,,0,Night"])
    with pytest.raises(ImportRejected) as refused:
        services.gifts.import_csv(path)
    assert [(e.line, e.field) for e in refused.value.errors] == [(len(good) + 2, "count")]
    assert gifts(services) == 0 and streams(services) == []


def test_an_unknown_gift_in_a_late_chunk_rolls_everything_back(services: Services, tmp_path: Path) -> None:
    rows = [row(n) for n in range(CHUNK + 10)]
    rows[CHUNK + 3] = row(CHUNK + 3, gift="Not A Real Gift")
    with pytest.raises(ImportRejected) as refused:
        services.gifts.import_csv(write(tmp_path / "g.csv", rows))
    assert [(e.line, e.field) for e in refused.value.errors] == [(CHUNK + 5, "coins_each")]
    assert gifts(services) == 0


def test_every_problem_is_counted_to_the_end_and_the_first_ones_listed(services: Services, tmp_path: Path) -> None:
    rows = [row(n) if n % 100 else "2026-11-02T20:00:00Z,zed,Rose,,0," for n in range(3 * CHUNK)]
    problems = len([n for n in range(3 * CHUNK) if n % 100 == 0])
    with pytest.raises(ImportRejected) as refused:
        services.gifts.import_csv(write(tmp_path / "g.csv", rows))
    errors = refused.value.errors
    assert len(errors) == MAX_ERRORS and all(e.field == "count" for e in errors[:-1])
    assert errors[-1].field == "file"
    assert errors[-1].message == f"and {problems - MAX_ERRORS + 1:,} more problems after this line"
    assert gifts(services) == 0


def test_a_cancel_after_chunks_were_inserted_leaves_nothing(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", [row(n) for n in range(3 * CHUNK)])
    cancel = threading.Event()
    saved: list[int] = []

    def progress(done: int, total: int, what: str) -> None:
        if what == "saving":
            saved.append(done)
            if done > CHUNK + 5000:
                cancel.set()

    with pytest.raises(ImportCancelled):
        services.gifts.import_csv(path, progress=progress, cancel=cancel)
    assert max(saved) > CHUNK and gifts(services) == 0 and streams(services) == []
    assert services.gifts.import_csv(path).added == 3 * CHUNK  # and the data is fine to import after


def test_a_stream_made_by_the_import_runs_across_chunks(services: Services, tmp_path: Path) -> None:
    first = [row(n) for n in range(CHUNK + 100)]  # one gift a second: one stream
    later = START + timedelta(seconds=CHUNK + 100) + timedelta(hours=7)  # past the gap: another
    second = [f"{(later + timedelta(seconds=n)).isoformat()},fan,Rose,,1,Night" for n in range(10)]
    result = services.gifts.import_csv(write(tmp_path / "g.csv", [*first, *second]))
    assert (result.added, result.streams_created) == (CHUNK + 110, 2)
    assert streams(services) == [
        ("Night", START, START + timedelta(seconds=CHUNK + 99)),
        ("Night", later, later + timedelta(seconds=9)),
    ]


def test_a_file_out_of_time_order_widens_the_stream_it_made(services: Services, tmp_path: Path) -> None:
    rows = [row(n) for n in range(CHUNK, CHUNK + 10)] + [row(n) for n in range(10)]  # the later gifts first
    result = services.gifts.import_csv(write(tmp_path / "g.csv", rows))
    assert result.streams_created == 1
    assert streams(services) == [("Night", START, START + timedelta(seconds=CHUNK + 9))]


def test_an_event_log_longer_than_a_chunk_imports_once(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(lines(*(gift_event(i, sender=f"fan{i}", streakable=False) for i in range(1, CHUNK + 501))))
    assert services.gifts.import_events(path).added == CHUNK + 500
    again = services.gifts.import_events(path)
    assert (again.added, again.already_present) == (0, CHUNK + 500)


def _peak_bytes(services: Services, path: Path) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        services.gifts.import_csv(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_rows_beyond_the_dedupe_state(services: Services, tmp_path: Path) -> None:
    small = write(tmp_path / "small.csv", [row(n, seconds=3) for n in range(CHUNK)])
    large = write(tmp_path / "large.csv", [row(n, title="Day") for n in range(5 * CHUNK)])
    grown = _peak_bytes(services, large) - _peak_bytes(services, small)
    # holding the rows (as before) costs ~600 bytes a row; the 64-bit identity digests ~100
    assert grown < 4 * CHUNK * 200, grown


def test_a_text_problem_past_the_first_megabyte_names_its_line(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    rows = [row(n) for n in range(CHUNK + 5)]
    path.write_bytes((HEADER + "\n" + "\n".join(rows) + "\n").encode() + b"2026-11-02T20:00:00Z,\xff\xfe,Rose,,1,\n")
    with pytest.raises(ImportRejected) as refused:
        services.gifts.import_csv(path)
    assert [(e.line, e.field) for e in refused.value.errors] == [(CHUNK + 7, "file")]
    assert gifts(services) == 0


def test_utf16_files_stream_and_a_damaged_one_names_its_line(services: Services, tmp_path: Path) -> None:
    text = HEADER + "\r\n" + "\r\n".join(row(n) for n in range(3000)) + "\r\n"
    good = tmp_path / "good.csv"
    good.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    damaged = tmp_path / "damaged.csv"
    damaged.write_bytes(b"\xfe\xff" + text.encode("utf-16-be") + "x,".encode("utf-16-be") + b"\xdc\x00\r")
    with pytest.raises(ImportRejected) as refused:
        services.gifts.import_csv(damaged)
    assert [(e.line, e.field) for e in refused.value.errors] == [(3002, "file")]
    assert "UTF-16" in refused.value.errors[0].message and gifts(services) == 0
    assert services.gifts.import_csv(good).added == 3000


@pytest.mark.parametrize("data", [b"\xff\xfe\x00", b"\xfe\xff\xd8\x00" + "\n,".encode("utf-16-be")])
def test_the_cli_refuses_broken_utf16_with_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(data)
    code, out, err = cli(capsys, tmp_path / "data", "gifts", "import", str(path))
    assert code == 2 and out == "" and "line 1, file: is not valid UTF-16 text" in err


def test_identities_past_the_memory_limit_are_counted_on_disk_alike(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [row(n % 7) for n in range(40)] + [row(n) for n in range(40)]  # identities again and again
    text = HEADER + "\n" + "\n".join(rows) + "\n"
    in_memory = [r.key for r in parse_native_csv(text.splitlines())]
    monkeypatch.setattr(native_csv, "IDENTITIES_IN_MEMORY", 3)
    made: list[Occurrences] = []
    monkeypatch.setattr(native_csv, "Occurrences", lambda: made.append(Occurrences()) or made[-1])
    assert [r.key for r in parse_native_csv(text.splitlines())] == in_memory
    assert len(set(in_memory)) == len(in_memory) and len(made[0].seen) == 3  # the other 37 went to disk
    assert made[0].spill is None and made[0].folder is None  # counted on disk, and that file removed
    path = write(tmp_path / "g.csv", rows)
    assert services.gifts.import_csv(path).added == 80
    assert services.gifts.import_csv(path).added == 0


def test_the_import_page_cache_is_put_back_on_the_connection(services: Services, tmp_path: Path) -> None:
    """Imports use a 128 MiB page cache; the pooled connection goes back with SQLite's default, kept or refused."""
    services.gifts.import_csv(write(tmp_path / "ok.csv", [row(n) for n in range(3)]))
    with pytest.raises(ImportRejected):
        services.gifts.import_csv(write(tmp_path / "bad.csv", [row(1), "not,a,row"]))
    with services.db.session(write=True) as s:
        assert s.connection().exec_driver_sql("PRAGMA cache_size").scalar() == -2000
