"""The monthly statement's and the QIF's numbers: rows a person adds up sum to the stated total, payouts "paid this
month" by the day they were paid, dates in the profile's zone whatever the computer's."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.domain.economics import cash_for_diamonds
from companion.services import Services, build_services
from companion.services.exports import Statement
from companion.store.db import open_database
from companion.store.repositories import StreamRepo
from tests.conftest import CATALOG, FakeClock
from tests.services.test_reports import _set_profile


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _stream(services: Services, title: str, start: str, hours: float) -> int:
    with services.db.session(write=True) as s:
        began = _utc(start)
        stream = StreamRepo(s).create(services.profile_id, title, began, began + timedelta(hours=hours))
        s.commit()
        assert stream.id is not None
        return stream.id


def _printed_rows(statement: Statement) -> list[Decimal]:
    """The stream table's cash column as printed: listed streams, then "Gifts outside streams" when there are any."""
    rows = [st.cash for st in statement.streams]
    if statement.outside_streams.gifts:
        rows.append(statement.outside_cash)
    return rows


def test_stream_cash_column_adds_up_to_the_total(services: Services) -> None:
    # three streams of 1 diamond: each alone US$0.005 → US$0.00, but the month is US$0.015 → US$0.02
    for day in (2, 3, 4):
        stream = _stream(services, f"s{day}", f"2026-11-0{day}T18:00", 1)
        services.gifts.log("Rose", 1, "a", at=_utc(f"2026-11-0{day}T18:30"), stream_id=stream)
    statement = services.exports.statement("2026-11")
    assert statement.cash == Decimal("0.02")
    assert [st.cash for st in statement.streams] == [Decimal("0.01"), Decimal("0.01"), Decimal("0.00")]
    assert sum(_printed_rows(statement)) == statement.cash


def test_qif_days_add_up_to_the_total_the_app_shows(services: Services) -> None:
    for day in range(1, 8):  # 7 days of 3 diamonds: US$0.015 a day → US$0.02 each, rounded alone: US$0.14
        services.gifts.log("Rose", 3, "a", at=_utc(f"2026-11-0{day}T12:00"))
    income = [e.amount for e in services.exports.qif_entries("2026-11") if e.amount > 0]
    shown = services.reports.summary(date(2026, 11, 1), date(2026, 11, 30)).cash
    assert shown == Decimal("0.10")  # 21 diamonds: US$0.105 → US$0.10
    assert sum(income) == shown
    services.gifts.log("Rose", 3, "a", at=_utc("2026-10-31T12:00"))
    everything = [e.amount for e in services.exports.qif_entries() if e.amount > 0]  # no month: all time
    assert sum(everything) == services.reports.summary().cash == Decimal("0.12")


def test_paid_out_this_month_is_by_the_day_paid_in_the_ledger_currency(services: Services, clock: FakeClock) -> None:
    clock.now = _utc("2026-12-10T12:00")
    pay = services.payouts.record
    # requested in October, paid in November: November's
    pay("100", requested_at=_utc("2026-10-28T12:00"), status="paid", paid_at=_utc("2026-11-02T12:00"), fee_usd="1")
    # requested in November, paid in December: not November's
    pay("50", requested_at=_utc("2026-11-20T12:00"), status="paid", paid_at=_utc("2026-12-02T12:00"))
    pay("30", requested_at=_utc("2026-11-21T12:00"))  # requested only
    november = services.exports.statement("2026-11")
    assert november.paid_out == Decimal("99.00")  # was 50.00 - fee: selected by the request date
    assert november.payout_currency == "USD"
    assert {p.gross_cents for p in november.payouts} == {10000, 5000, 3000}  # requested or paid in November
    assert services.exports.statement("2026-12").paid_out == Decimal("50.00")


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's zone is New York; the profile's is Tokyo (14 hours ahead in winter)."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_statement_days_are_the_profiles_near_midnight(services: Services, clock: FakeClock, new_york: None) -> None:
    _set_profile(services, time_zone="Asia/Tokyo")
    clock.now = _utc("2026-12-10T12:00")
    log = services.gifts.log
    log("Rose", 10, "a", at=_utc("2026-10-31T15:30"))  # Tokyo: Sun 1 Nov 00:30 (New York: 31 Oct 11:30)
    log("Rose", 20, "b", at=_utc("2026-11-30T14:59"))  # Tokyo: Mon 30 Nov 23:59
    log("Rose", 40, "c", at=_utc("2026-11-30T15:00"))  # Tokyo: Tue 1 Dec 00:00 (New York: 30 Nov 10:00)
    services.payouts.record(
        "25", requested_at=_utc("2026-11-20T15:30"), status="paid", paid_at=_utc("2026-11-30T15:30")
    )  # requested Sat 21 Nov 00:30 Tokyo, paid Tue 1 Dec 00:30 Tokyo: both still the day before in New York and UTC
    november = services.exports.statement("2026-11")
    assert november.totals.diamonds == 30
    assert november.paid_out == Decimal(0)
    (payout,) = november.payouts
    assert f"{payout.requested_at:%d %b %Y}" == "21 Nov 2026"  # was printed in UTC: 20 Nov 2026
    assert payout.paid_at is not None and f"{payout.paid_at:%d %b %Y}" == "01 Dec 2026"
    december = services.exports.statement("2026-12")
    assert december.totals.diamonds == 40
    assert december.paid_out == Decimal("25.00")
    qif = {(e.day, e.amount) for e in services.exports.qif_entries()}
    assert (date(2026, 11, 1), Decimal("0.05")) in qif and (date(2026, 12, 1), Decimal("-25.00")) in qif


# ---- every table sums to its total, over random gift sets and shares ------------------------------------------

gifts = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=29 * 24 * 60),  # minute of November (UTC)
        st.integers(min_value=1, max_value=5000),  # diamonds (a Rose is 1 coin)
        st.integers(min_value=0, max_value=3),  # stream 1..3, or 0: outside streams
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    gifts,
    st.integers(min_value=0, max_value=10_000),
    st.sampled_from([("USD", "1"), ("EUR", "0.9137"), ("JPY", "151.3"), ("KRW", "1350"), ("KWD", "0.3075")]),
)
def test_every_exported_or_printed_table_sums_to_its_total(
    events: list[tuple[int, int, int]], share_bps: int, money: tuple[str, str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "c.sqlite3", Path(folder) / "backups")
        try:
            services = build_services(db, CATALOG, clock=FakeClock(_utc("2026-11-30T23:00")))
            currency, rate = money
            _set_profile(services, currency=currency, share_bps=share_bps)
            if currency != "USD":
                services.economics.set_rate(currency, rate, date(2026, 11, 1))
            streams = [_stream(services, f"s{i}", f"2026-11-0{i}T00:00", 24 * 9) for i in (1, 2, 3)]
            start = _utc("2026-11-01T00:00")
            for minute, diamonds, stream in events:
                at = start + timedelta(minutes=minute)
                services.gifts.log("Rose", diamonds, "x", at=at, stream_id=streams[stream - 1] if stream else None)
            statement = services.exports.statement("2026-11")
            total = sum(d for _, d, _ in events)
            assert statement.totals.diamonds == total
            assert sum(_printed_rows(statement)) == statement.cash == services.dashboard.overview().periods[2].cash
            income = [e.amount for e in services.exports.qif_entries("2026-11")]
            assert sum(income) == cash_for_diamonds(total, share_bps)
            assert sum(income) == services.reports.summary(date(2026, 11, 1), date(2026, 11, 30)).cash
        finally:
            db.dispose()
