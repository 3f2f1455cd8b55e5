"""The import dialog reads other tools' layouts (tests/fixtures/imports) with the right instants in two profile
zones, the computer's zone a third: the zone of times without an offset and the date format are shown in the
preview and can be changed there."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.main_window import MainWindow
from tests.services.test_import_layouts import FIXTURES, LAYOUTS, OTHER, WALL_CLOCK, ZONES, expected, pairs, stored
from tests.ui.test_import_dialog import dialog_for, run_import


def in_zone(services: Services, zone: str) -> Services:
    """The services of the same profile after its zone was set to `zone` (a new context, as the window builds)."""
    services.profiles.update(services.profile_id, "My channel", "USD", zone)
    return dataclasses.replace(services, context=services.fresh_context())


def test_a_time_without_offset_is_imported_in_the_profile_zone(
    qtbot: QtBot, window: MainWindow, gui_services: Services, computer_zone: Callable[[str], None]
) -> None:
    """Before issue 15 the dialog refused every row ("has no UTC offset"): drives only what existed then."""
    computer_zone(OTHER["Asia/Tokyo"])
    services = in_zone(gui_services, "Asia/Tokyo")
    dialog = dialog_for(qtbot, window, services, FIXTURES / "no_offset.csv")
    run_import(qtbot, window, dialog)
    assert dialog.status.text() == "Done: imported 3 gifts, 1 stream created."
    assert stored(services) == expected("no_offset.csv", "Asia/Tokyo")


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("name", sorted(LAYOUTS))
@pytest.mark.parametrize("chosen", [True, False], ids=["chosen", "detected"])
def test_each_layout_imports_the_right_instants_through_the_preview(
    qtbot: QtBot,
    window: MainWindow,
    gui_services: Services,
    computer_zone: Callable[[str], None],
    name: str,
    zone: str,
    chosen: bool,
) -> None:
    computer_zone(OTHER[zone])
    services = in_zone(gui_services, zone)
    dialog = dialog_for(qtbot, window, services, FIXTURES / name)
    box = dialog.times_box
    assert box.isVisible() and box.zone_combo.currentText() == zone  # the profile's zone, shown
    mapping, style, detected = LAYOUTS[name]
    for ours, theirs in (pairs(mapping) or {}).items():  # as a person would pick the columns
        dialog.mapping[ours].setCurrentIndex(dialog.mapping[ours].findData(theirs))
    assert box.style_combo.currentIndex() == 0 and box.detected_style() == detected
    if chosen:
        box.style_combo.setCurrentIndex(box.style_combo.findData(style))
    assert "is read as" in box.read_as.text() and zone in box.read_as.text()
    run_import(qtbot, window, dialog)
    assert dialog.status.text().startswith("Done: imported 3 gifts")  # (a stream only where a column names it)
    assert stored(services) == expected(name, zone)


def test_the_zone_and_date_format_can_be_changed_in_the_preview(
    qtbot: QtBot, window: MainWindow, gui_services: Services, computer_zone: Callable[[str], None]
) -> None:
    computer_zone("Europe/Berlin")
    services = in_zone(gui_services, "Asia/Tokyo")
    dialog = dialog_for(qtbot, window, services, FIXTURES / "no_offset.csv")
    box = dialog.times_box
    assert "'2026-11-30 19:05:00', is read as 2026-11-30 19:05 in the profile's zone (Asia/Tokyo)" in box.read_as.text()
    box.zone_combo.setCurrentText("Nowhere/Atlantis")  # typed, not a zone: Import waits
    assert not dialog.import_button.isEnabled() and "time zone" in dialog.status.text()
    assert "not a time zone" in box.read_as.text()
    box.style_combo.setCurrentIndex(box.style_combo.findData("dmy"))  # the wrong format: said before importing
    box.zone_combo.setCurrentText("America/New_York")
    assert dialog.import_button.isEnabled()
    assert "is not a time like 30/11/2026 19:05" in box.read_as.text()
    box.style_combo.setCurrentIndex(0)  # back to detection: ISO
    # shown in the profile's zone: 19:05 in New York is 09:05 the next day in Tokyo
    assert "is read as 2026-12-01 09:05 in the profile's zone (Asia/Tokyo)" in box.read_as.text()
    run_import(qtbot, window, dialog)
    assert stored(services) == expected("no_offset.csv", "America/New_York")
    assert stored(services)["amy"][0] == WALL_CLOCK["America/New_York"]["amy"]


def test_an_event_log_has_no_time_choices(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    from tests.services.test_import_events import RECORDED

    dialog = dialog_for(qtbot, window, gui_services, RECORDED)
    assert not dialog.times_box.isVisible() and dialog.import_button.isEnabled()
