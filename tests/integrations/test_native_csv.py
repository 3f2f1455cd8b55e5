"""The native gift CSV: strict parsing, every error with its line and field, stable dedupe keys."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.domain.errors import ImportRejected, RowError
from companion.integrations.native_csv import (
    MAX_ERRORS,
    CsvGiftRow,
    decode,
    parse_native_csv,
    read_native_csv,
)

HEADER = "received_at,sender,gift,coins_each,count,stream"
GOOD = "2026-11-01T20:15:00+01:00,alice,Rose,,3,Friday night"


def parse(text: str) -> list[CsvGiftRow]:
    return parse_native_csv(io.StringIO(text, newline=""))


def rejected(text: str) -> list[RowError]:
    with pytest.raises(ImportRejected) as info:
        parse(text)
    assert info.value.errors, "ImportRejected must list at least one error"
    return info.value.errors


def test_good_row_parses_every_field() -> None:
    [row] = parse(f"{HEADER}\n{GOOD}\n")
    assert row.line == 2
    assert row.received_at == datetime(2026, 11, 1, 19, 15, tzinfo=UTC)
    assert row.sender == "alice"
    assert row.gift == "Rose"
    assert row.coins_each is None  # empty: the catalog price applies
    assert row.count == 3
    assert row.stream == "Friday night"
    assert row.key.startswith("csv:") and row.key.endswith(":1")


def test_explicit_coins_and_empty_sender_and_stream() -> None:
    [row] = parse(f"{HEADER}\n2026-11-01T20:15:00Z,,My Custom Gift,250,2,\n")
    assert row.coins_each == 250
    assert row.sender == ""
    assert row.stream == ""
    assert row.count == 2


def test_zero_coins_is_allowed() -> None:
    [row] = parse(f"{HEADER}\n2026-11-01T20:15:00Z,bob,Free,0,1,\n")
    assert row.coins_each == 0


def test_file_with_bom_crlf_blank_lines_and_shuffled_columns_parses(tmp_path: Path) -> None:
    text = (
        "\ufeffstream,Count,gift,sender,coins_each,received_at\r\n"
        "\r\n"
        "Friday night,3,Rose,alice,,2026-11-01T20:15:00+01:00\r\n"
        ",,,,,\r\n"
        "\r\n"
        ",1,  Lion ,  bob   smith ,,2026-11-01T21:00:00Z\r\n"
        "\r\n"
    )
    path = tmp_path / "gifts.csv"
    path.write_bytes(text.encode("utf-8"))
    rows = read_native_csv(path)
    assert [(r.line, r.gift, r.sender, r.count, r.stream) for r in rows] == [
        (3, "Rose", "alice", 3, "Friday night"),
        (6, "Lion", "bob smith", 1, ""),
    ]
    assert rows[0].received_at == datetime(2026, 11, 1, 19, 15, tzinfo=UTC)


def test_utf16_file_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gifts.csv"
    path.write_bytes(f"{HEADER}\r\n{GOOD}\r\n".encode("utf-16"))
    [row] = read_native_csv(path)
    assert row.gift == "Rose"


def test_non_utf8_file_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "gifts.csv"
    path.write_bytes(f"{HEADER}\n{GOOD}\n2026-11-01T20:15:00Z,Jos\xe9,Rose,,1,\n".encode("latin-1"))
    with pytest.raises(ImportRejected) as info:
        read_native_csv(path)
    assert [(e.line, e.field) for e in info.value.errors] == [(3, "file")]
    assert info.value.source == str(path)


def test_decode_strips_utf8_bom() -> None:
    assert decode(b"\xef\xbb\xbfabc") == "abc"


def test_missing_file_is_rejected_not_crashed(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as info:
        read_native_csv(tmp_path / "nope.csv")
    assert info.value.errors[0].field == "file"


def test_errors_from_a_file_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\n2026-11-01T20:15:00Z,a,Rose,,0,\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        read_native_csv(path)
    assert info.value.source == str(path)
    assert str(path) in str(info.value)
    assert "line 2, count" in str(info.value)


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("2026-11-01T20:15:00Z,a,Rose,,-1,", "count"),
        ("2026-11-01T20:15:00Z,a,Rose,,0,", "count"),
        ("2026-11-01T20:15:00Z,a,Rose,,two,", "count"),
        ("2026-11-01T20:15:00Z,a,Rose,,1.5,", "count"),
        ("2026-11-01T20:15:00Z,a,Rose,,,", "count"),
        ("not-a-time,a,Rose,,1,", "received_at"),
        ("2026-11-01T20:15:00,a,Rose,,1,", "received_at"),  # no offset
        (",a,Rose,,1,", "received_at"),
        ("2026-11-01T20:15:00Z,a,Rose,ten,1,", "coins_each"),
        ("2026-11-01T20:15:00Z,a,Rose,-5,1,", "coins_each"),
        ("2026-11-01T20:15:00Z,a,Rose,1e3,1,", "coins_each"),
        ("2026-11-01T20:15:00Z,a,,,1,", "gift"),
        ("2026-11-01T20:15:00Z," + "s" * 201 + ",Rose,,1,", "sender"),
        ("2015-12-31T23:59:59Z,a,Rose,,1,", "received_at"),  # before the accepted range (was accepted)
        ("0002-01-01T00:00:00Z,a,Rose,,1,", "received_at"),
        ("9998-12-31T00:00:00+14:00,a,Rose,,1,", "received_at"),  # far ahead (was accepted)
        ("2026-11-01T20:15:00Z,a,Rose,100001,1,", "coins_each"),  # above any TikTok gift
        ("2026-11-01T20:15:00Z,a,Rose,,50001,", "count"),
    ],
)
def test_bad_field_is_rejected_naming_line_and_field(row: str, field: str) -> None:
    errors = rejected(f"{HEADER}\n{GOOD}\n\n{row}\n{GOOD}\n")
    assert [(e.line, e.field) for e in errors] == [(4, field)]


def test_every_bad_field_of_every_row_is_reported() -> None:
    errors = rejected(f"{HEADER}\nbad,a,Rose,x,0,\n{GOOD}\n2026-11-01T20:15:00Z,a,Rose,,-2,\n")
    assert [(e.line, e.field) for e in errors] == [(2, "received_at"), (2, "coins_each"), (2, "count"), (4, "count")]
    assert all(e.message for e in errors)
    assert str(errors[0]).startswith("line 2, received_at:")


@pytest.mark.parametrize("row", ["2026-11-01T20:15:00Z,a,Rose,,1", "2026-11-01T20:15:00Z,a,Rose,,1,,extra"])
def test_wrong_field_count_names_the_line(row: str) -> None:
    errors = rejected(f"{HEADER}\n{GOOD}\n{row}\n")
    assert [(e.line, e.field) for e in errors] == [(3, "row")]
    assert "fields" in errors[0].message


def test_unterminated_quote_is_rejected_as_invalid_csv() -> None:
    errors = rejected(f'{HEADER}\n{GOOD}\n2026-11-01T20:15:00Z,"alice,Rose,,1,\n{GOOD}\n{GOOD}\n')
    assert [e.field for e in errors] == ["row"]
    assert "not valid CSV" in errors[0].message


def test_unterminated_quote_names_the_line_where_the_quote_opens() -> None:
    errors = rejected(f'{HEADER}\n{GOOD}\n2026-11-01T20:15:00Z,"alice,Rose,,1,\n{GOOD}\n{GOOD}\n')
    assert [(e.line, e.field) for e in errors] == [(3, "row")]


def test_quoted_fields_with_commas_and_quotes_parse() -> None:
    [row] = parse(f'{HEADER}\n2026-11-01T20:15:00Z,"Smith, ""Bob""",Rose,,1,"Late, late show"\n')
    assert row.sender == 'Smith, "Bob"'
    assert row.stream == "Late, late show"


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        ("received_at,sender,gift,coins_each,count", "missing stream"),
        ("received_at,sender,gift,coins_each,count,stream,colour", "unexpected colour"),
        ("received_at,sender,gift,coins_each,count,stream,stream", "twice"),
        ("when,sender,gift,coins_each,count,stream", "missing received_at"),
    ],
)
def test_bad_header_is_rejected_on_line_1(header: str, fragment: str) -> None:
    errors = rejected(f"{header}\n{GOOD}\n")
    assert [(e.line, e.field) for e in errors] == [(1, "header")]
    assert fragment in errors[0].message


