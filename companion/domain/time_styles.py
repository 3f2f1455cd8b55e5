"""Reading the time cell of a gift file in the styles other tools write: ISO 8601 (with or without an offset),
day-first or month-first dates, Unix seconds or milliseconds; a time without an offset is a wall-clock time in
a zone, and one that a DST change skips or repeats is refused rather than guessed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal

from companion.domain.errors import ValidationError
from companion.domain.text import printable
from companion.domain.timeutil import check_accepted

#: The styles by the names the command line takes (`--date-format`), with what each looks like.
STYLES: dict[str, str] = {
    "iso": "ISO 8601 (2026-11-30 19:05:00, offset optional)",
    "dmy": "day first (30/11/2026 19:05)",
    "mdy": "month first (11/30/2026 7:05 PM)",
    "unix": "Unix seconds (1796065500)",
    "unix-ms": "Unix milliseconds (1796065500000)",
}
DEFAULT_STYLE = "iso"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SLASHED = re.compile(
    r"(?P<a>[0-9]{1,2})[/.-](?P<b>[0-9]{1,2})[/.-](?P<year>[0-9]{4})[ T,]+"
    r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.(?P<frac>[0-9]{1,6}))?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?P<offset>Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_SECONDS = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,6})?")
_MILLIS = re.compile(r"[0-9]{1,15}")


def zone_name(tz: tzinfo | None) -> str:
    """The IANA name of `tz` when it has one (ZoneInfo), else what it calls itself."""
    if tz is None:
        return "no zone"
    key = getattr(tz, "key", None)
    return str(key) if key else "the computer's zone"


@dataclass(frozen=True)
class TimeReading:
    """How a file's times are read: the style, and the zone of times that carry no offset (None: such times
    are refused, as the native format always had them)."""

    style: str = DEFAULT_STYLE
    zone: tzinfo | None = None

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValidationError(
                f"unknown date format '{printable(self.style)}' (choose one of {', '.join(STYLES)})",
                field="date_format",
            )

    def describe(self) -> str:
        if self.style.startswith("unix"):
            return f"{STYLES[self.style]}, instants (no zone needed)"
        return f"{STYLES[self.style]}; times without an offset in {zone_name(self.zone)}"

    def fast(self, text: str) -> datetime | None:
        """The UTC instant of a plainly good cell, or None to let `parse` judge it (and name the problem)."""
        if self.style != "iso":
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        if moment.tzinfo is None:
            if self.zone is None:
                return None
            moment = moment.replace(tzinfo=self.zone)
            if moment.utcoffset() != moment.replace(fold=1).utcoffset():
                return None  # a DST gap or fold: `parse` says which
        if not 1 < moment.year < 9999:
            return None
        return moment.astimezone(UTC)

    def parse(self, text: str, field: str = "received_at", bounds: tuple[datetime, datetime] | None = None) -> datetime:
        """The UTC instant of one cell, or a ValidationError saying what is wrong and what to choose instead."""
        raw = text.strip()
        if not raw:
            raise ValidationError(f"is empty; expected a time like {_EXAMPLE[self.style]}", field=field)
        if self.style == "iso":
            moment = self._iso(raw, field)
        elif self.style in ("dmy", "mdy"):
            moment = self._slashed(raw, field)
        else:
            moment = self._unix(raw, field, bounds)
        return check_accepted(moment, field, bounds)

    # ---- the styles ----------------------------------------------------------------------------------------

    def _iso(self, raw: str, field: str) -> datetime:
        shown = printable(raw)
        try:
            moment = datetime.fromisoformat(raw[:-1] + "+00:00" if raw[-1:] in "zZ" else raw)
        except ValueError:
            raise ValidationError(f"'{shown}' is not an ISO 8601 date-time{_hint(raw)}", field=field) from None
        if moment.tzinfo is None:
            return self._wall_clock(moment, shown, field)
        return _to_utc(moment, shown, field)

    def _slashed(self, raw: str, field: str) -> datetime:
        shown = printable(raw)
        found = _SLASHED.fullmatch(raw)
        if found is None:
            raise ValidationError(f"'{shown}' is not a time like {_EXAMPLE[self.style]}{_hint(raw)}", field=field)
        first, second = int(found["a"]), int(found["b"])
        day, month = (first, second) if self.style == "dmy" else (second, first)
        hour = int(found["h"])
        if found["ampm"]:
            if not 1 <= hour <= 12:
                raise ValidationError(f"'{shown}': hour {hour} does not go with AM/PM", field=field)
            hour = hour % 12 + (12 if found["ampm"][0] in "Pp" else 0)
        micro = int((found["frac"] or "0").ljust(6, "0"))
        try:
            moment = datetime(int(found["year"]), month, day, hour, int(found["m"]), int(found["s"] or 0), micro)
        except ValueError as exc:
            other = "mdy" if self.style == "dmy" else "dmy"
            raise ValidationError(
                f"'{shown}' is not a date in the {STYLES[self.style]} format ({exc}); is it {STYLES[other]}?",
                field=field,
            ) from None
        if found["offset"]:
            offset = found["offset"].replace(":", "")
            spelled = "+00:00" if offset == "Z" else f"{offset[:3]}:{offset[3:]}"
            return _to_utc(datetime.fromisoformat(moment.isoformat() + spelled), shown, field)
        return self._wall_clock(moment, shown, field)

    def _unix(self, raw: str, field: str, bounds: tuple[datetime, datetime] | None) -> datetime:
        shown = printable(raw)
        millis = self.style == "unix-ms"
        if not (_MILLIS if millis else _SECONDS).fullmatch(raw):
            raise ValidationError(f"'{shown}' is not {STYLES[self.style]}{_hint(raw)}", field=field)
        try:
            if millis:
                moment = _EPOCH + timedelta(milliseconds=int(raw))
            else:  # Decimal: a fraction of a second is kept exactly, never through a float
                moment = _EPOCH + timedelta(microseconds=int(Decimal(raw) * 1_000_000))
        except OverflowError:
            raise ValidationError(f"'{shown}' is outside the supported range of dates", field=field) from None
        try:
            return check_accepted(moment, field, bounds)
        except ValidationError as exc:
            if not millis and len(raw.partition(".")[0]) == 13:
                raise ValidationError(f"{exc}; these look like milliseconds (choose unix-ms)", field=field) from None
            if millis and len(raw) == 10:
                raise ValidationError(f"{exc}; these look like seconds (choose unix)", field=field) from None
            raise

    def _wall_clock(self, naive: datetime, shown: str, field: str) -> datetime:
        """A time without an offset, read in the zone; refused when the zone's clocks skip it or show it twice."""
        if self.zone is None:
            raise ValidationError(f"'{shown}' has no UTC offset (add e.g. +01:00 or Z)", field=field)
        early, late = naive.replace(tzinfo=self.zone, fold=0), naive.replace(tzinfo=self.zone, fold=1)
        before, after = early.utcoffset(), late.utcoffset()
        if before == after:
            return _to_utc(early, shown, field)
        name = zone_name(self.zone)
        back = _to_utc(early, shown, field).astimezone(self.zone).replace(tzinfo=None)
        if back != naive:  # the zone's clocks jumped over it
            raise ValidationError(
                f"'{shown}' does not exist in {name}: the clocks jumped forward over it (daylight saving time began);"
                " check the time or give it with its UTC offset",
                field=field,
            )
        raise ValidationError(
            f"'{shown}' happened twice in {name}: the clocks went back (daylight saving time ended), so it is"
            f" either {_offset(before)} or {_offset(after)}; give the time with its UTC offset",
            field=field,
        )


