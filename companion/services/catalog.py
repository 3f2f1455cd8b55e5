"""The gift catalog: bundled gifts with price history, searched by name."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

from companion.domain.catalog import PricePoint, clean_gift_name, gift_key, parse_catalog
from companion.domain.economics import check_coins
from companion.domain.errors import NotFound, ValidationError
from companion.domain.models import CatalogGift
from companion.store.catalog_edit import CatalogEditRepo
from companion.store.db import Database
from companion.store.repositories import CatalogRepo, SettingRepo

_SYNCED_KEY = "catalog.synced"


class CatalogService:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def sync_from_file(self, path: Path) -> int:
        """Bring the bundled catalog into the database once per catalog version; returns rows changed."""
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = parse_catalog(document)
        as_of_text = str(document.get("as_of", ""))
        try:
            as_of = datetime.combine(date.fromisoformat(as_of_text), time.min, tzinfo=UTC)
        except ValueError:
            raise ValidationError(f"catalog 'as_of' is not a date: {as_of_text!r}", field="as_of") from None
        marker = f"{document.get('version', 0)}:{as_of_text}:{len(entries)}"
        with self.db.session(write=True) as s:
            settings = SettingRepo(s)
            if settings.get(_SYNCED_KEY) == marker:
                return 0
            changed = CatalogRepo(s).sync(entries, as_of)
            settings.set(_SYNCED_KEY, marker)
            s.commit()
            return changed

    def all(self) -> list[CatalogGift]:
        with self.db.session() as s:
            return CatalogRepo(s).all(self.clock())

    def search(self, query: str, limit: int = 50) -> list[CatalogGift]:
        """Gifts whose name contains the query: the exact name first, then names that start with it."""
        needle = gift_key(query)
        gifts = self.all()
        if not needle:
            return gifts[:limit]
        hits = [g for g in gifts if needle in gift_key(g.name)]
        hits.sort(key=lambda g: (gift_key(g.name) != needle, not gift_key(g.name).startswith(needle), g.coins, g.name))
        return hits[:limit]

    def find(self, name: str) -> CatalogGift | None:
        with self.db.session() as s:
            return CatalogRepo(s).find(name, self.clock())

    # ---- editing: custom gifts, price changes (history kept: a gift keeps the price it had when received) ----

    def add_custom(self, name: str, coins: int, streakable: bool = False) -> CatalogGift:
        """A gift the bundled catalog does not have (a regional or new one), priced from now on."""
        cleaned = clean_gift_name(name)
        check_coins(coins)
        now = self.clock()
        with self.db.session(write=True) as s:
            CatalogEditRepo(s).add_gift(cleaned, coins, streakable, now)
            s.commit()
            found = CatalogRepo(s).find(cleaned, now)
        assert found is not None
        return found

    def set_price(self, gift_id: int, coins: int) -> CatalogGift:
        """The gift costs `coins` from now on; gifts already logged keep the price they had."""
        check_coins(coins)
        now = self.clock()
        with self.db.session(write=True) as s:
            edit = CatalogEditRepo(s)
            edit.set_price(gift_id, coins, now)
            s.commit()
            found = next((g for g in CatalogRepo(s).all(now) if g.id == gift_id), None)
        if found is None:
            raise NotFound(f"gift {gift_id} is not in the catalog")
        return found

    def price_history(self, gift_id: int) -> list[PricePoint]:
        """Every price the gift has had, oldest first."""
        with self.db.session() as s:
            return CatalogEditRepo(s).history(gift_id)