def test_empty_file_is_rejected() -> None:
    errors = rejected("")
    assert [(e.line, e.field) for e in errors] == [(1, "header")]


def test_header_only_file_has_no_rows() -> None:
    assert parse(f"{HEADER}\n") == []


def test_header_is_case_and_space_insensitive() -> None:
    rows = parse(" Received_At , SENDER ,gift,coins_each,count,stream\n" + GOOD + "\n")
    assert len(rows) == 1


def test_errors_are_capped() -> None:
    bad = "\n".join("2026-11-01T20:15:00Z,a,Rose,,0," for _ in range(MAX_ERRORS + 50))
    errors = rejected(f"{HEADER}\n{bad}\n")
    assert len(errors) == MAX_ERRORS


def test_identical_rows_get_distinct_numbered_keys_and_reparse_gives_the_same_keys() -> None:
    text = f"{HEADER}\n{GOOD}\n{GOOD}\n2026-11-01T20:15:00Z,bob,Rose,,3,\n{GOOD}\n"
    first = parse(text)
    keys = [r.key for r in first]
    assert keys[0].endswith(":1") and keys[1].endswith(":2") and keys[3].endswith(":3")
    assert keys[0].rsplit(":", 1)[0] == keys[1].rsplit(":", 1)[0] == keys[3].rsplit(":", 1)[0]
    assert keys[2].endswith(":1") and keys[2].rsplit(":", 1)[0] != keys[0].rsplit(":", 1)[0]
    assert len(set(keys)) == 4
    assert [r.key for r in parse(text)] == keys


