"""Names people type (gifts, senders, stream titles): whitespace folded, length bounded, empty refused if needed."""

from __future__ import annotations

from companion.domain.errors import ValidationError

MAX_GIFT_NAME = 80
MAX_SENDER = 100
MAX_TITLE = 120


def clean_text(value: str, field: str, max_length: int, required: bool = False) -> str:
    cleaned = " ".join(str(value).split())
    if required and not cleaned:
        raise ValidationError(f"{field} is empty", field=field)
    if len(cleaned) > max_length:
        raise ValidationError(f"{field} is longer than {max_length} characters", field=field)
    return cleaned
