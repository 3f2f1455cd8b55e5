"""How numbers look to the creator: locale grouping, money with its currency, local times, durations."""

from __future__ import annotations

import re
from datetime import datetime

from companion.domain.economics import share_percent_text
from companion.render.numbers import money, whole
from companion.services.context import ProfileContext


def cash(context: ProfileContext, diamonds: int, share_bps: int | None = None) -> str:
    """Cash for `diamonds` at a share (default: the profile's) as the creator chose to see it: in the context's
    display currency, converted from the unrounded US-dollar amount and rounded once (never a rounded total
    converted again)."""
    share = context.share_bps if share_bps is None else share_bps
    return money(context.display.cash(diamonds, share), context.display.currency)


def local_time(moment: datetime, context: ProfileContext, with_date: bool = False) -> str:
    return context.local(moment).strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M:%S")


def local_date(moment: datetime, context: ProfileContext) -> str:
    return context.local(moment).strftime("%d %b %Y")


def local_day(moment: datetime, context: ProfileContext) -> str:
    return context.local(moment).strftime("%a %d %b %Y, %H:%M")


def local_short(moment: datetime, context: ProfileContext) -> str:
    """"26 Nov, 01:56" this year (the profile's, by its clock); "27 Nov 2025, 21:00" for another year."""
    local = context.local(moment)
    return local.strftime("%d %b, %H:%M" if local.year == context.today().year else "%d %b %Y, %H:%M")


def plural(count: int, noun: str) -> str:
    """"1 withdrawal", "44 withdrawals" (grouped digits)."""
    return f"{whole(count)} {noun}{'' if count == 1 else 's'}"


def percent(share_bps: int) -> str:
    """"48 %" with a no-break space, so a wrapped line never leaves the % alone (screen text only, not the CLI)."""
    return f"{share_percent_text(share_bps)}\u00a0%"


def keep_percent(text: str) -> str:
    """Join "38 %" in text from the data (scheme notes) with a no-break space."""
    return re.sub(r"(\d) %", "\\1\u00a0%", text)
