"""Catalog rules: name keys, price history, the bundled catalog file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from companion.domain.catalog import (
    CatalogEntry,
    PricePoint,
    clean_gift_name,
    gift_key,
    parse_catalog,
    price_at,
)
from companion.domain.errors import ValidationError
from companion.domain.text import MAX_GIFT_NAME

CATALOG = Path(__file__).resolve().parents[2] / "resources" / "gifts.json"

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = datetime(2026, 6, 1, tzinfo=UTC)
T2 = datetime(2026, 11, 1, tzinfo=UTC)
HISTORY = [PricePoint(30, T1), PricePoint(10, T0), PricePoint(50, T2)]  # deliberately unordered


def test_price_before_the_first_known_price_is_the_first_price() -> None:
    assert price_at(HISTORY, T0 - timedelta(days=400)) == 10


def test_price_exactly_at_a_change_is_the_new_price() -> None:
    assert price_at(HISTORY, T0) == 10
    assert price_at(HISTORY, T1) == 30
    assert price_at(HISTORY, T2) == 50


def test_price_just_before_a_change_is_the_old_price() -> None:
    assert price_at(HISTORY, T1 - timedelta(milliseconds=1)) == 10
    assert price_at(HISTORY, T2 - timedelta(milliseconds=1)) == 30


def test_price_between_and_after_changes() -> None:
    assert price_at(HISTORY, datetime(2026, 3, 15, tzinfo=UTC)) == 10
    assert price_at(HISTORY, datetime(2026, 8, 15, tzinfo=UTC)) == 30
    assert price_at(HISTORY, datetime(2030, 1, 1, tzinfo=UTC)) == 50


def test_price_single_point_applies_always() -> None:
    assert price_at([PricePoint(7, T1)], T0) == 7
    assert price_at([PricePoint(7, T1)], T2) == 7


def test_price_with_no_history_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        price_at([], T0)
    assert info.value.field == "coins_each"


def test_gift_key_ignores_case_and_spacing() -> None:
    assert gift_key("Finger Heart") == gift_key("  finger   HEART ")
    assert gift_key("Finger Heart") == gift_key("finger\theart")
    assert gift_key("Finger Heart") != gift_key("FingerHeart")
    assert gift_key("Straße") == gift_key("STRASSE")  # casefold, not lower


def test_clean_gift_name_collapses_spaces_and_keeps_case() -> None:
    assert clean_gift_name("  Hat   and Mustache ") == "Hat and Mustache"


def test_clean_gift_name_refuses_empty_and_too_long() -> None:
    for bad in ("", "   "):
        with pytest.raises(ValidationError) as info:
            clean_gift_name(bad)
        assert info.value.field == "gift"
    assert clean_gift_name("x" * MAX_GIFT_NAME) == "x" * MAX_GIFT_NAME
    with pytest.raises(ValidationError):
        clean_gift_name("x" * (MAX_GIFT_NAME + 1))


def test_parse_catalog_returns_entries() -> None:
    entries = parse_catalog(
        {
            "gifts": [
                {"name": " Rose ", "coins": 1, "streakable": True, "tiktok_id": 5655},
                {"name": "Lion", "coins": 29999},
            ]
        }
    )
    assert entries == [
        CatalogEntry(name="Rose", coins=1, streakable=True, tiktok_id=5655),
        CatalogEntry(name="Lion", coins=29999, streakable=False, tiktok_id=None),
    ]


def test_parse_catalog_refuses_duplicate_names_case_insensitively() -> None:
    with pytest.raises(ValidationError, match="twice"):
        parse_catalog({"gifts": [{"name": "Rose", "coins": 1}, {"name": "ROSE ", "coins": 1}]})


@pytest.mark.parametrize("coins", [None, 0, -5, "10", 1.5, True])
def test_parse_catalog_refuses_bad_coins(coins: object) -> None:
    with pytest.raises(ValidationError) as info:
        parse_catalog({"gifts": [{"name": "Rose", "coins": coins}]})
    assert info.value.field == "coins"


@pytest.mark.parametrize("document", [{}, {"gifts": []}, {"gifts": "Rose"}, {"gifts": ["Rose"]}])
def test_parse_catalog_refuses_malformed_documents(document: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        parse_catalog(document)


def test_parse_catalog_refuses_unnamed_gift() -> None:
    with pytest.raises(ValidationError) as info:
        parse_catalog({"gifts": [{"coins": 1}]})
    assert info.value.field == "gift"


def test_bundled_catalog_parses_with_known_prices() -> None:
    document = json.loads(CATALOG.read_text(encoding="utf-8"))
    entries = parse_catalog(document)
    assert len(entries) >= 40
    prices = {e.name: e.coins for e in entries}
    assert prices["Rose"] == 1
    assert prices["Finger Heart"] == 5
    assert prices["Galaxy"] == 1000
    assert prices["Lion"] == 29999
    assert prices["TikTok Universe"] == 44999
    assert all(e.coins >= 1 for e in entries)
    # The service reads 'as_of' as a date; make sure the file carries one.
    assert datetime.fromisoformat(str(document["as_of"])).date()
