"""Economics settings of a profile: reward scheme and level (the share every cash figure uses), display
currency and exchange rates, withdrawal rules and method fees.

The profile's `share_bps` is kept equal to its current level's share, so every total computed from the profile
(summary, live totals, dashboard) follows the level without knowing about schemes."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session

from companion.domain.currency import (
    BASE_CURRENCY,
    DisplayRate,
    ExchangeRate,
    check_currency,
    display_rate,
    parse_rate,
)
from companion.domain.errors import NotFound, StateError, ValidationError
from companion.domain.schemes import CUSTOM_SCHEME_KEY, Level, Scheme, check_levels, find_level, parse_schemes
from companion.domain.timeutil import to_local, zone
from companion.domain.withdrawals import METHOD_KINDS, MethodFee, WithdrawalRules
from companion.store.db import Database
from companion.store.economics_repo import ProfileEconomicsRepo, RateRepo, SchemeRepo
from companion.store.repositories import ProfileRepo, SettingRepo
from companion.store.tables import ProfileRow

_SYNCED_KEY = "reward_schemes.synced"
#: Where a profile starts when its share matches none of the presets' levels.
_DEFAULT_SCHEME = "classic"


#: How US-dollar cash is shown: the one conversion path (unrounded US dollars in, rounded once in the display
#: currency). The name stays for the pages and services that say `Display`.
Display = DisplayRate


@dataclass(frozen=True)
class EconomicsState:
    """The profile's choice as one snapshot (for the settings dialog and the Payouts page)."""

    schemes: list[Scheme]
    scheme: Scheme | None
    level: Level | None
    share_bps: int
    currency: str  # the profile's display currency
    display: Display
    rates: list[ExchangeRate]
    rules: WithdrawalRules
    fees: dict[str, MethodFee]
    today: date  # in the profile's zone: the day a rate is noted for unless another is picked


