"""QIF (Quicken Interchange Format) for GnuCash, HomeBank and KMyMoney: one "other asset" account holding the
TikTok balance in US dollars; income per local day, payouts as withdrawals. Dates are MM/DD/YYYY (the QIF
convention; each of those apps asks for or detects the date order on import)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TextIO

from companion.domain.money import money_text

ACCOUNT_TYPE = "Oth A"


@dataclass(frozen=True)
class QifEntry:
    day: date
    amount: Decimal  # positive: earned; negative: paid out
    payee: str
    memo: str
    category: str


def _line(text: str) -> str:
    # QIF is line based: a newline inside a field would start a new field
    return " ".join(text.split())


def write_qif(out: TextIO, account: str, entries: Iterable[QifEntry], currency: str = "USD") -> int:
    out.write("!Account\n")
    out.write(f"N{_line(account)}\nT{ACCOUNT_TYPE}\nDTikTok LIVE diamonds at your reward share, in {currency}\n^\n")
    out.write(f"!Type:{ACCOUNT_TYPE}\n")
    written = 0
    for entry in entries:
        out.write(f"D{entry.day:%m/%d/%Y}\n")
        out.write(f"T{money_text(entry.amount, currency)}\n")
        out.write(f"P{_line(entry.payee)}\n")
        if entry.memo:
            out.write(f"M{_line(entry.memo)}\n")
        if entry.category:
            out.write(f"L{_line(entry.category)}\n")
        out.write("^\n")
        written += 1
    return written
