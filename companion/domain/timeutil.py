"""Times: stored in UTC, shown in the profile's zone; a "day" is a local day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from companion.domain.errors import ValidationError
from companion.domain.text import printable


def utc_now() -> datetime:
    return datetime.now(UTC)


def zone(name: str) -> tzinfo | None:
    """The zone for an IANA name; None means the computer's own zone (DST rules included)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"unknown time zone '{name}'", field="time_zone") from None


class _SystemZone(tzinfo):
    """The computer's own zone with its DST rules, as the C library applies them (used only when a profile names
    no zone, resolved once into the profile's context so every page agrees)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._local(dt).utcoffset() or timedelta(0)

    def dst(self, dt: datetime | None) -> timedelta:
        return self._local(dt).dst() or timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return self._local(dt).tzname() or "local"

    def fromutc(self, dt: datetime) -> datetime:
        return dt.replace(tzinfo=UTC).astimezone().replace(tzinfo=self)

    @staticmethod
    def _local(dt: datetime | None) -> datetime:
        # A wall-clock time in this zone: let the C library resolve it (mktime), as naive.astimezone() does.
        naive = (dt or datetime.now()).replace(tzinfo=None)
        return naive.astimezone()

    def __repr__(self) -> str:
        return "SystemZone()"


SYSTEM_ZONE: tzinfo = _SystemZone()


def system_zone() -> tzinfo:
    """The computer's zone as a tzinfo (IANA name from TZ when it is one, else the C library's rules)."""
    import os

    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return SYSTEM_ZONE


def resolved_zone(name: str) -> tzinfo:
    """The profile's zone for its IANA name; an empty name is the computer's zone (never None)."""
    found = zone(name)
    return found if found is not None else system_zone()


def to_local(moment: datetime, tz: tzinfo | None) -> datetime:
    """`moment` in `tz` (None: the computer's zone). A stored instant at the very edge of the calendar (year 1
    or 9999, from before dates were checked) cannot always be shifted: it is given in UTC rather than failing."""
    try:
        return moment.astimezone(tz) if tz is not None else moment.astimezone()
    except (OverflowError, ValueError):
        return moment.astimezone(UTC)


def local_midnight_utc(day: date, tz: tzinfo | None) -> datetime:
    """The UTC instant a local day begins (a naive datetime's astimezone() uses the system's rules)."""
    naive = datetime.combine(day, time.min)
    local = naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    return local.astimezone(UTC)


def local_range_utc(
    first: date | None, last: date | None, tz: tzinfo | None
) -> tuple[datetime | None, datetime | None]:
    """[start, end) in UTC for local dates `first`..`last`, both inclusive; None leaves a side open."""
    if first is not None and last is not None and last < first:
        raise ValidationError(f"the range ends ({last}) before it starts ({first})", field="to")
    start = local_midnight_utc(first, tz) if first is not None else None
    end = local_midnight_utc(last + timedelta(days=1), tz) if last is not None else None
    return start, end


#: The first instant any input may carry: TikTok LIVE gifts began in 2016; earlier is a broken clock or a typo.
FIRST_ACCEPTED = datetime(2016, 1, 1, tzinfo=UTC)
#: How far ahead of now an input may be (a planned stream, a clock set wrong): a fixed, generous window, so
#: every stored time can be shown in any zone and a typo like 9999 is refused at the door.
YEARS_AHEAD = 10


def accepted_range(now: datetime | None = None) -> tuple[datetime, datetime]:
    """[first, last] instants every input (CSV, event log, `gifts add --at`, the GUI) accepts, in UTC."""
    current = now if now is not None else utc_now()
    last = current.astimezone(UTC).replace(microsecond=0) + timedelta(days=366 * YEARS_AHEAD)
    return FIRST_ACCEPTED, last


def check_accepted(moment: datetime, field: str, bounds: tuple[datetime, datetime] | None = None) -> datetime:
    """`moment` if it lies in `accepted_range()` (or `bounds`), else a ValidationError naming the range."""
    first, last = bounds if bounds is not None else accepted_range()
    if not first <= moment <= last:
        raise ValidationError(
            f"{moment.isoformat()} is outside the accepted dates ({first:%Y-%m-%d} to {last:%Y-%m-%d})", field=field
        )
    return moment


def parse_instant(text: str, field: str = "received_at", bounds: tuple[datetime, datetime] | None = None) -> datetime:
    """An ISO 8601 date-time that carries its UTC offset ('Z' allowed), as an aware UTC datetime inside
    `accepted_range()` (or `bounds`, computed once by a caller parsing many)."""
    raw = text.strip()
    shown = printable(raw)
    if not raw:
        raise ValidationError("is empty; expected a date-time like 2026-11-01T20:15:00+01:00", field=field)
    try:
        moment = datetime.fromisoformat(raw[:-1] + "+00:00" if raw[-1:] in "zZ" else raw)
    except ValueError:
        raise ValidationError(
            f"'{shown}' is not an ISO 8601 date-time (expected e.g. 2026-11-01T20:15:00+01:00)", field=field
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationError(f"'{shown}' has no UTC offset (add e.g. +01:00 or Z)", field=field)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        raise ValidationError(f"'{shown}' is outside the supported range of dates", field=field) from None
    return check_accepted(moment, field, bounds)


def parse_local_date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"'{text}' is not a date like 2026-11-01", field=field) from None


def format_duration(span: timedelta) -> str:
    """H:MM:SS for a stream timer."""
    seconds = max(int(span.total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
