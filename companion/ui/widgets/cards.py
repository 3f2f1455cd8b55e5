"""The page building blocks the style sheet knows by name: a "card" frame with an optional section title, a
"muted" note and an "emptyState" note."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def muted(text: str = "") -> QLabel:
    """A wrapped, quieter note."""
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def card_frame(
    title: str | None,
    *rows: QWidget | QHBoxLayout | QFormLayout,
    margins: tuple[int, int, int, int] = (16, 12, 16, 14),
    spacing: int | None = 8,
) -> tuple[QFrame, QVBoxLayout]:
    """A card frame holding `rows` under `title` (none when None); its layout is returned to add more."""
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(*margins)
    if spacing is not None:
        layout.setSpacing(spacing)
    if title is not None:
        layout.addWidget(section_title(title))
    for row in rows:
        if isinstance(row, QWidget):
            layout.addWidget(row)
        else:
            layout.addLayout(row)
    return frame, layout


def empty_state(text: str = "", max_width: int | None = None) -> QLabel:
    """The centred, wrapped note a page or table shows instead of its empty content."""
    label = QLabel(text)
    label.setObjectName("emptyState")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if max_width is not None:
        label.setMaximumWidth(max_width)
    return label
