"""Coins → diamonds → cash: one diamond per coin, cash at the creator's reward share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from companion.domain.errors import ValidationError
from companion.domain.money import C_NUMBERS, NumberSymbols, parse_amount, quantize

#: What one diamond is worth at a 100 % share, in US dollars (50 % gives the classic US$0.005).
BASE_USD_PER_DIAMOND = Decimal("0.01")
#: Shares are whole basis points: 10,000 bps = 100 %.
FULL_SHARE_BPS = 10_000
DEFAULT_SHARE_BPS = 5_000
#: Bounds on one gift, from what TikTok can produce, with headroom: the dearest gift in the catalog costs
#: 44,999 coins (TikTok Universe) and streaks reach a few thousand taps. Together they keep every sum the app
#: makes inside SQLite's signed 64-bit integers at any size it could hold: one gift is at most
#: MAX_COINS × MAX_COUNT = 5×10^9 diamonds, so even 10^9 gifts sum to 5×10^18 < 2^63 − 1 ≈ 9.22×10^18.
MAX_COINS = 100_000
MAX_COUNT = 50_000


def diamonds_for(coins_each: int, count: int) -> int:
    """Diamonds a gift earns: one per coin of its price, times how many were sent."""
    check_coins(coins_each)
    check_count(count)
    return coins_each * count


def check_count(count: int) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise ValidationError(f"count must be a whole number from 1 to {MAX_COUNT:,} (got {count!r})", field="count")
    return count


def check_coins(coins: int) -> int:
    if isinstance(coins, bool) or not isinstance(coins, int) or not 0 <= coins <= MAX_COINS:
        raise ValidationError(
            f"coin price must be a whole number from 0 to {MAX_COINS:,} (got {coins!r})", field="coins"
        )
    return coins


def check_share_bps(share_bps: int) -> int:
    if isinstance(share_bps, bool) or not isinstance(share_bps, int) or not 0 <= share_bps <= FULL_SHARE_BPS:
        raise ValidationError(f"share must be between 0 % and 100 % (got {share_bps!r} bps)", field="share")
    return share_bps


def parse_share_percent(text: str, symbols: NumberSymbols = C_NUMBERS) -> int:
    """'50' → 5000 bps, '52.5' → 5250 ('52,5' under a comma locale's `symbols`); refuses values outside 0–100 or
    finer than 0.01 %."""
    percent = parse_amount(str(text).strip().rstrip("%").strip(), symbols, max_decimals=2, field="share")
    if not 0 <= percent <= 100:
        raise ValidationError(f"share must be between 0 and 100 percent (got '{text}')", field="share")
    return int(percent * 100)


def share_percent_text(share_bps: int) -> str:
    """5000 → '50', 5250 → '52.5', 2025 → '20.25' (no trailing zeros)."""
    check_share_bps(share_bps)
    text = f"{Decimal(share_bps) / 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def usd_per_diamond(share_bps: int) -> Decimal:
    """Unrounded dollars per diamond at a share (50 % → 0.005)."""
    return BASE_USD_PER_DIAMOND * check_share_bps(share_bps) / FULL_SHARE_BPS


def cash_for_diamonds(diamonds: int, share_bps: int, currency: str = "USD") -> Decimal:
    """Cash for a total of diamonds, rounded once, half-even, to the currency's minor unit."""
    if isinstance(diamonds, bool) or not isinstance(diamonds, int):
        raise ValidationError(f"diamonds must be a whole number (got {diamonds!r})", field="diamonds")
    return quantize(diamonds * usd_per_diamond(share_bps), currency)


@dataclass(frozen=True)
class GiftTotals:
    """What a set of gift events adds up to. `gifts` counts events, `items` sums their counts."""

    gifts: int = 0
    items: int = 0
    coins: int = 0
    diamonds: int = 0

    def __add__(self, other: GiftTotals) -> GiftTotals:
        return GiftTotals(
            self.gifts + other.gifts,
            self.items + other.items,
            self.coins + other.coins,
            self.diamonds + other.diamonds,
        )

    def cash(self, share_bps: int, currency: str = "USD") -> Decimal:
        return cash_for_diamonds(self.diamonds, share_bps, currency)


#: Below this much live time a rate per hour is left out: 30,000 diamonds in a 4-minute test stream would read as
#: "450,000 per live hour", which says nothing about the creator's streams.
MIN_RATED_LIVE_SECONDS = 15 * 60


def diamonds_per_live_hour(diamonds: int, live_seconds: int) -> int | None:
    """Whole diamonds per live hour, rounded half-even; None under `MIN_RATED_LIVE_SECONDS` of live time."""
    if live_seconds < MIN_RATED_LIVE_SECONDS:
        return None
    return int((Decimal(diamonds) * 3600 / live_seconds).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
