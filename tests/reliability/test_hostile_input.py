"""Hostile input for the gift CSV: any text or bytes, odd encodings and line endings, broken quotes, a 1 GB file.

Every input ends in good rows or per-row errors (line + field) or a clear refusal — never a crash — and an
import either stores every row or none. The default run tries a few hundred generated inputs; `-m slow`
tries over 10,000 and the 1 GB file (make test PYTEST_ARGS='-m slow')."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.domain.economics import MAX_COINS, MAX_COUNT
from companion.domain.errors import ImportRejected
from companion.domain.text import CONTROLS, clean_text
from companion.integrations.export_csv import neutralise
from companion.integrations.formula_guard import unguard
from companion.integrations.native_csv import COLUMNS, parse_native_csv_collecting, read_native_csv_collecting
from companion.services import Services
from tests.conftest import ROOT
from tests.reliability.hostile import check_all_or_nothing

HEADER = ",".join(COLUMNS)
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIELDS = {*COLUMNS, "row", "header", "file"}

# ---- generated rows: mostly plausible cells, some hostile, so the parser's deep paths are reached ---------

hostile_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
) | st.sampled_from([
    '"', '""', '"a', 'a"b', "\r", "\n", "\r\n", ",", "\x00", "\ufeff", "=1+2", " ", "\u202e", "x;=1+1", "a,@b",
    "t\t-c", "k|+d", "; =x", "\x1b]0;t\x07\x1b[2J", "\u00a0=x", "a;\u00a0-b",
])  # fmt: skip
instants = st.sampled_from(
    ["2026-11-01T20:15:00+01:00", "2026-11-01T20:15:00Z", "2026-11-01 20:15", "2026-02-30T10:00:00+00:00",
     "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00", "2026-11-01T20:15:00.123456+05:45", "", "yesterday"]
) | hostile_text  # fmt: skip
counts = st.sampled_from(["1", "5", "0", "-1", str(MAX_COUNT), str(MAX_COUNT + 1), "1e3", "٣", "99999999999999999999"])
coins = st.sampled_from(["", "1", "0", "-5", str(MAX_COINS), str(MAX_COINS + 1), "1.5", " 7 "])
gifts = st.sampled_from(["Rose", "rose", "  Finger   Heart ", "TikTok", "Unknown thing", ""]) | hostile_text
rows = st.tuples(instants, hostile_text, gifts, coins | hostile_text, counts | hostile_text, hostile_text)


def _cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


@st.composite
def csv_documents(draw: st.DrawFn) -> str:
    """A header then rows; sometimes a cell too many or too few, raw unquoted junk, or blank lines."""
    lines = [HEADER if draw(st.integers(0, 9)) else draw(hostile_text)]
    for record in draw(st.lists(rows, max_size=12)):
        cells = [_cell(c) for c in record]
        shape = draw(st.integers(0, 12))
        if shape == 0:
            cells = cells[:-1]
        elif shape == 1:
            cells.append("extra")
        elif shape == 2:
            cells = [draw(hostile_text)]
        elif shape == 3:
            cells = [""]
        lines.append(",".join(cells))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    document = ending.join(lines) + draw(st.sampled_from(["", ending]))
    # sometimes the `;` dialect a European spreadsheet saves: not our format, refused at the header
    return document.replace(",", ";") if draw(st.integers(0, 9)) == 0 else document


def _check_parse(text: str) -> None:
    """The parser's contract on one document: good rows and per-row errors, or a refusal — nothing else."""
    try:
        parsed, errors = parse_native_csv_collecting(io.StringIO(text, newline=""))
    except ImportRejected as exc:
        assert exc.errors and all(e.field in FIELDS for e in exc.errors)
        return
    for error in errors:
        assert error.line >= 2 and error.field in FIELDS and error.message
    for row in parsed:
        assert row.received_at.utcoffset() is not None
        assert 1 <= row.count <= MAX_COUNT
        assert row.coins_each is None or 0 <= row.coins_each <= MAX_COINS
        assert row.gift.strip() and row.key.startswith("csv:")
        assert not CONTROLS.search(row.sender + row.gift + row.stream)
    assert len({r.key for r in parsed}) == len(parsed)  # identities never collide inside one file


@FAST
@given(st.text())
def test_csv_parser_survives_any_text(text: str) -> None:
    _check_parse(text)


@FAST
@given(csv_documents())
def test_csv_parser_gives_rows_or_per_row_errors(text: str) -> None:
    _check_parse(text)


def _bytes_documents() -> st.SearchStrategy[bytes]:
    prefixes = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", HEADER.encode() + b"\n"])
    return st.tuples(prefixes, st.binary(max_size=300)).map(lambda parts: parts[0] + parts[1])


