"""The profile's context: everything that says *whose* figures these are and *when* and *how* they read.

One `ProfileContext` per opened profile, built by the composition root with the services and handed to every page,
dialog and command. Nothing else decides the clock, the zone, "today", the share, the display currency or the
locale: pages never read the computer's wall clock or zone, and no module keeps them in globals. (Issue 13: each
page once got these right or wrong on its own.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from companion.domain.currency import DisplayRate
from companion.domain.timeutil import local_midnight_utc, to_local, utc_now

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class ProfileContext:
    """Per-profile state, immutable: a change (rate noted, zone or level changed) builds a new context.

    `zone` is never None here: an empty profile zone is resolved to the computer's zone when the context is
    built (`timeutil.zone("")` / `system_zone()`), so every page reads the same one. `locale` is a POSIX-style
    name (`de_DE`, `en_US`, `C`): the GUI passes QLocale().name(), the command line "C" (dot decimal, no grouping).
    """

    profile_id: int
    zone: tzinfo
    share_bps: int
    display: DisplayRate = field(default_factory=DisplayRate)
    locale: str = "C"
    clock: Clock = utc_now

    def now(self) -> datetime:
        """The current instant (UTC, aware) from the context's clock: a fake one in tests."""
        return self.clock()

    def local(self, moment: datetime) -> datetime:
        """An instant in the profile's zone."""
        return to_local(moment, self.zone)

    def local_now(self) -> datetime:
        return self.local(self.now())

    def today(self) -> date:
        """Today in the profile's zone (not the computer's)."""
        return self.local_now().date()

    def day_start(self, day: date) -> datetime:
        """The UTC instant the local `day` begins in the profile's zone."""
        return local_midnight_utc(day, self.zone)

    def day_range(self, first: date, last: date) -> tuple[datetime, datetime]:
        """[start, end) in UTC for local days `first`..`last`, both inclusive."""
        return self.day_start(first), self.day_start(last + timedelta(days=1))

    def at_local(self, day: date, hours: int, minutes: int, seconds: int = 0) -> datetime:
        """A wall-clock time typed for the profile's zone, as a UTC instant (DST gaps resolve forward)."""
        naive = datetime(day.year, day.month, day.day, hours, minutes, seconds)
        return naive.replace(tzinfo=self.zone).astimezone(UTC)
