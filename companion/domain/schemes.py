"""Reward schemes: a named list of levels, each paying a share (basis points) of gift value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from companion.domain.economics import check_share_bps, parse_share_percent
from companion.domain.errors import ValidationError
from companion.domain.text import clean_text

MAX_LEVEL_NAME = 60
MAX_LEVELS = 50
CUSTOM_SCHEME_KEY = "custom"


@dataclass(frozen=True)
class Level:
    """One level of a scheme; `share_bps` is the creator's share of gift value (5,000 = 50 %)."""

    name: str
    share_bps: int
    note: str = ""


@dataclass(frozen=True)
class Scheme:
    """Levels are ordered lowest share first. `editable` schemes are the user's own ("Agency / custom")."""

    key: str
    name: str
    levels: tuple[Level, ...]
    note: str = ""
    editable: bool = False

    def level(self, name: str) -> Level:
        """The level called `name` (case and spacing ignored); unknown names are refused with the known ones."""
        return find_level(self.levels, name)


def _level_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def find_level(levels: Sequence[Level], name: str) -> Level:
    wanted = _level_key(name)
    for level in levels:
        if _level_key(level.name) == wanted:
            return level
    known = ", ".join(f"'{lv.name}'" for lv in levels) or "none"
    raise ValidationError(f"unknown level '{name.strip()}' (known levels: {known})", field="level")


def check_levels(levels: Iterable[Level]) -> tuple[Level, ...]:
    """Validate a list of levels: at least one, names unique and non-empty, shares 0–100 %; sorted by share."""
    checked: list[Level] = []
    seen: set[str] = set()
    for number, level in enumerate(levels, start=1):
        name = clean_text(level.name, f"level {number} name", MAX_LEVEL_NAME)
        if not name:
            raise ValidationError(f"level {number} has no name", field="level")
        if _level_key(name) in seen:
            raise ValidationError(f"level name '{name}' is used twice", field="level")
        seen.add(_level_key(name))
        try:
            share = check_share_bps(level.share_bps)
        except ValidationError as exc:
            raise ValidationError(f"level '{name}': {exc}", field="share") from None
        checked.append(Level(name, share, clean_text(level.note, f"level {number} note", 200)))
    if not checked:
        raise ValidationError("a scheme needs at least one level", field="level")
    if len(checked) > MAX_LEVELS:
        raise ValidationError(f"a scheme has at most {MAX_LEVELS} levels", field="level")
    return tuple(sorted(checked, key=lambda lv: lv.share_bps))


def parse_schemes(document: Mapping[str, Any]) -> list[Scheme]:
    """Schemes from the bundled `reward_schemes.json` document; a malformed entry names where it is."""
    raw = document.get("schemes")
    if not isinstance(raw, list) or not raw:
        raise ValidationError("reward schemes file has no 'schemes' list", field="schemes")
    schemes: list[Scheme] = []
    keys: set[str] = set()
    for index, entry in enumerate(raw, start=1):
        where = f"scheme {index}"
        if not isinstance(entry, dict):
            raise ValidationError(f"{where} is not an object", field="schemes")
        key, name = str(entry.get("key", "")).strip(), str(entry.get("name", "")).strip()
        if not key or not name:
            raise ValidationError(f"{where} needs a 'key' and a 'name'", field="schemes")
        if key in keys:
            raise ValidationError(f"{where}: key '{key}' is used twice", field="schemes")
        keys.add(key)
        levels_raw = entry.get("levels")
        if not isinstance(levels_raw, list):
            raise ValidationError(f"{where} ('{name}') has no 'levels' list", field="levels")
        levels = []
        for lv in levels_raw:
            if not isinstance(lv, dict):
                raise ValidationError(f"{where} ('{name}'): a level is not an object", field="levels")
            try:
                share = parse_share_percent(str(lv.get("share_percent", "")))
            except ValidationError as exc:
                raise ValidationError(f"{where} ('{name}'), level '{lv.get('name')}': {exc}", field="share") from None
            levels.append(Level(str(lv.get("name", "")), share, str(lv.get("note", ""))))
        try:
            checked = check_levels(levels)
        except ValidationError as exc:
            raise ValidationError(f"{where} ('{name}'): {exc}", field=exc.field) from None
        schemes.append(Scheme(key, name, checked, str(entry.get("note", "")), bool(entry.get("editable", False))))
    return schemes
