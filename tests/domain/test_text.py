"""Names people type: whitespace folded, control characters and bidi overrides removed; echoes escaped."""

from __future__ import annotations

import pytest

from companion.domain.text import clean_text, printable


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("lu\x00na", "luna"),
        ("\x1b]0;title\x07\x1b[2Jx", "]0;title[2Jx"),
        ("a\u202eb\u202a\u202c\u2066c\u2069", "abc"),
        ("c1\x85\x9bcontrols", "c1controls"),
        ("  tabs\tand\nlines  ", "tabs and lines"),
        ("Luna ✨ née", "Luna ✨ née"),
    ],
)
def test_clean_text_removes_controls_and_bidi_overrides(raw: str, clean: str) -> None:
    assert clean_text(raw, "sender", 100) == clean


def test_printable_escapes_what_could_drive_a_terminal() -> None:
    shown = printable("\x1b]0;pwned\x07\x1b[2J\u202e done", 100)
    assert shown == "\\x1b]0;pwned\\x07\\x1b[2J\\u202e done"
    assert printable("x" * 100) == "x" * 40
