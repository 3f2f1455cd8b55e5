"""CSV files with other column names: guessing the mapping, refusing an incomplete one, reading through it."""

from __future__ import annotations

import io

import pytest

from companion.domain.errors import ImportRejected
from companion.integrations.native_csv import guess_mapping, parse_native_csv_collecting


def parse(text: str, mapping: dict[str, str]):  # type: ignore[no-untyped-def]
    return parse_native_csv_collecting(io.StringIO(text, newline=""), mapping)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["received_at", "sender", "gift", "coins_each", "count", "stream"],
            {c: c for c in ("received_at", "sender", "gift", "coins_each", "count", "stream")},
        ),
        (
            ["Timestamp", "Username", "Gift name", "Coins", "Quantity", "Title"],
            {
                "received_at": "Timestamp", "sender": "Username", "gift": "Gift name", "coins_each": "Coins",
                "count": "Quantity", "stream": "Title",
            },
        ),
        (
            ["when", "FROM", "item", "qty", "notes"],
            {"received_at": "when", "sender": "FROM", "gift": "item", "count": "qty"},
        ),
        (["a", "b", "c"], {}),
    ],
)  # fmt: skip
def test_the_mapping_is_guessed_from_usual_names(header: list[str], expected: dict[str, str]) -> None:
    assert guess_mapping(header) == expected


def test_one_file_column_is_never_given_two_meanings() -> None:
    assert guess_mapping(["name", "date", "count"]) == {"received_at": "date", "sender": "name", "count": "count"}


def test_rows_read_through_a_mapping_ignore_other_columns_and_miss_optional_ones() -> None:
    rows, errors = parse(
        "Notes,Qty,Gift Name,User,Date\nhi,3,Rose,amy,2026-11-01T20:00:00Z\n",
        {"received_at": "Date", "sender": "User", "gift": "Gift Name", "count": "Qty"},
    )
    assert errors == []
    [row] = rows
    assert (row.sender, row.gift, row.count, row.coins_each, row.stream, row.line) == ("amy", "Rose", 3, None, "", 2)


def test_bad_cells_are_named_by_our_field_names() -> None:
    _, errors = parse(
        "Date,User,Gift,Qty\nnot a date,amy,Rose,0\n",
        {"received_at": "Date", "sender": "User", "gift": "Gift", "count": "Qty"},
    )
    assert [(e.line, e.field) for e in errors] == [(2, "received_at"), (2, "count")]


def test_an_incomplete_or_wrong_mapping_is_refused_at_the_header() -> None:
    with pytest.raises(ImportRejected) as info:
        parse("Date,User\n", {"received_at": "Date", "sender": "User"})
    [error] = info.value.errors
    assert (error.line, error.field) == (1, "header")
    assert "gift is not mapped" in error.message and "count is not mapped" in error.message
    with pytest.raises(ImportRejected) as info:
        parse("Date,User,Gift,Qty\n", {"received_at": "Date", "sender": "User", "gift": "Gift", "count": "Amount"})
    assert "there is no column 'Amount' (for count)" in info.value.errors[0].message
