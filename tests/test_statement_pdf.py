"""The monthly statement PDF shows hand-computed totals; the test reads the PDF's text back with PDFium (QtPdf),
a reader independent of the Qt PDF writer that made it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtPdf import QPdfDocument

from companion.render.statement_pdf import write_statement_pdf
from companion.services import Services
from companion.store.repositories import StreamRepo
from companion.store.tables import PayoutRow, ProfileEconomicsRow, RewardLevelRow, RewardSchemeRow


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def pdf_text(path: Path) -> str:
    document = QPdfDocument(None)
    assert document.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(document.getAllText(page).text() for page in range(document.pageCount()))
    document.close()
    return " ".join(text.split())


@pytest.fixture
def november(services: Services) -> Services:
    services.profiles.update(services.profile_id, "Luna Live", "USD", "UTC")
    with services.db.session(write=True) as s:
        repo = StreamRepo(s)
        friday = repo.create(services.profile_id, "Friday night", _utc("2026-11-06T20:00"), _utc("2026-11-06T22:00"))
        sunday = repo.create(services.profile_id, "Sunday chill", _utc("2026-11-08T18:00"), _utc("2026-11-08T19:30"))
        s.commit()
    log = services.gifts.log
    log("Rose", 1000, "luna", at=_utc("2026-11-06T20:30"), stream_id=friday.id)  # 1,000
    log("Galaxy", 3, "mike", at=_utc("2026-11-06T21:00"), coins_each=1000, stream_id=friday.id)  # 3,000
    log("Rose", 501, "luna", at=_utc("2026-11-08T18:10"), stream_id=sunday.id)  # 501
    log("Rose", 99, "=evil", at=_utc("2026-11-10T12:00"))  # 99, outside streams
    log("Rose", 5000, "luna", at=_utc("2026-10-31T23:59"))  # October: not in the statement
    with services.db.session(write=True) as s:
        s.add(
            PayoutRow(
                profile_id=services.profile_id,
                requested_at=_utc("2026-11-12T10:00"),
                paid_at=_utc("2026-11-20T10:00"),
                status="paid",
                diamonds=3000,
                gross_cents=1500,
                fee_cents=30,
            )
        )
        s.commit()
    return services


def test_statement_shows_hand_computed_totals(november: Services, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    statement = november.exports.statement("2026-11")
    assert (statement.totals.gifts, statement.totals.items, statement.totals.diamonds) == (4, 1603, 4600)
    out = write_statement_pdf(statement, tmp_path / "nov.pdf")
    assert out.read_bytes().startswith(b"%PDF")
    text = pdf_text(out)
    assert "Monthly statement — November 2026" in text
    assert "Luna Live" in text
    # totals: 4 gifts, 1,603 items, 4,600 diamonds, 4,600 × US$0.005 = US$23.00, 2 h + 1 h 30 live
    assert "4 1,603 4,600 US$23.00 3:30:00" in text
    # without a chosen scheme the profile's share; with the economics presets synced, its one level
    assert re.search(r"(Your share|\w+ \(yours\)) 50 % US\$23\.00", text)
    # per stream: 4,000 → US$20.00; 501 → 2.505 → US$2.50 (half-even); outside streams 99 → 0.495 → US$0.50
    assert "Friday night Fri 06 Nov 20:00 2:00:00 2 4,000 US$20.00" in text
    assert "Sunday chill Sun 08 Nov 18:00 1:30:00 1 501 US$2.50" in text
    assert "Gifts outside streams 1 99 US$0.50" in text
    assert "Total 3:30:00 4 4,600 US$23.00" in text
    # top gifters (luna: 1,501 × 0.005 = 7.505 → US$7.50, half-even); a formula-like name is plain text
    assert "mike 3,000 US$15.00 luna 1,501 US$7.50 =evil 99 US$0.50" in text
    assert "paid US$15.00 US$0.30 US$14.70" in text
    assert "US$25" not in text.split("Outlook:")[0]  # October's gift stays out of the month (the outlook may name it)


def test_an_empty_month_says_so(services: Services, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    text = pdf_text(write_statement_pdf(services.exports.statement("2026-02"), tmp_path / "feb.pdf"))
    assert "No streams this month." in text and "No payouts requested this month." in text


def test_cash_at_each_level_of_the_profiles_scheme(november: Services, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    with november.db.session(write=True) as s:
        scheme = RewardSchemeRow(key="agency-test", name="Agency")
        s.add(scheme)
        s.flush()
        assert scheme.id is not None
        ids = {}
        for position, (name, bps) in enumerate([("Bronze", 4000), ("Silver", 5000), ("Gold", 6000)]):
            level = RewardLevelRow(scheme_id=scheme.id, position=position, name=name, share_bps=bps)
            s.add(level)
            s.flush()
            ids[name] = level.id
        econ = s.get(ProfileEconomicsRow, november.profile_id) or ProfileEconomicsRow(profile_id=november.profile_id)
        econ.scheme_id, econ.level_id = scheme.id, ids["Silver"]
        s.add(econ)
        s.commit()
    text = pdf_text(write_statement_pdf(november.exports.statement("2026-11"), tmp_path / "nov.pdf"))
    # 4,600 diamonds × US$0.01 × share
    assert "Cash by level (Agency)" in text
    assert "Bronze 40 % US$18.40 Silver (yours) 50 % US$23.00 Gold 60 % US$27.60" in text


def test_the_outlook_says_what_its_range_held_in_the_creators_past(services: Services, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    """Two years of history: the statement's outlook gives the next 30 days as a range and its measured record,
    not the fixed "8 in 10" promise."""
    from datetime import date

    from tests.forecast_gen import FAMILY, generate
    from tests.services.test_projections_service import bulk_history

    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    bulk_history(services, generate(FAMILY["growing"], date(2024, 11, 1), 749, seed=8), date(2026, 11, 19))
    statement = services.exports.statement("2026-11")
    assert statement.outlook is not None and statement.outlook.coverage is not None
    coverage = statement.outlook.coverage
    text = pdf_text(write_statement_pdf(statement, tmp_path / "nov.pdf"))
    assert "Outlook: the next 30 days" in text
    held = f"held {coverage.held} of your last {coverage.of} stretches of 30 days"
    assert f"In your history, a range drawn this way {held}" in text
    assert "One big night can add US$" in text
    assert "8 in 10" not in text