def test_key_ignores_offset_spelling_gift_case_and_blank_lines() -> None:
    a = parse(f"{HEADER}\n2026-11-01T20:15:00+01:00,alice,Rose,,3,S\n")
    b = parse(f"{HEADER}\n\n\n2026-11-01T19:15:00Z,alice,  ROSE ,,3,S\n")
    assert a[0].key == b[0].key


@pytest.mark.parametrize(
    "changed",
    [
        "2026-11-01T20:15:01+01:00,alice,Rose,,3,Friday night",
        "2026-11-01T20:15:00+01:00,Alice,Rose,,3,Friday night",
        "2026-11-01T20:15:00+01:00,alice,Lion,,3,Friday night",
        "2026-11-01T20:15:00+01:00,alice,Rose,,4,Friday night",
    ],
)
def test_key_changes_with_time_sender_gift_or_count(changed: str) -> None:
    assert parse(f"{HEADER}\n{GOOD}\n")[0].key != parse(f"{HEADER}\n{changed}\n")[0].key


@pytest.mark.parametrize(
    "same_gift",
    [
        "2026-11-01T20:15:00+01:00,alice,Rose,1,3,Friday night",  # price filled in, as an export writes it
        "2026-11-01T20:15:00+01:00,alice,Rose,,3,",  # stream left empty
        "2026-11-01T19:15:00Z,alice,rose,,3,Friday night",  # same instant, other offset; name case
    ],
)
def test_key_ignores_price_and_stream_cells_and_offset(same_gift: str) -> None:
    assert parse(f"{HEADER}\n{GOOD}\n")[0].key == parse(f"{HEADER}\n{same_gift}\n")[0].key


def test_double_minus_number_is_rejected_not_crashed() -> None:
    errors = rejected(f"{HEADER}\n2026-11-01T20:15:00Z,a,Rose,--5,1,\n")
    assert [(e.line, e.field) for e in errors] == [(2, "coins_each")]


def test_superscript_digit_count_is_rejected_not_crashed() -> None:
    errors = rejected(f"{HEADER}\n2026-11-01T20:15:00Z,a,Rose,,²,\n")
    assert [(e.line, e.field) for e in errors] == [(2, "count")]


def test_time_at_the_edge_of_the_calendar_is_rejected_not_crashed() -> None:
    errors = rejected(f"{HEADER}\n0001-01-01T00:00:00+01:00,a,Rose,,1,\n")
    assert [(e.line, e.field) for e in errors] == [(2, "received_at")]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=300))
def test_arbitrary_text_only_ever_raises_import_rejected(text: str) -> None:
    try:
        rows = parse(text)
    except ImportRejected as exc:
        assert exc.errors
    else:
        assert all(isinstance(r, CsvGiftRow) for r in rows)


cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "1", "0", "-1", "2026-11-01T20:15:00Z", "Rose", '"', '"a,b"', "\n", "\r\n", ","]),
)


def _check_cells(records: list[list[str]]) -> None:
    text = HEADER + "\n" + "\n".join(",".join(r) for r in records)
    try:
        rows = parse(text)
    except ImportRejected as exc:
        assert exc.errors
        assert all(e.line >= 1 and e.field for e in exc.errors)
    else:
        assert all(r.count >= 1 for r in rows)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.lists(cell, min_size=0, max_size=8), max_size=6))
def test_arbitrary_cells_only_raise_import_rejected(records: list[list[str]]) -> None:
    _check_cells(records)


def test_a_time_with_microseconds_is_keyed_at_the_stored_milliseconds() -> None:
    micro, milli = parse(
        f"{HEADER}\n2026-11-01T20:15:00.123456+01:00,a,Rose,,1,\n2026-11-01T20:15:00.123+01:00,b,Rose,,1,\n"
    )
    again = parse(f"{HEADER}\n2026-11-01T20:15:00.123+01:00,a,Rose,,1,\n")[0]
    assert micro.key == again.key  # was keyed at µs: its export (ms) came back as a new gift
    assert milli.key.startswith("csv:")


def test_names_lose_control_characters_on_the_fast_and_the_careful_path() -> None:
    rows = parse(f"{HEADER}\n2026-11-01T20:15:00Z,lu\x1b[2Jna\u202e,Ro\x00se,,1,Fri\x07day\n")
    assert [(r.sender, r.gift, r.stream) for r in rows] == [("lu[2Jna", "Rose", "Friday")]
