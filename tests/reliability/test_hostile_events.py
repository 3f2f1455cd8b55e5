"""Hostile input for the gift event log (`gifts import --format events`, what live capture writes): any text or
bytes, JSON of the wrong shapes and types, cut-off lines. Every input ends in finished gifts or per-line errors
naming the line and field — never a crash — and an import stores every gift or none. The default run tries a
few hundred generated logs; `-m slow` over 10,000 (make test PYTEST_ARGS='-m slow')."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.domain.economics import MAX_COINS, MAX_COUNT
from companion.domain.errors import ImportRejected
from companion.domain.text import CONTROLS
from companion.domain.timeutil import accepted_range
from companion.integrations.events import parse_event_lines, read_event_log
from companion.services import Services
from tests.integrations.eventlog import gift_event, lines
from tests.reliability.hostile import check_all_or_nothing, snapshot

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FIELDS = {
    "line", "file", "msg_id", "create_time", "user.unique_id", "user.nickname", "user", "gift", "gift.id",
    "gift.name", "gift.diamond_count", "gift.type", "repeat_count", "repeat_end", "group_id",
}  # fmt: skip

# ---- generated events: the right keys with values of every type, so each field's checks are reached -------

#: Values each field's checks must refuse or accept without crashing: signs and digits in text, times past the
#: calendar (2.5e14 ms is past year 9999) or outside the accepted dates, 64-bit edges, control characters.
edge_values = st.sampled_from([
    0, 1, -1, MAX_COUNT, MAX_COUNT + 1, MAX_COINS + 1, 2**63, -(2**63), 2**63 - 1, 10**40, "1", "5", "--5", "+5",
    " 5 ", "5-", "-", "", "٣", "1e3", "--1793560500000", 250_000_000_000_000, -250_000_000_000_000,
    1_420_070_400_000, 4_102_444_800_000, 1e300, -0.0, "\x1b[2J", "\x00", "a\u202eb",
])  # fmt: skip
json_scalars = (
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20) | edge_values
)  # fmt: skip
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any] | str:
    """Mostly a real-looking event with a few fields replaced, dropped or given the wrong type."""
    record: dict[str, Any] = gift_event(
        draw(st.integers(1, 99_999)),
        sender=draw(st.sampled_from(["luna", "mike", "ann", ""])),
        gift=draw(st.sampled_from(["Rose", "TikTok", "Finger Heart", "Unknown gift"])),
        coins=draw(st.none() | st.integers(0, 30_000)),
        count=draw(st.integers(1, 200)),
        end=draw(st.none() | st.booleans()),
        group=draw(st.none() | st.integers(0, 5) | st.text(max_size=4)),
        streakable=draw(st.booleans()),
        at_ms=draw(st.none() | st.integers(1_700_000_000_000, 1_800_000_000_000)),
    )
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(
            ["msg_id", "create_time", "user", "user.unique_id", "user.nickname", "gift", "gift.id", "gift.name",
             "gift.diamond_count", "gift.type", "repeat_count", "repeat_end", "group_id"]
        ))  # fmt: skip
        holder: Any = record
        *parents, leaf = path.split(".")
        for parent in parents:
            holder = holder.get(parent) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            if draw(st.booleans()):
                holder.pop(leaf, None)
            else:
                holder[leaf] = draw(json_values)
    shape = draw(st.integers(0, 17))
    if shape == 0:
        return json.dumps(record)[: draw(st.integers(0, 40))]  # cut off mid-line (a killed capture)
    if shape == 1:
        return json.dumps(draw(json_values))  # valid JSON, not an event
    if shape == 2:  # JSON Python cannot even hold: an integer past 4,300 digits, or nesting past the stack
        field = draw(st.sampled_from(["repeat_count", "create_time", "msg_id"]))
        deep = draw(st.booleans())
        depth = draw(st.sampled_from([100_000, 990, 985]))  # past the stack, or just under it
        value = "[" * depth + "]" * depth if deep else "7" * draw(st.integers(4301, 6000))
        return json.dumps(record)[:-1] + f', "{field}": {value}}}'
    return record


def _document(draw_lines: list[dict[str, Any] | str], ending: str) -> str:
    return lines(*draw_lines).replace("\n", ending)


event_logs = st.builds(_document, st.lists(events(), max_size=15), st.sampled_from(["\n", "\r\n"]))


def _check_parse(text: str) -> None:
    gifts, errors = parse_event_lines(text.splitlines())
    total = len(text.splitlines())
    first, last = accepted_range()
    for error in errors:
        assert 1 <= error.line <= max(total, 1) and error.field in FIELDS and error.message, error
        assert not UNPRINTABLE.search(error.message), error  # nothing raw reaches the terminal
    for gift in gifts:
        assert 1 <= gift.count <= MAX_COUNT
        assert gift.coins_each is None or 0 <= gift.coins_each <= MAX_COINS
        assert gift.at.utcoffset() is not None and gift.key
        assert first <= gift.at <= last
        assert not CONTROLS.search(gift.sender + gift.gift_name)


@FAST
@given(st.text())
def test_event_parser_survives_any_text(text: str) -> None:
    _check_parse(text)


@FAST
@given(event_logs)
def test_event_parser_gives_gifts_or_per_line_errors(text: str) -> None:
    _check_parse(text)


def _check_read(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        read_event_log(path)
    except ImportRejected as exc:
        assert exc.errors and all(e.field in FIELDS for e in exc.errors)


byte_logs = st.tuples(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe"]), st.binary(max_size=300)).map(
    lambda parts: parts[0] + parts[1]
)


@FAST
@given(byte_logs)
def test_event_reader_survives_any_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    _check_read(tmp_path_factory.mktemp("bytes") / "events.jsonl", data)


# ---- the import as a whole: all gifts or none -------------------------------------------------------------


def _check_import(services: Services, path: Path, text: str) -> None:
    check_all_or_nothing(services, path, text, services.gifts.import_events)


@FAST
@given(event_logs)
def test_generated_event_imports_store_all_gifts_or_none(
    shared: Services, tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    _check_import(shared, tmp_path_factory.mktemp("ev") / "events.jsonl", text)


def test_a_log_cut_off_mid_line_names_that_line_and_imports_nothing(services: Services, tmp_path: Path) -> None:
    """Live capture killed while writing: the last line is half an object."""
    whole = lines(gift_event(7301, count=3, end=True), gift_event(7302, sender="mike", count=2, end=True))
    path = tmp_path / "events.jsonl"
    path.write_text(whole + json.dumps(gift_event(7303))[:25], encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        services.gifts.import_events(path)
    assert [(e.line, e.field) for e in refused.value.errors] == [(3, "line")]
    assert snapshot(services).gifts == 0


@pytest.mark.slow
@SLOW
@given(st.text())
def test_event_parser_survives_any_text_slow(text: str) -> None:
    _check_parse(text)


@pytest.mark.slow
@SLOW
@given(event_logs)
def test_event_parser_gives_gifts_or_per_line_errors_slow(text: str) -> None:
    _check_parse(text)


@pytest.mark.slow
@SLOW
@given(byte_logs)
def test_event_reader_survives_any_bytes_slow(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    _check_read(tmp_path_factory.mktemp("bytes") / "events.jsonl", data)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event_logs)
def test_generated_event_imports_store_all_gifts_or_none_slow(
    shared: Services, tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    _check_import(shared, tmp_path_factory.mktemp("ev") / "events.jsonl", text)
