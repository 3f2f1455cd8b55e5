"""Gift catalog rules: names, prices, and which price a gift had at a moment in time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from companion.domain.economics import check_coins
from companion.domain.errors import ValidationError
from companion.domain.text import MAX_GIFT_NAME, clean_text


def gift_key(name: str) -> str:
    """The case- and space-insensitive key two gift names are compared by."""
    return " ".join(name.split()).casefold()


def clean_gift_name(name: str) -> str:
    return clean_text(name, "gift", MAX_GIFT_NAME, required=True)


@dataclass(frozen=True)
class PricePoint:
    """A gift's coin price from `valid_from` (UTC) until the next price point."""

    coins: int
    valid_from: datetime


def price_at(history: Sequence[PricePoint], when: datetime) -> int:
    """The coin price in force at `when`. Before the first known price, the first known price applies
    (the catalog cannot know older prices, and refusing the gift would lose the creator's record)."""
    if not history:
        raise ValidationError("the gift has no known price", field="coins_each")
    ordered = sorted(history, key=lambda p: p.valid_from)
    price = ordered[0].coins
    for point in ordered:
        if point.valid_from <= when:
            price = point.coins
        else:
            break
    return check_coins(price)


@dataclass(frozen=True)
class CatalogEntry:
    """A gift as the bundled catalog file describes it."""

    name: str
    coins: int
    streakable: bool
    tiktok_id: int | None = None


def parse_catalog(document: dict[str, object]) -> list[CatalogEntry]:
    """Validate the catalog document (resources/gifts.json) and return its entries."""
    raw = document.get("gifts")
    if not isinstance(raw, list) or not raw:
        raise ValidationError("catalog has no 'gifts' list", field="gifts")
    entries: list[CatalogEntry] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ValidationError(f"catalog gift #{index} is not an object", field="gifts")
        name = clean_gift_name(str(item.get("name", "")))
        coins = item.get("coins")
        if not isinstance(coins, int) or isinstance(coins, bool) or coins < 1:
            raise ValidationError(f"catalog gift '{name}' has no valid coin price", field="coins")
        if gift_key(name) in seen:
            raise ValidationError(f"catalog lists '{name}' twice", field="name")
        seen.add(gift_key(name))
        tiktok_id = item.get("tiktok_id")
        entries.append(
            CatalogEntry(
                name=name,
                coins=coins,
                streakable=bool(item.get("streakable", False)),
                tiktok_id=tiktok_id if isinstance(tiktok_id, int) else None,
            )
        )
    return entries
