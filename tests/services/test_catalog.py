"""The catalog service: syncing the bundled file once per version, listing, searching, finding."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.domain.errors import ValidationError
from companion.services import Services
from companion.services.catalog import CatalogService
from companion.store.db import Database
from tests.conftest import CATALOG, FakeClock


def _catalog_copy(tmp_path: Path, **changes: object) -> tuple[Path, dict[str, object]]:
    document = json.loads(CATALOG.read_text(encoding="utf-8"))
    prices = changes.pop("prices", {})
    assert isinstance(prices, dict)
    for gift in document["gifts"]:
        if gift["name"] in prices:
            gift["coins"] = prices[gift["name"]]
    document.update(changes)
    path = tmp_path / "gifts.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path, document


def test_first_sync_adds_every_bundled_gift_and_the_second_adds_nothing(db: Database, clock: FakeClock) -> None:
    service = CatalogService(db, clock)
    count = len(json.loads(CATALOG.read_text(encoding="utf-8"))["gifts"])
    assert service.sync_from_file(CATALOG) == count
    assert service.sync_from_file(CATALOG) == 0
    assert len(service.all()) == count


def test_all_is_sorted_by_price_then_name(services: Services) -> None:
    gifts = services.catalog.all()
    assert [(g.coins, g.name.casefold()) for g in gifts] == sorted((g.coins, g.name.casefold()) for g in gifts)
    assert gifts[-1].name == "TikTok Universe"
    assert all(not g.custom for g in gifts)


def test_find_is_case_and_space_insensitive(services: Services) -> None:
    lion = services.catalog.find("  LION ")
    assert lion is not None and (lion.name, lion.coins, lion.streakable) == ("Lion", 29999, False)
    rose = services.catalog.find("rose")
    assert rose is not None and rose.streakable
    assert services.catalog.find("No Such Gift") is None


def test_search_puts_exact_name_first_then_prefix_matches_then_cheapest(services: Services) -> None:
    assert [g.name for g in services.catalog.search("lion")] == ["Lion", "Lion's Mane", "Leon and Lion"]
    assert [g.name for g in services.catalog.search("  TIKTOK ")][:1] == ["TikTok"]
    assert len(services.catalog.search("o", limit=3)) == 3


def test_search_empty_query_lists_all_up_to_limit(services: Services) -> None:
    assert len(services.catalog.search("", limit=5)) == 5
    assert services.catalog.search("   ", limit=500) == services.catalog.all()
    assert services.catalog.search("zzzz") == []


def test_new_catalog_version_records_price_changes_from_its_date(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    old_gift = services.gifts.log("Rose", 1, "a")  # 2026-11-20
    path, _ = _catalog_copy(tmp_path, version=2, as_of="2026-12-01", prices={"Rose": 2})
    assert services.catalog.sync_from_file(path) == 1
    assert services.catalog.sync_from_file(path) == 0
    assert services.catalog.find("Rose").coins == 1  # type: ignore[union-attr]  # clock still in November
    clock.now = datetime(2026, 12, 2, tzinfo=UTC)
    assert services.catalog.find("Rose").coins == 2  # type: ignore[union-attr]
    new_gift = services.gifts.log("Rose", 1, "b")
    assert (old_gift.coins_each, new_gift.coins_each) == (1, 2)
    assert services.gifts.log("Rose", 1, "c", at=datetime(2026, 11, 30, tzinfo=UTC)).coins_each == 1


def test_catalog_with_bad_as_of_is_refused(services: Services, tmp_path: Path) -> None:
    path, _ = _catalog_copy(tmp_path, version=3, as_of="soon")
    with pytest.raises(ValidationError) as info:
        services.catalog.sync_from_file(path)
    assert info.value.field == "as_of"


def test_invalid_catalog_file_is_refused_and_changes_nothing(services: Services, tmp_path: Path) -> None:
    before = services.catalog.all()
    path, _ = _catalog_copy(tmp_path, version=4, prices={"Rose": -1})
    with pytest.raises(ValidationError):
        services.catalog.sync_from_file(path)
    assert services.catalog.all() == before