class EconomicsService:
    def __init__(self, db: Database, profile_id: int, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock

    # ---- schemes and levels -----------------------------------------------------------------------------

    def sync_presets(self, path: Path) -> int:
        """Bring the bundled schemes into the database once per file version (presets' levels follow the file;
        the user's own "Agency / custom" levels are created once, then left alone), and give this profile a
        scheme and level if it has none. Returns how many schemes changed."""
        document = json.loads(path.read_text(encoding="utf-8"))
        schemes = parse_schemes(document)
        marker = f"{document.get('version', 0)}:{document.get('as_of', '')}:{len(schemes)}"
        changed = 0
        with self.db.session(write=True) as s:
            settings = SettingRepo(s)
            if settings.get(_SYNCED_KEY) != marker:
                repo = SchemeRepo(s)
                changed = sum(repo.upsert(scheme, replace_levels=not scheme.editable) for scheme in schemes)
                settings.set(_SYNCED_KEY, marker)
            self._ensure_choice(s)
            s.commit()
        return changed

    def _ensure_choice(self, s: Session) -> None:
        """A profile without a level gets the first preset level with its current share (Classic 50 % for a new
        profile); when none matches, the profile keeps its share with no level."""
        econ = ProfileEconomicsRepo(s).row(self.profile_id)
        if econ.level_id is not None:
            return
        share = ProfileRepo(s).get(self.profile_id).share_bps
        repo = SchemeRepo(s)
        ordered = sorted(repo.all(), key=lambda sc: (sc.key != _DEFAULT_SCHEME, sc.editable))
        for scheme in ordered:
            for level in scheme.levels:
                if level.share_bps == share:
                    econ.scheme_id, econ.level_id = repo.level_id(scheme.key, level.name)
                    s.add(econ)
                    s.flush()
                    return

    def schemes(self) -> list[Scheme]:
        with self.db.session() as s:
            return SchemeRepo(s).all()

    def _choice(self, s: Session) -> tuple[Scheme | None, Level | None, int]:
        share = ProfileRepo(s).get(self.profile_id).share_bps
        econ = ProfileEconomicsRepo(s).existing(self.profile_id)
        if econ is None or econ.scheme_id is None:
            return None, None, share
        repo = SchemeRepo(s)
        scheme = repo.by_id(econ.scheme_id)
        row = repo.level_row(econ.level_id) if econ.level_id is not None else None
        # A share changed elsewhere (an older app, a profile edit) no longer matches the level: say so.
        level = Level(row.name, row.share_bps, row.note) if row is not None and row.share_bps == share else None
        return scheme, level, share

    def scheme(self) -> Scheme | None:
        """The profile's reward scheme (None if it has none)."""
        with self.db.session() as s:
            return self._choice(s)[0]

    def levels(self) -> list[Level]:
        """The levels of the profile's scheme, lowest share first (empty without a scheme)."""
        scheme = self.scheme()
        return list(scheme.levels) if scheme is not None else []

    def current_level(self) -> Level | None:
        """The profile's level; None when it has none or its share was set to something else."""
        with self.db.session() as s:
            return self._choice(s)[1]

    def share_bps(self) -> int:
        with self.db.session() as s:
            return ProfileRepo(s).get(self.profile_id).share_bps

    def level_share(self, name: str) -> int:
        """The share of the level called `name` in the profile's scheme (for `summary --level`); an unknown
        name is refused with the names that exist."""
        scheme = self.scheme()
        if scheme is None:
            raise ValidationError(f"unknown level '{name}': no reward scheme is chosen", field="level")
        return find_level(scheme.levels, name).share_bps

    def set_level(self, scheme_key: str, level_name: str) -> Level:
        """Choose a scheme and level; the profile's share becomes the level's share (one transaction)."""
        with self.db.session(write=True) as s:
            try:
                scheme = SchemeRepo(s).get(scheme_key)
            except NotFound:
                raise ValidationError(f"unknown reward scheme '{scheme_key}'", field="scheme") from None
            level = find_level(scheme.levels, level_name)
            self._apply(s, scheme_key, level)
            s.commit()
            return level

    def _apply(self, s: Session, scheme_key: str, level: Level) -> None:
        econ = ProfileEconomicsRepo(s).row(self.profile_id)
        econ.scheme_id, econ.level_id = SchemeRepo(s).level_id(scheme_key, level.name)
        s.add(econ)
        profile = s.get(ProfileRow, self.profile_id)
        assert profile is not None
        profile.share_bps = level.share_bps
        s.add(profile)
        s.flush()

    def set_custom_levels(self, levels: Sequence[Level], choose: str | None = None) -> Scheme:
        """Replace the "Agency / custom" scheme's levels (validated as a whole: nothing changes on a bad one).
        With `choose`, that level becomes the profile's; a profile on a custom level follows its new share."""
        checked = check_levels(levels)
        with self.db.session(write=True) as s:
            repo = SchemeRepo(s)
            try:
                row = repo.row(CUSTOM_SCHEME_KEY)
            except NotFound:
                raise StateError("the 'Agency / custom' scheme is missing; restart the app to restore it") from None
            assert row.id is not None
            econ = ProfileEconomicsRepo(s).row(self.profile_id)
            current = repo.level_row(econ.level_id) if econ.level_id is not None else None
            on_custom = econ.scheme_id == row.id and current is not None
            repo.set_levels(row.id, checked)
            keep = find_level(checked, choose) if choose else None
            if keep is None and on_custom:
                assert current is not None
                names = {lv.name for lv in checked}
                keep = find_level(checked, current.name) if current.name in names else checked[0]
            if keep is not None:
                self._apply(s, CUSTOM_SCHEME_KEY, keep)
            s.commit()
            return repo.get(CUSTOM_SCHEME_KEY)

    # ---- currency ---------------------------------------------------------------------------------------

    def today(self) -> date:
        """Today in the profile's time zone."""
        with self.db.session() as s:
            tz = zone(ProfileRepo(s).get(self.profile_id).time_zone)
        return to_local(self.clock(), tz).date()

    def display(self) -> Display:
        """The profile's display currency with its newest rate; US dollars (with a note) when it has none."""
        with self.db.session() as s:
            currency = ProfileRepo(s).get(self.profile_id).currency
            rates = RateRepo(s).all()
        return display_rate(currency, rates, self.today())

    def rates(self) -> list[ExchangeRate]:
        with self.db.session() as s:
            return RateRepo(s).all()

    def set_rate(self, currency: str, per_usd: str | Decimal, as_of: date) -> ExchangeRate:
        """Note a rate: `per_usd` units of `currency` for one US dollar on `as_of` (replaces that day's)."""
        code = check_currency(currency)
        if code == BASE_CURRENCY:
            raise ValidationError("US dollars need no rate", field="currency")
        rate = ExchangeRate(code, parse_rate(per_usd), as_of)
        with self.db.session(write=True) as s:
            RateRepo(s).set(rate)
            s.commit()
        return rate

    def delete_rate(self, currency: str, as_of: date) -> None:
        with self.db.session(write=True) as s:
            RateRepo(s).delete(check_currency(currency), as_of)
            s.commit()

    # ---- withdrawals ------------------------------------------------------------------------------------

    def rules(self) -> WithdrawalRules:
        with self.db.session() as s:
            return ProfileEconomicsRepo(s).rules(self.profile_id)

    def set_rules(self, rules: WithdrawalRules) -> WithdrawalRules:
        rules.checked()
        with self.db.session(write=True) as s:
            ProfileEconomicsRepo(s).set_rules(self.profile_id, rules)
            s.commit()
        return rules

    def fees(self) -> dict[str, MethodFee]:
        """The fee of every method kind (no fee where none was set)."""
        with self.db.session() as s:
            stored = ProfileEconomicsRepo(s).fees(self.profile_id)
        return {kind: stored.get(kind, MethodFee()) for kind in METHOD_KINDS}

    def set_fee(self, kind: str, fee: MethodFee) -> MethodFee:
        if kind not in METHOD_KINDS:
            raise ValidationError(f"method kind must be one of {', '.join(METHOD_KINDS)} (got '{kind}')", field="kind")
        fee.checked()
        with self.db.session(write=True) as s:
            ProfileEconomicsRepo(s).set_fee(self.profile_id, kind, fee)
            s.commit()
        return fee

    def save_settings(
        self,
        scheme_key: str,
        level_name: str,
        rules: WithdrawalRules,
        fees: dict[str, MethodFee],
        custom_levels: Sequence[Level] | None = None,
    ) -> EconomicsState:
        """Everything the settings dialog edits, in one transaction: every value is checked first, so a bad one
        changes nothing. `custom_levels` replaces the "Agency / custom" levels before the level is chosen."""
        rules.checked()
        for kind, fee in fees.items():
            if kind not in METHOD_KINDS:
                raise ValidationError(f"method kind must be one of {', '.join(METHOD_KINDS)}", field="kind")
            try:
                fee.checked()
            except ValidationError as exc:
                raise ValidationError(f"{kind}: {exc}", field=exc.field) from None
        checked = check_levels(custom_levels) if custom_levels is not None else None
        with self.db.session(write=True) as s:
            repo = SchemeRepo(s)
            if checked is not None:
                custom = repo.row(CUSTOM_SCHEME_KEY)
                assert custom.id is not None
                repo.set_levels(custom.id, checked)
            try:
                scheme = repo.get(scheme_key)
            except NotFound:
                raise ValidationError(f"unknown reward scheme '{scheme_key}'", field="scheme") from None
            self._apply(s, scheme_key, find_level(scheme.levels, level_name))
            econ = ProfileEconomicsRepo(s)
            econ.set_rules(self.profile_id, rules)
            for kind, fee in fees.items():
                econ.set_fee(self.profile_id, kind, fee)
            s.commit()
        return self.state()

    def state(self) -> EconomicsState:
        """Everything the settings dialog shows, read in one session."""
        today = self.today()
        with self.db.session() as s:
            scheme, level, share = self._choice(s)
            currency = ProfileRepo(s).get(self.profile_id).currency
            rates = RateRepo(s).all()
            econ = ProfileEconomicsRepo(s)
            rules, stored = econ.rules(self.profile_id), econ.fees(self.profile_id)
            schemes = SchemeRepo(s).all()
        fees = {kind: stored.get(kind, MethodFee()) for kind in METHOD_KINDS}
        display = display_rate(currency, rates, today)
        return EconomicsState(schemes, scheme, level, share, currency, display, rates, rules, fees, today)
