"""Names people type (gifts, senders, stream titles): whitespace folded, controls removed, length bounded, empty
refused if needed; and `printable()` for echoing any text back safely in a message."""

from __future__ import annotations

import re

from companion.domain.errors import ValidationError

MAX_GIFT_NAME = 80
MAX_SENDER = 100
MAX_TITLE = 120

#: Characters that are never part of a name: C0 controls (NUL, ESC, BEL, ...) and DEL, C1 controls, and the
#: bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make a name display as something else.
#: An ESC sequence in a sender would otherwise drive the terminal that prints an error about it.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The same, plus the whitespace controls (tab, line breaks): what `printable` escapes.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def strip_controls(value: str) -> str:
    """`value` without control characters and bidi overrides (whitespace controls are kept for folding)."""
    return CONTROLS.sub("", value)


def clean_text(value: str, field: str, max_length: int, required: bool = False) -> str:
    cleaned = " ".join(strip_controls(str(value)).split())
    if required and not cleaned:
        raise ValidationError(f"{field} is empty", field=field)
    if len(cleaned) > max_length:
        raise ValidationError(f"{field} is longer than {max_length} characters", field=field)
    return cleaned


def printable(value: str, limit: int = 40) -> str:
    """`value` cut to `limit` characters with every control or bidi character shown as an escape (`\\x1b`),
    for messages that repeat what a file or a person gave: nothing in it can drive the terminal."""
    cut = value[:limit]
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], cut)
