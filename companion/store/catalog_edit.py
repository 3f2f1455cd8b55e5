"""Catalog edits by the user: custom gifts and new prices, each a new price point (old gifts keep theirs)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from companion.domain.catalog import PricePoint, gift_key
from companion.domain.errors import NotFound, ValidationError
from companion.store.tables import GiftPriceRow, GiftTypeRow


class CatalogEditRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def add_gift(self, name: str, coins: int, streakable: bool, at: datetime) -> int:
        if self.s.exec(select(GiftTypeRow).where(GiftTypeRow.name_key == gift_key(name))).first() is not None:
            raise ValidationError(f"'{name}' is already in the catalog; change its price instead", field="name")
        row = GiftTypeRow(name=name, name_key=gift_key(name), streakable=streakable, custom=True)
        self.s.add(row)
        self.s.flush()
        assert row.id is not None
        self.s.add(GiftPriceRow(gift_type_id=row.id, coins=coins, valid_from=at))
        self.s.flush()
        return row.id

    def set_price(self, gift_type_id: int, coins: int, at: datetime) -> None:
        """The gift costs `coins` from `at` on (a price set at the very same moment is replaced)."""
        if self.s.get(GiftTypeRow, gift_type_id) is None:
            raise NotFound(f"gift {gift_type_id} is not in the catalog")
        same_moment = self.s.exec(
            select(GiftPriceRow).where(GiftPriceRow.gift_type_id == gift_type_id, GiftPriceRow.valid_from == at)
        ).first()
        row = same_moment or GiftPriceRow(gift_type_id=gift_type_id, coins=coins, valid_from=at)
        row.coins = coins
        self.s.add(row)
        self.s.flush()

    def history(self, gift_type_id: int) -> list[PricePoint]:
        query = (
            select(GiftPriceRow).where(GiftPriceRow.gift_type_id == gift_type_id).order_by(col(GiftPriceRow.valid_from))
        )
        return [PricePoint(r.coins, r.valid_from) for r in self.s.exec(query)]
