"""The columns of a gift CSV: our field names, the names other tools give them, and the mapping between."""

from __future__ import annotations

from collections.abc import Sequence

from companion.domain.errors import ValidationError
from companion.domain.text import printable

COLUMNS = ("received_at", "sender", "gift", "coins_each", "count", "stream")

#: Other names a column goes by in exports and spreadsheets (compared case- and space-insensitively).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "received_at": ("time", "timestamp", "date", "datetime", "date time", "received", "sent_at", "when"),
    "sender": ("user", "username", "user name", "from", "viewer", "gifter", "unique_id", "nickname", "name"),
    "gift": ("gift name", "gift_name", "item", "gift type"),
    "coins_each": ("coins", "price", "coin price", "coins per gift", "diamond_count", "value"),
    "count": ("quantity", "qty", "amount", "repeat_count", "number", "times"),
    "stream": ("stream title", "title", "live", "live title", "session"),
}
#: Columns a mapping must fill; the others may be left out (empty price: the catalog's; no stream).
REQUIRED = ("received_at", "sender", "gift", "count")


def _norm(name: str) -> str:
    return " ".join(name.replace("_", " ").split()).casefold()


def guess_mapping(header: Sequence[str]) -> dict[str, str]:
    """Our column → the file's column, for the columns whose names (or usual synonyms) match."""
    by_norm: dict[str, str] = {}
    for name in header:
        by_norm.setdefault(_norm(name), name)
    mapping: dict[str, str] = {}
    for column in COLUMNS:
        for candidate in (column, *SYNONYMS[column]):
            found = by_norm.get(_norm(candidate))
            if found is not None and found not in mapping.values():
                mapping[column] = found
                break
    return mapping


def parse_column_map(text: str) -> dict[str, str]:
    """`"Date=received_at,User=sender"` (the file's column = our field, as `--map` takes it) as our field →
    the file's column; a ValidationError naming an unknown field, a pair without `=`, or a field given twice."""
    mapping: dict[str, str] = {}
    for pair in text.split(","):
        if not pair.strip():
            continue
        source, equals, target = pair.partition("=")
        source, field = source.strip(), target.strip().lower()
        if not equals or not source or not field:
            raise ValidationError(f"'{printable(pair.strip())}' is not FILE_COLUMN=field", field="map")
        if field not in COLUMNS:
            raise ValidationError(
                f"unknown field '{printable(target.strip())}' (for column '{printable(source)}');"
                f" the fields are {', '.join(COLUMNS)}",
                field="map",
            )
        if field in mapping:
            raise ValidationError(f"{field} is given twice ('{mapping[field]}' and '{printable(source)}')", "map")
        mapping[field] = source
    if not mapping:
        raise ValidationError('is empty; give pairs like "Date=received_at,User=sender"', field="map")
    return mapping


def with_own_names(header: Sequence[str], mapping: dict[str, str]) -> dict[str, str]:
    """`mapping` plus the file's columns that already carry our names (so `--map` names only the others)."""
    taken = {source.strip().lower() for source in mapping.values()}
    own = {h.strip().lower(): h for h in header}
    extra = {c: own[c] for c in COLUMNS if c not in mapping and c in own and c not in taken}
    return {**extra, **mapping}
