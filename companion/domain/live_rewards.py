"""Rule-based reward shares (TikTok's US scaled LIVE rewards): the share each LIVE earned, with the reasons.

Pure computation over (start, end, new followers) of a week's LIVEs; the rules themselves are data
(`resources/reward_schemes.json`, parsed by `parse_live_rules`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from companion.domain.economics import check_share_bps, parse_share_percent, share_percent_text
from companion.domain.errors import ValidationError


@dataclass(frozen=True)
class DurationTier:
    """From `min_minutes` whole minutes of LIVE the base share is `share_bps`."""

    min_minutes: int
    share_bps: int


@dataclass(frozen=True)
class LiveRules:
    """A per-LIVE scheme. Between two tiers, `linear_between` (an estimate, said so in reasons) interpolates by
    whole minutes; without it the lower tier holds until the next one."""

    tiers: tuple[DurationTier, ...]
    follower_min: int = 5
    follower_bonus_bps: int = 200
    weekly_min_minutes: int = 25
    weekly_bonus_bps: tuple[tuple[int, int], ...] = ((1, 600), (2, 800))  # (LIVEs of weekly_min_minutes+, bonus)
    team_max_bps: int = 200
    league_max_bps: int = 300
    cap_bps: int = 5300
    linear_between: tuple[int, int] | None = None  # (from minutes, to minutes)
    as_of: str = ""
    sources: tuple[str, ...] = ()
    estimate_note: str = ""

    def base(self, minutes: int) -> tuple[int, bool]:
        """The base share for a LIVE of `minutes` whole minutes, and whether it is an estimate."""
        tiers = sorted(self.tiers, key=lambda t: t.min_minutes)
        current = tiers[0]
        following: DurationTier | None = None
        for tier in tiers:
            if minutes >= tier.min_minutes:
                current = tier
            elif following is None:
                following = tier
        if self.linear_between is not None and following is not None:
            low, high = self.linear_between
            if low <= minutes < high and following.min_minutes == high:
                step = (following.share_bps - current.share_bps) * (minutes - low) // (high - low)
                return current.share_bps + step, minutes > low
        return current.share_bps, False

    def weekly_bonus(self, qualifying: int) -> int:
        bonus = 0
        for needed, bps in self.weekly_bonus_bps:
            if qualifying >= needed:
                bonus = max(bonus, bps)
        return bonus

    @property
    def floor_bps(self) -> int:
        """What a gift outside any LIVE is counted at: the lowest base share."""
        return min(t.share_bps for t in self.tiers)


@dataclass(frozen=True)
class LiveInput:
    """One LIVE as the rules see it. `end` None: still live (measured until `now` by the caller)."""

    key: int
    start: datetime
    end: datetime
    new_followers: int | None = None
    breach_bps: int = 0


@dataclass(frozen=True)
class WeekExtras:
    """Weekly bonuses the creator ticks (team size, league), in basis points."""

    team_bps: int = 0
    league_bps: int = 0


@dataclass(frozen=True)
class LiveShare:
    share_bps: int
    reasons: tuple[str, ...] = field(default_factory=tuple)
    overridden: bool = False

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)


def pct(bps: int) -> str:
    return f"{share_percent_text(bps)} %"


def whole_minutes(start: datetime, end: datetime) -> int:
    return max(int((end - start).total_seconds()) // 60, 0)


def week_start(moment: datetime, week_zone: tzinfo) -> date:
    """The Monday (in `week_zone`) of the week `moment` falls in: TikTok credits weekly missions per Monday week."""
    local = moment.astimezone(week_zone).date()
    return local - timedelta(days=local.weekday())


def per_live(rules: LiveRules, live: LiveInput) -> tuple[int, list[str]]:
    """The per-LIVE missions of one LIVE (duration, new followers), before weekly missions."""
    minutes = whole_minutes(live.start, live.end)
    base, estimated = rules.base(minutes)
    reasons = [f"{minutes} min → {pct(base)}" + (" (estimate)" if estimated else "")]
    share = base
    if live.new_followers is not None and live.new_followers >= rules.follower_min:
        share += rules.follower_bonus_bps
        reasons.append(f"{live.new_followers} new followers → +{pct(rules.follower_bonus_bps)}")
    return share, reasons


def week_shares(
    rules: LiveRules, lives: Sequence[LiveInput], week_zone: tzinfo, extras: WeekExtras = WeekExtras()
) -> dict[int, LiveShare]:
    """Each LIVE's share: per-LIVE missions plus the weekly missions of its (Monday) week, capped, minus its
    breach deduction. Lives are grouped into weeks here, so any span of LIVEs may be passed."""
    weeks: dict[date, list[LiveInput]] = {}
    for live in lives:
        weeks.setdefault(week_start(live.start, week_zone), []).append(live)
    out: dict[int, LiveShare] = {}
    for members in weeks.values():
        qualifying = sum(1 for lv in members if whole_minutes(lv.start, lv.end) >= rules.weekly_min_minutes)
        weekly = rules.weekly_bonus(qualifying)
        team = min(extras.team_bps, rules.team_max_bps)
        league = min(extras.league_bps, rules.league_max_bps)
        for live in members:
            share, reasons = per_live(rules, live)
            if weekly:
                plural = "LIVE" if qualifying == 1 else "LIVEs"
                reasons.append(f"week: {qualifying} {plural} of {rules.weekly_min_minutes}+ min → +{pct(weekly)}")
            if team:
                reasons.append(f"team size → +{pct(team)}")
            if league:
                reasons.append(f"league → +{pct(league)}")
            share += weekly + team + league
            if share > rules.cap_bps:
                share = rules.cap_bps
                reasons.append(f"capped at {pct(rules.cap_bps)}")
            if live.breach_bps:
                share = max(share - live.breach_bps, 0)
                reasons.append(f"guideline breach → −{pct(live.breach_bps)}")
            reasons[-1] += f" = {pct(share)}"
            out[live.key] = LiveShare(share, tuple(reasons))
    return out


def lifts(rules: LiveRules, live: LiveInput, others: Sequence[LiveInput], week_zone: tzinfo) -> list[str]:
    """What would lift a LIVE in progress: more minutes to the next tier, more new followers, the weekly LIVE."""
    minutes = whole_minutes(live.start, live.end)
    hints: list[str] = []
    base, _ = rules.base(minutes)
    for tier in sorted(rules.tiers, key=lambda t: t.min_minutes):
        if tier.min_minutes > minutes and tier.share_bps > base:
            hints.append(f"{tier.min_minutes - minutes} more minutes → {pct(tier.share_bps)}")
            break
    followers = live.new_followers or 0
    if followers < rules.follower_min:
        hints.append(f"{rules.follower_min - followers} more new followers → +{pct(rules.follower_bonus_bps)}")
    if minutes < rules.weekly_min_minutes:
        week = week_start(live.start, week_zone)
        done = sum(
            1 for o in others
            if week_start(o.start, week_zone) == week and whole_minutes(o.start, o.end) >= rules.weekly_min_minutes
        )  # fmt: skip
        now_bonus, then_bonus = rules.weekly_bonus(done), rules.weekly_bonus(done + 1)
        if then_bonus > now_bonus:
            hints.append(f"{rules.weekly_min_minutes} min makes this week's bonus +{pct(then_bonus)}")
    return hints


def _percent(raw: Any, where: str) -> int:
    try:
        return check_share_bps(parse_share_percent(str(raw)))
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc}", field="rules") from None


def _minutes(raw: Any, where: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise ValidationError(f"{where}: minutes must be a whole number, 0 or more (got {raw!r})", field="rules")
    return raw


def parse_live_rules(raw: Mapping[str, Any], where: str = "rules") -> LiveRules:
    """Rules from a scheme's `rules` object in reward_schemes.json; a malformed one names the field."""
    if not isinstance(raw, Mapping):
        raise ValidationError(f"{where} is not an object", field="rules")
    tiers_raw = raw.get("duration_tiers")
    if not isinstance(tiers_raw, list) or not tiers_raw:
        raise ValidationError(f"{where} has no 'duration_tiers' list", field="rules")
    tiers = tuple(
        DurationTier(_minutes(t.get("min_minutes"), f"{where} tier"), _percent(t.get("share_percent"), f"{where} tier"))
        for t in tiers_raw
        if isinstance(t, Mapping)
    )
    if len(tiers) != len(tiers_raw) or tiers[0].min_minutes != 0:
        raise ValidationError(f"{where}: tiers must be objects, the first from 0 minutes", field="rules")
    followers = raw.get("new_followers") or {}
    weekly = raw.get("weekly") or []
    linear = raw.get("linear_between")
    between = None
    if isinstance(linear, Mapping):
        between = (_minutes(linear.get("from_minutes"), where), _minutes(linear.get("to_minutes"), where))
    return LiveRules(
        tiers=tiers,
        follower_min=_minutes(followers.get("at_least", 5), f"{where} new_followers"),
        follower_bonus_bps=_percent(followers.get("bonus_percent", "0"), f"{where} new_followers"),
        weekly_min_minutes=_minutes(raw.get("weekly_min_minutes", 25), where),
        weekly_bonus_bps=tuple(
            (_minutes(w.get("lives"), f"{where} weekly"), _percent(w.get("bonus_percent"), f"{where} weekly"))
            for w in weekly
        ),
        team_max_bps=_percent(raw.get("team_bonus_max_percent", "0"), where),
        league_max_bps=_percent(raw.get("league_bonus_max_percent", "0"), where),
        cap_bps=_percent(raw.get("cap_percent", "100"), where),
        linear_between=between,
        as_of=str(raw.get("as_of", "")),
        sources=tuple(str(s) for s in raw.get("sources", [])),
        estimate_note=str(linear.get("note", "")) if isinstance(linear, Mapping) else "",
    )
