"""How an import reads its file's times: the date format (detected from the file, or chosen) and the zone of
times written without a UTC offset (the profile's, changeable), with the file's first time as it will be read."""

from __future__ import annotations

from datetime import tzinfo
from zoneinfo import available_timezones

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QWidget

from companion.domain.errors import ValidationError
from companion.domain.time_styles import DEFAULT_STYLE, STYLES, TimeReading, detect_style, zone_name
from companion.domain.timeutil import zone
from companion.services.context import ProfileContext
from companion.services.import_preview import time_samples
from companion.ui.format import local_time

#: The zone item of a profile that follows the computer's zone (its zone has no IANA name to list).
_PROFILE_ZONE = "The profile's zone (the computer's)"


class TimeReadingBox(QGroupBox):
    """Emits `changed` when the person picks another format or zone (not when the file's samples change)."""

    changed = Signal()

    def __init__(self, context: ProfileContext, parent: QWidget | None = None) -> None:
        super().__init__("Times — how the file writes them", parent)
        self.context = context
        self._samples: list[str] = []
        self.style_combo = QComboBox()
        self.style_combo.addItem("", None)  # "Detect …": its text says what was detected
        for key, text in STYLES.items():
            self.style_combo.addItem(text, key)
        self.zone_combo = QComboBox()
        self.zone_combo.setEditable(True)  # type the first letters of a city
        profile_zone = zone_name(context.zone) if getattr(context.zone, "key", None) else _PROFILE_ZONE
        names = sorted(available_timezones() - {profile_zone})
        self.zone_combo.addItems([profile_zone, *names])
        self.zone_combo.setMinimumContentsLength(24)
        self.read_as = QLabel("")
        self.read_as.setObjectName("muted")
        self.read_as.setWordWrap(True)
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(12)
        grid.addWidget(QLabel("Date format"), 0, 0)
        grid.addWidget(self.style_combo, 0, 1)
        grid.addWidget(QLabel("Times without a UTC offset are in"), 0, 2)
        grid.addWidget(self.zone_combo, 0, 3)
        grid.addWidget(self.read_as, 1, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.style_combo.currentIndexChanged.connect(self._chosen)
        self.zone_combo.currentTextChanged.connect(self._chosen)

    def set_preview(self, header: list[str], rows: list[list[str]], mapping: dict[str, str] | None) -> None:
        """The preview's rows and the columns chosen: the time cells decide the detected format and the example."""
        self._samples = [cell for cell in time_samples(header, rows, mapping) if cell.strip()]
        detected = self.detected_style()
        found = f"{STYLES[detected]}" if detected else f"not clear, so {STYLES[DEFAULT_STYLE]}"
        self.style_combo.setItemText(0, f"Detect from the file: {found}")
        self._show_example()

    def detected_style(self) -> str | None:
        return detect_style(self._samples)

    def chosen_zone(self) -> tzinfo | None:
        """The zone picked, or None when the typed name is no zone."""
        text = self.zone_combo.currentText().strip()
        if text == _PROFILE_ZONE:
            return self.context.zone
        try:
            return zone(text) if text else None
        except ValidationError:
            return None

    def reading(self) -> TimeReading | None:
        """How to read the file's times, or None while the zone typed is not one."""
        found = self.chosen_zone()
        if found is None:
            return None
        return TimeReading(self.style_combo.currentData() or self.detected_style() or DEFAULT_STYLE, found)

    @Slot()
    def _chosen(self) -> None:
        self._show_example()
        self.changed.emit()

    def _show_example(self) -> None:
        reading = self.reading()
        if reading is None:
            self.read_as.setText(f"'{self.zone_combo.currentText().strip()}' is not a time zone (e.g. Europe/Berlin)")
        elif not self._samples:
            self.read_as.setText("")
        else:
            cell = self._samples[0]
            try:
                at = reading.parse(cell)
            except ValidationError as exc:
                self.read_as.setText(f"The first time, {exc}")
                return
            self.read_as.setText(
                f"The first time, '{cell.strip()}', is read as {local_time(at, self.context, True)} in the "
                f"profile's zone ({zone_name(self.context.zone)})"
            )
