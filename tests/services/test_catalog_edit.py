"""Editing the catalog: custom gifts, price changes that keep history (old gifts keep their price)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.domain.catalog import PricePoint
from companion.domain.errors import NotFound, ValidationError
from companion.services import Services
from companion.store.repositories import SettingRepo
from tests.conftest import CATALOG, FakeClock


def rose_id(services: Services) -> int:
    found = services.catalog.find("Rose")
    assert found is not None
    return found.id


def test_a_custom_gift_is_found_and_logged_at_its_price(services: Services) -> None:
    added = services.catalog.add_custom("  Golden   Mic ", 450, streakable=True)
    assert (added.name, added.coins, added.streakable, added.custom) == ("Golden Mic", 450, True, True)
    assert services.catalog.search("golden")[0].id == added.id
    gift = services.gifts.log("golden mic", 2, "amy")
    assert (gift.gift_name, gift.coins_each, gift.diamonds) == ("Golden Mic", 450, 900)


def test_a_custom_gift_needs_a_new_name_and_a_valid_price(services: Services) -> None:
    with pytest.raises(ValidationError) as info:
        services.catalog.add_custom("rose", 5)
    assert info.value.field == "name"
    with pytest.raises(ValidationError):
        services.catalog.add_custom("Free hug", -1)
    with pytest.raises(ValidationError):
        services.catalog.add_custom("   ", 5)
    assert services.catalog.find("Free hug") is None


def test_a_price_change_applies_from_now_and_old_gifts_keep_their_price(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    before = services.gifts.log("Rose", 10, "amy")
    changed_at = clock.advance(hours=1)
    updated = services.catalog.set_price(rose_id(services), 3)
    assert updated.coins == 3
    clock.advance(minutes=5)
    after = services.gifts.log("Rose", 10, "bob")
    assert (before.coins_each, after.coins_each) == (1, 3)
    assert services.reports.summary().totals.diamonds == 10 + 30
    history = services.catalog.price_history(rose_id(services))
    assert history == [PricePoint(1, datetime(2026, 11, 1, tzinfo=UTC)), PricePoint(3, changed_at)]
    # an import prices each row at its own time, on either side of the change
    path = tmp_path / "g.csv"
    path.write_text(
        "received_at,sender,gift,coins_each,count,stream\n"
        "2026-11-20T18:30:00+00:00,cat,Rose,,1,\n"
        "2026-11-20T20:30:00+00:00,dan,Rose,,1,\n",
        encoding="utf-8",
    )
    services.gifts.import_csv(path)
    assert services.reports.summary().totals.diamonds == 40 + 1 + 3


def test_a_second_change_at_the_same_moment_replaces_the_first(services: Services) -> None:
    services.catalog.set_price(rose_id(services), 3)
    services.catalog.set_price(rose_id(services), 4)
    assert [p.coins for p in services.catalog.price_history(rose_id(services))] == [1, 4]


def test_the_bundled_catalog_does_not_undo_a_price_the_user_set(services: Services) -> None:
    services.catalog.set_price(rose_id(services), 3)
    with services.db.session(write=True) as s:  # forget the sync marker: the next start syncs again
        SettingRepo(s).set("catalog.synced", "")
        s.commit()
    services.catalog.sync_from_file(CATALOG)
    found = services.catalog.find("Rose")
    assert found is not None and found.coins == 3


def test_changing_the_price_of_an_unknown_gift_is_refused(services: Services) -> None:
    with pytest.raises(NotFound):
        services.catalog.set_price(999_999, 3)
    with pytest.raises(ValidationError):
        services.catalog.set_price(rose_id(services), 10_000_001)