_EXAMPLE = {
    "iso": "2026-11-30 19:05:00 or 2026-11-30T19:05:00+09:00",
    "dmy": "30/11/2026 19:05",
    "mdy": "11/30/2026 19:05",
    "unix": "1796065500",
    "unix-ms": "1796065500000",
}


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta(0)).total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _to_utc(moment: datetime, shown: str, field: str) -> datetime:
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationError(f"'{shown}' is outside the supported range of dates", field=field) from None


def _hint(raw: str) -> str:
    """What the cell looks like instead, so the message says which date format to choose."""
    style = detect_style([raw])
    if style is not None and style != "iso":
        return f"; it looks like {STYLES[style]}: choose that date format (--date-format {style})"
    if _SLASHED.fullmatch(raw):
        return "; for dd/mm/yyyy or mm/dd/yyyy choose that date format (--date-format dmy or mdy)"
    return f" (expected e.g. {_EXAMPLE['iso']})"


def detect_style(samples: Iterable[str]) -> str | None:
    """The style the non-empty `samples` (the first cells of a file's time column) plainly share, or None when
    they do not say: whole numbers of 10 digits are Unix seconds and of 13 digits milliseconds (every accepted
    date has that many); slashed dates are day-first or month-first only when some value is over 12."""
    cells = [s.strip() for s in samples if s.strip()]
    if not cells:
        return None
    if all(c.isascii() and c.isdigit() for c in cells):
        lengths = {len(c) for c in cells}
        return {frozenset({10}): "unix", frozenset({13}): "unix-ms"}.get(frozenset(lengths))
    slashed = [_SLASHED.fullmatch(c) for c in cells]
    if all(slashed):
        day_first = any(int(m["a"]) > 12 for m in slashed if m)
        month_first = any(int(m["b"]) > 12 for m in slashed if m)
        if day_first != month_first:
            return "dmy" if day_first else "mdy"
        return None
    if all(_iso_like(c) for c in cells):
        return "iso"
    return None


def _iso_like(cell: str) -> bool:
    try:
        datetime.fromisoformat(cell[:-1] + "+00:00" if cell[-1:] in "zZ" else cell)
    except ValueError:
        return False
    return True
