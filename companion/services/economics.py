"""Economics settings of a profile: reward scheme and level as a history with "effective from" dates, display
currency and exchange rates, withdrawal rules and method fees.

The profile's `share_bps` is kept equal to today's level's share (under per-LIVE rules: what a full LIVE earns), the
share of what-if figures and projections. Cash of past gifts follows the share history (`services.shares`):
choosing a level from a date never re-prices the days before it."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
from companion.domain.economics import check_share_bps
from companion.domain.errors import NotFound, StateError, ValidationError
from companion.domain.live_rewards import parse_live_rules
from companion.domain.schemes import CUSTOM_SCHEME_KEY, Level, Scheme, check_levels, find_level, parse_schemes
from companion.domain.share_history import SharePeriod, check_timeline, in_force
from companion.domain.timeutil import to_local, zone
from companion.domain.withdrawals import METHOD_KINDS, MethodFee, WithdrawalRules
from companion.services.shares import (
    RULES_KEY,
    RewardSettings,
    check_week_zone,
    load_reward_settings,
    load_rules,
    reward_settings_key,
)
from companion.store.db import Database
from companion.store.economics_repo import PayoutRepo, ProfileEconomicsRepo, RateRepo, SchemeRepo
from companion.store.repositories import ProfileRepo, SettingRepo
from companion.store.shares_repo import ShareHistoryRepo
from companion.store.tables import ProfileRow

_SYNCED_KEY = "reward_schemes.synced"
#: The first share entry's date for a profile without gifts: it covers everything before the next entry anyway.
SINCE_THE_START = date(2000, 1, 1)
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
    history: tuple[SharePeriod, ...] = ()  # the share timeline, oldest first
    rule_schemes: frozenset[str] = frozenset()  # keys of schemes that have per-LIVE rules
    reward_settings: RewardSettings = field(default_factory=RewardSettings)

    @property
    def period_today(self) -> SharePeriod | None:
        return in_force(self.history, self.today) if self.history else None


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
                settings.set(RULES_KEY, json.dumps(_rules_of(document)))
                settings.set(_SYNCED_KEY, marker)
            self._ensure_choice(s)
            self._ensure_history(s)
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

    def _ensure_history(self, s: Session) -> None:
        """A profile without a share history gets one entry, its current choice, from its first gift's local day
        (without gifts: from `SINCE_THE_START`, so a scheme the creator then sets "from" some date is not undone
        on the day the profile was opened): what the 0006 migration gives existing profiles."""
        repo = ShareHistoryRepo(s)
        if repo.periods(self.profile_id):
            return
        scheme, level, share = self._choice(s)
        profile = ProfileRepo(s).get(self.profile_id)
        first = PayoutRepo(s).first_gift(self.profile_id)
        day = to_local(first, zone(profile.time_zone)).date() if first is not None else SINCE_THE_START
        key = scheme.key if scheme is not None else CUSTOM_SCHEME_KEY
        repo.replace(self.profile_id, [SharePeriod(day, key, level.name if level else None, share)])

    def schemes(self) -> list[Scheme]:
        with self.db.session() as s:
            return SchemeRepo(s).all()

    # ---- share history ----------------------------------------------------------------------------------

    def share_history(self) -> list[SharePeriod]:
        """The share timeline, oldest first."""
        with self.db.session() as s:
            return ShareHistoryRepo(s).periods(self.profile_id)

    def _period(
        self, s: Session, scheme_key: str, level_name: str | None, day: date, share_bps: int | None = None
    ) -> SharePeriod:
        """A timeline entry for a scheme and level (None or '': the scheme's per-LIVE rules; under "Agency /
        custom", a bare `share_bps` split), its share copied from the level unless `share_bps` already is."""
        try:
            scheme = SchemeRepo(s).get(scheme_key)
        except NotFound:
            raise ValidationError(f"unknown reward scheme '{scheme_key}'", field="scheme") from None
        if share_bps is not None and (level_name or scheme_key == CUSTOM_SCHEME_KEY):
            # an entry kept as it was stored: its copied share stands, even if the level was edited since
            return SharePeriod(day, scheme_key, level_name or None, check_share_bps(share_bps))
        if not level_name:
            if scheme_key not in load_rules(s):
                known = ", ".join(f"'{lv.name}'" for lv in scheme.levels)
                raise ValidationError(f"'{scheme.name}' has no per-LIVE rules: choose a level ({known})", "level")
            return SharePeriod(day, scheme_key, None, None)
        level = find_level(scheme.levels, level_name)
        return SharePeriod(day, scheme_key, level.name, level.share_bps)

    def set_scheme(
        self, scheme_key: str, level_name: str | None = None, effective_from: date | None = None
    ) -> SharePeriod:
        """From local date `effective_from` (default today) on, the share is this scheme's level (or its per-LIVE
        rules without a level). Days before it keep the share they had; an entry on the same date is replaced."""
        with self.db.session(write=True) as s:
            self._ensure_history(s)
            period = self._period(s, scheme_key, level_name, effective_from or self._today(s))
            self._put_period(s, period)
            s.commit()
            return period

    def _put_period(self, s: Session, period: SharePeriod) -> None:
        repo = ShareHistoryRepo(s)
        current = repo.periods(self.profile_id)
        first_gift = PayoutRepo(s).first_gift(self.profile_id)
        if current and first_gift is not None:
            # The first entry covers every day before it too; gifts imported after it was written may be older
            # than its date: date it back to them, so an entry on its old date does not take over their days.
            day = to_local(first_gift, zone(ProfileRepo(s).get(self.profile_id).time_zone)).date()
            if day < current[0].effective_from:
                current[0] = SharePeriod(day, current[0].scheme_key, current[0].level_name, current[0].share_bps)
        before = in_force(current, period.effective_from) if current else None
        same = before is not None and (before.scheme_key, before.level_name, before.share_bps) == (
            period.scheme_key, period.level_name, period.share_bps)  # fmt: skip
        if same and before is not None and before.effective_from <= period.effective_from:
            repo.replace(self.profile_id, current)
            self._follow_today(s, current)
            return  # already in force on that day: a second entry would say nothing
        kept = [p for p in current if p.effective_from != period.effective_from]
        timeline = check_timeline([*kept, period])
        repo.replace(self.profile_id, timeline)
        self._follow_today(s, list(timeline))

    def set_share_history(self, periods: Sequence[SharePeriod]) -> list[SharePeriod]:
        """Replace the whole timeline (the settings dialog's list); each entry's share is read from its level."""
        with self.db.session(write=True) as s:
            checked = check_timeline(
                self._period(s, p.scheme_key, p.level_name, p.effective_from, p.share_bps) for p in periods
            )
            ShareHistoryRepo(s).replace(self.profile_id, checked)
            self._follow_today(s, list(checked))
            s.commit()
            return list(checked)

    def _follow_today(self, s: Session, periods: list[SharePeriod]) -> None:
        """The profile's scheme, level and share follow the entry in force today (what-if and projections)."""
        period = in_force(periods, self._today(s)) if periods else None
        if period is None:
            return
        if period.level_name is not None:
            scheme = SchemeRepo(s).get(period.scheme_key)
            self._apply(s, period.scheme_key, find_level(scheme.levels, period.level_name))
            return
        rules = load_rules(s).get(period.scheme_key)
        econ = ProfileEconomicsRepo(s).row(self.profile_id)
        econ.scheme_id, econ.level_id = SchemeRepo(s).row(period.scheme_key).id, None
        s.add(econ)
        profile = s.get(ProfileRow, self.profile_id)
        assert profile is not None
        if period.share_bps is not None:
            profile.share_bps = period.share_bps
        elif rules is not None:  # a full LIVE's per-LIVE share: the figure to project with
            profile.share_bps = max(t.share_bps for t in rules.tiers) + rules.follower_bonus_bps
        s.add(profile)
        s.flush()

    def _today(self, s: Session) -> date:
        return to_local(self.clock(), zone(ProfileRepo(s).get(self.profile_id).time_zone)).date()

    def reward_settings(self) -> RewardSettings:
        with self.db.session() as s:
            return load_reward_settings(s, self.profile_id)

    def set_reward_settings(self, settings: RewardSettings) -> RewardSettings:
        """The week zone and the weekly bonuses the creator ticks (team size, league; within the rules' maxima)."""
        check_week_zone(settings.week_zone)
        for value, name in ((settings.team_bps, "team bonus"), (settings.league_bps, "league bonus")):
            if not 0 <= value <= 1000:
                raise ValidationError(f"{name} must be between 0 % and 10 %", field=name)
        with self.db.session(write=True) as s:
            SettingRepo(s).set(reward_settings_key(self.profile_id), json.dumps(settings.__dict__))
            s.commit()
        return settings

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
            self._ensure_history(s)
            self._put_period(s, SharePeriod(self._today(s), scheme_key, level.name, level.share_bps))
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
                self._ensure_history(s)
                self._put_period(s, SharePeriod(self._today(s), CUSTOM_SCHEME_KEY, keep.name, keep.share_bps))
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
        level_name: str | None,
        rules: WithdrawalRules,
        fees: dict[str, MethodFee],
        custom_levels: Sequence[Level] | None = None,
        effective_from: date | None = None,
        history: Sequence[SharePeriod] | None = None,
        reward_settings: RewardSettings | None = None,
    ) -> EconomicsState:
        """Everything the settings dialog edits, in one transaction: every value is checked first, so a bad one
        changes nothing. `custom_levels` replaces the "Agency / custom" levels before the level is chosen.
        `history` replaces the share timeline; then the scheme and level (None or '': per-LIVE rules) apply from
        `effective_from` (default today), leaving the days before it as they were."""
        rules.checked()
        if reward_settings is not None:
            check_week_zone(reward_settings.week_zone)
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
            self._ensure_history(s)
            if history is not None:
                timeline = check_timeline(self._period(s, p.scheme_key, p.level_name, p.effective_from, p.share_bps)
                                        for p in history)
                ShareHistoryRepo(s).replace(self.profile_id, timeline)
            self._put_period(s, self._period(s, scheme_key, level_name, effective_from or self._today(s)))
            if reward_settings is not None:
                SettingRepo(s).set(reward_settings_key(self.profile_id), json.dumps(reward_settings.__dict__))
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
            history = tuple(ShareHistoryRepo(s).periods(self.profile_id))
            rule_schemes = frozenset(load_rules(s))
            reward = load_reward_settings(s, self.profile_id)
        fees = {kind: stored.get(kind, MethodFee()) for kind in METHOD_KINDS}
        display = display_rate(currency, rates, today)
        return EconomicsState(
            schemes, scheme, level, share, currency, display, rates, rules, fees, today, history, rule_schemes, reward
        )


def _rules_of(document: dict[str, object]) -> dict[str, object]:
    """The `rules` objects of the file's schemes by key, each checked now so a bad one fails at sync."""
    found: dict[str, object] = {}
    for entry in document.get("schemes") or []:  # type: ignore[attr-defined]
        if isinstance(entry, dict) and isinstance(entry.get("rules"), dict):
            parse_live_rules(entry["rules"], f"scheme '{entry.get('key')}' rules")
            found[str(entry["key"])] = entry["rules"]
    return found
