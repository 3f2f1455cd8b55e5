"""Screen wording: singular and plural counts; a percent sign never wraps away from its number."""

from __future__ import annotations

from companion.ui.format import keep_percent, percent, plural


def test_plural_says_one_withdrawal_and_44_withdrawals() -> None:
    assert plural(1, "withdrawal") == "1 withdrawal"
    assert plural(44, "withdrawal") == "44 withdrawals"
    assert plural(0, "withdrawal") == "0 withdrawals"


def test_percent_keeps_the_sign_with_its_number() -> None:
    assert percent(3850) == "38.5\u00a0%"
    assert keep_percent("25+ minutes 38 %, 5+ followers +2 %.") == "25+ minutes 38\u00a0%, 5+ followers +2\u00a0%."
