"""Payouts → check against TikTok: both causes named whichever way the gap goes; a check the data has moved past
says it is stale."""

from __future__ import annotations

from companion.services import Services
from companion.services.payouts import gap_causes
from tests.conftest import FakeClock


def test_tiktok_showing_less_names_withdrawals_not_recorded_and_gifts_not_logged() -> None:
    less = gap_causes(-800)
    assert "Withdrawals not recorded here lower TikTok's balance" in less
    assert "Gifts not logged here pull the other way" in less
    more = gap_causes(800)
    assert "Gifts not logged here raise TikTok's balance" in more and "Withdrawals not recorded" in more
    assert gap_causes(0) == "No gap: the app's balance matches TikTok's."


def test_a_check_goes_stale_once_gifts_or_payouts_come_in_after_it(services: Services, clock: FakeClock) -> None:
    services.gifts.log("Rose", 10_000, "a")
    check = services.payouts.reconcile(6_000)  # TikTok less: a withdrawal of 4,000 not recorded
    assert check.gap_diamonds == -4_000 and not check.stale
    assert "Withdrawals not recorded" in check.causes()
    clock.advance(minutes=5)
    services.payouts.record("20.00")  # the creator records it now: the old check no longer describes the app
    last = services.payouts.last_reconciliation()
    assert last is not None and last.stale and last.tracked_now == 6_000 and last.tracked_diamonds == 10_000
    fresh = services.payouts.reconcile(6_000)
    assert fresh.gap_diamonds == 0 and not fresh.stale
