"""How numbers look to the creator: locale grouping, money with its currency, local times, durations."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from decimal import Decimal

from companion.domain.currency import convert_from_usd
from companion.domain.economics import share_percent_text
from companion.domain.timeutil import to_local, zone
from companion.render.numbers import money, whole

#: The zone times are shown in: the current profile's (None = the computer's). Set on start and on switch.
_display_zone: list[tzinfo | None] = [None]


def set_display_zone(time_zone: str) -> None:
    """Show times in this IANA zone from now on ("" = the computer's own)."""
    _display_zone[0] = zone(time_zone)


def display_zone() -> tzinfo | None:
    return _display_zone[0]


#: The currency US-dollar cash is shown in, with its rate (units per US$1): the profile's, when a rate is noted.
_display_money: list[tuple[str, Decimal] | None] = [None]


def set_display_money(currency: str, per_usd: Decimal) -> None:
    """Show US-dollar cash in `currency` at `per_usd` from now on (US dollars: shown as they are)."""
    _display_money[0] = None if currency == "USD" else (currency, per_usd)


def _local(moment: datetime) -> datetime:
    return to_local(moment, _display_zone[0])


def cash(amount: Decimal, currency: str = "USD") -> str:
    """Cash as the creator chose to see it: a US-dollar total (already rounded to the cent) in the profile's display
    currency, converted once and rounded once to its minor unit, when a rate is noted; anything else as it is."""
    shown = _display_money[0]
    if currency != "USD" or shown is None:
        return money(amount, currency)
    code, per_usd = shown
    return money(convert_from_usd(amount, per_usd, code), code)


def local_time(moment: datetime, with_date: bool = False) -> str:
    local = _local(moment)
    return local.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M:%S")


def local_date(moment: datetime) -> str:
    return _local(moment).strftime("%d %b %Y")


def local_day(moment: datetime) -> str:
    return _local(moment).strftime("%a %d %b %Y, %H:%M")


def local_short(moment: datetime) -> str:
    """"26 Nov, 01:56" this year; "27 Nov 2025, 21:00" for another year (the year would otherwise be lost)."""
    local = _local(moment)
    this_year = _local(datetime.now(local.tzinfo)).year
    return local.strftime("%d %b, %H:%M" if local.year == this_year else "%d %b %Y, %H:%M")


def plural(count: int, noun: str) -> str:
    """"1 withdrawal", "44 withdrawals" (grouped digits)."""
    return f"{whole(count)} {noun}{'' if count == 1 else 's'}"


def percent(share_bps: int) -> str:
    """"48 %" with a no-break space, so a wrapped line never leaves the % alone (screen text only, not the CLI)."""
    return f"{share_percent_text(share_bps)}\u00a0%"


def keep_percent(text: str) -> str:
    """Join "38 %" in text from the data (scheme notes) with a no-break space."""
    return re.sub(r"(\d) %", "\\1\u00a0%", text)