def _check_read(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        read_native_csv_collecting(path)
    except ImportRejected as exc:
        assert exc.errors and all(e.field in FIELDS for e in exc.errors)


@FAST
@given(_bytes_documents())
def test_csv_reader_survives_any_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    _check_read(tmp_path_factory.mktemp("bytes") / "gifts.csv", data)


# ---- exported names in the `,` and `;` dialects: never a live formula, always the same name back --------------

FORMULA_STARTS = ("=", "+", "-", "@")


def _check_cell(name: str) -> None:
    """A stored name (cleaned as the app cleans it), written as our export writes it, read back by a spreadsheet
    in either dialect: no cell of it starts a formula; and read by our importer: the same name."""
    try:
        stored = clean_text(name, "sender", 10_000)
    except Exception:
        return
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(["2026-11-01T20:15:00+01:00", neutralise(stored), "Rose"])
    written = out.getvalue()
    for delimiter in (",", ";", "\t", "|"):
        for row in csv.reader(io.StringIO(written, newline=""), delimiter=delimiter):
            assert not [cell for cell in row if cell.lstrip(" ").startswith(FORMULA_STARTS)], (delimiter, written)
    [row] = csv.reader(io.StringIO(written, newline=""))
    assert " ".join(unguard(row[1]).split()) == stored


@FAST
@given(hostile_text)
def test_exported_names_are_inert_in_both_dialects_and_come_back_the_same(name: str) -> None:
    _check_cell(name)


@pytest.mark.slow
@SLOW
@given(st.text() | hostile_text)
def test_exported_names_are_inert_in_both_dialects_and_come_back_the_same_slow(name: str) -> None:
    _check_cell(name)


# ---- the import as a whole: all rows or none -------------------------------------------------------------


def _check_import(services: Services, path: Path, text: str) -> None:
    check_all_or_nothing(services, path, text, services.gifts.import_csv)


@FAST
@given(csv_documents())
def test_generated_imports_store_all_rows_or_none(
    shared: Services, tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    _check_import(shared, tmp_path_factory.mktemp("imp") / "gifts.csv", text)


@pytest.mark.slow
@SLOW
@given(st.text())
def test_csv_parser_survives_any_text_slow(text: str) -> None:
    _check_parse(text)


@pytest.mark.slow
@SLOW
@given(csv_documents())
def test_csv_parser_gives_rows_or_per_row_errors_slow(text: str) -> None:
    _check_parse(text)


@pytest.mark.slow
@SLOW
@given(_bytes_documents())
def test_csv_reader_survives_any_bytes_slow(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    _check_read(tmp_path_factory.mktemp("bytes") / "gifts.csv", data)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_documents())
def test_generated_imports_store_all_rows_or_none_slow(
    shared: Services, tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    _check_import(shared, tmp_path_factory.mktemp("imp") / "gifts.csv", text)


# ---- encodings, line endings, quotes ----------------------------------------------------------------------

GOOD = (
    f"{HEADER}\n"
    "2026-11-01T20:15:00+01:00,Zoë,Rose,,5,Friday night\n"
    "2026-11-01T20:16:30+01:00,mike,My custom gift,250,1,Friday night\n"
)


def _gift_rows(services: Services) -> list[tuple[str, str, int, int]]:
    con = sqlite3.connect(services.db.path)
    try:
        return con.execute("SELECT sender, gift_name, count, diamonds FROM gift_event ORDER BY id").fetchall()
    finally:
        con.close()


EXPECTED = [("Zoë", "Rose", 5, 5), ("mike", "My custom gift", 1, 250)]


@pytest.mark.parametrize(
    "data",
    [
        GOOD.encode("utf-8"),
        b"\xef\xbb\xbf" + GOOD.encode("utf-8"),
        GOOD.replace("\n", "\r\n").encode("utf-8"),
        GOOD.replace("\n", "\r").encode("utf-8"),
        GOOD.encode("utf-16"),  # with its byte-order mark
        b"\xfe\xff" + GOOD.encode("utf-16-be"),
        b"\xff\xfe" + GOOD.replace("\n", "\r\n").encode("utf-16-le"),
    ],
    ids=["utf8", "utf8-bom", "crlf", "cr", "utf16", "utf16-be", "utf16-le-crlf"],
)
def test_supported_encodings_and_line_endings_import_the_same_rows(
    services: Services, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "gifts.csv"
    path.write_bytes(data)
    result = services.gifts.import_csv(path)
    assert result.added == 2
    assert _gift_rows(services) == EXPECTED


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (GOOD.encode("latin-1"), 2, "UTF-8"),  # "Zoë" in Latin-1 on line 2
        (GOOD.encode("utf-16-le"), 2, "UTF-8"),  # UTF-16 without a byte-order mark: not taken for UTF-8
        (GOOD.replace(",Zoë,", ',"Zoë,').encode(), 2, "quote"),  # unterminated quote runs to the end of file
        (GOOD.encode("cp1252").replace(b"\n", b"\r\n"), 2, "UTF-8"),
        (b"", 1, "empty"),
    ],
    ids=["latin-1", "utf16-no-bom", "unterminated-quote", "windows-1252-crlf", "empty-file"],
)
def test_unsupported_or_broken_files_are_refused_naming_the_line(
    services: Services, tmp_path: Path, data: bytes, line: int, words: str
) -> None:
    path = tmp_path / "gifts.csv"
    path.write_bytes(data)
    with pytest.raises(ImportRejected) as refused:
        services.gifts.import_csv(path)
    assert refused.value.errors[0].line == line
    assert words.lower() in str(refused.value.errors[0]).lower()
    assert "nothing was imported" in str(refused.value)
    assert _gift_rows(services) == []


def test_unterminated_quote_after_good_rows_imports_nothing(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "gifts.csv"
    path.write_text(GOOD + '2026-11-01T20:17:00+01:00,"ann,Rose,,1,Friday night\n' + GOOD.split("\n", 1)[1])
    with pytest.raises(ImportRejected) as refused:
        services.gifts.import_csv(path)
    assert [(e.line, e.field) for e in refused.value.errors] == [(4, "row")]
    assert _gift_rows(services) == []


@pytest.mark.parametrize(
    "data", [b"\xff\xfe\x00", b"\xff\xfe" + GOOD.encode("utf-16-le") + b"\x00", b"\xfe\xff\xd8\x00"]
)
def test_broken_utf16_is_refused_not_a_crash(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "gifts.csv"
    path.write_bytes(data)
    with pytest.raises(ImportRejected) as refused:
        read_native_csv_collecting(path)
    assert refused.value.errors[0].field == "file"


# ---- a very large file: bounded memory, cancellable -------------------------------------------------------
# Each import runs in its own process under an address-space limit: an import that holds the whole file (and a
# row object per line) in memory fails there with MemoryError instead of swapping the machine to death.

GIB = 1 << 30
#: Peak memory an import of any size may use (the app itself is ~100 MB).
MEMORY_BOUND_MB = 600
#: The hard limit the probe process runs under.
ADDRESS_LIMIT = 3 * GIB


def _write_big_csv(path: Path, size: int) -> int:
    """Stream valid rows into `path` until it holds `size` bytes; returns the row count."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        written = 0
        while written < size:
            day = rows // 50_000
            block = "".join(
                f"2026-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:"
                f"{n % 60:02d}+00:00,fan_{(rows + n) % 9973},Rose,,{1 + n % 9},Night {day}\n"
                for n in range(50_000)
            )
            out.write(block)
            written += len(block)
            rows += 50_000
    return rows


@pytest.fixture(scope="module")
def gigabyte_csv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    path = tmp_path_factory.mktemp("big") / "gifts-1gb.csv"
    rows = _write_big_csv(path, GIB)
    yield path, rows
    path.unlink()


def _probe(data: Path, file: Path, cancel_after: float) -> dict[str, Any]:
    """Import `file` into `data` in a memory-limited process; how it ended (see import_probe.py)."""
    import json
    import resource
    import subprocess
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_LIMIT, ADDRESS_LIMIT))

    env = {k: v for k, v in os.environ.items() if k != "COMPANION_DATA_DIR"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability.import_probe", str(data), str(file), str(cancel_after)],
        capture_output=True, text=True, env=env, cwd=ROOT, preexec_fn=limit, timeout=3600,
    )  # fmt: skip
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and lines, f"the import process died (exit {done.returncode}): {done.stderr[-3000:]}"
    outcome: dict[str, Any] = json.loads(lines[-1])
    return outcome


def _stored(data: Path) -> int:
    con = sqlite3.connect(data / "companion.sqlite3")
    try:
        return int(con.execute("SELECT count(*) FROM gift_event").fetchone()[0])
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.timeout(3600)  # about 20 million rows: longer than the default per-test limit
@pytest.mark.skipif(not hasattr(os, "fork"), reason="a memory limit on a child process (POSIX)")
def test_a_1gb_file_imports_or_is_refused_in_bounded_memory(gigabyte_csv: tuple[Path, int], tmp_path: Path) -> None:
    path, rows = gigabyte_csv
    outcome = _probe(tmp_path / "data", path, -1)
    assert outcome["result"] in ("ok", "rejected"), outcome
    assert _stored(tmp_path / "data") == (rows if outcome["result"] == "ok" else 0)
    assert outcome["peak_mb"] <= MEMORY_BOUND_MB, outcome


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="a memory limit on a child process (POSIX)")
def test_a_1gb_import_stops_soon_after_cancel_with_nothing_written(
    gigabyte_csv: tuple[Path, int], tmp_path: Path
) -> None:
    path, _ = gigabyte_csv
    outcome = _probe(tmp_path / "data", path, 3.0)
    # refused up front (too large) is fine too; anything else must be the cancel, and soon
    assert outcome["result"] in ("cancelled", "rejected"), outcome
    if outcome["result"] == "cancelled":
        assert outcome["stopped_after_cancel"] < 5, outcome
    assert _stored(tmp_path / "data") == 0


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="a memory limit on a child process (POSIX)")
def test_a_large_import_stops_soon_after_cancel_with_nothing_written(tmp_path: Path) -> None:
    path = tmp_path / "gifts-50mb.csv"
    _write_big_csv(path, 50 * (1 << 20))
    outcome = _probe(tmp_path / "data", path, 1.5)
    assert outcome["result"] == "cancelled", outcome
    assert outcome["stopped_after_cancel"] < 5, outcome
    assert _stored(tmp_path / "data") == 0
