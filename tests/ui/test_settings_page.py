"""Settings: profile name, currency and time zone (bad values refused inline), backups made and restored from the
page, and the keyring status shown."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.main_window import MainWindow
from companion.ui.pages.settings import SettingsPage
from companion.ui.widgets.keyring_status import KeyringStatus
from tests.ui.conftest import wait_idle


def _open(qtbot: QtBot, window: MainWindow) -> SettingsPage:
    page = window.show_page("settings")
    wait_idle(qtbot, window)
    assert isinstance(page, SettingsPage)
    return page


def test_settings_is_the_last_page(window: MainWindow) -> None:
    assert window.nav.item(window.nav.count() - 1).text() == "Settings"


def test_profile_settings_saved_or_refused(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    page = _open(qtbot, window)
    assert page.name_edit.text() == "My channel"
    page.zone_box.setCurrentText("Mars/Olympus")
    page.save_button.click()
    wait_idle(qtbot, window)
    assert "time_zone" in page.profile_status.text() and "unknown time zone" in page.profile_status.text()
    assert gui_services.profiles.get(gui_services.profile_id).time_zone == ""

    page.name_edit.setText("Luna Live")
    page.currency_box.set_code("EUR")
    page.zone_box.setCurrentText("Europe/Berlin")
    page.save_button.click()
    wait_idle(qtbot, window)
    saved = gui_services.profiles.get(gui_services.profile_id)
    assert (saved.name, saved.currency, saved.time_zone) == ("Luna Live", "EUR", "Europe/Berlin")
    assert window.profile_bar.combo.currentText() == "Luna Live"


def test_backup_and_restore_from_the_page(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    gui_services.gifts.log("Rose", 5, "luna")
    page = _open(qtbot, window)
    page.create_button.click()
    wait_idle(qtbot, window)
    assert page.backup_table.rowCount() == 1 and page.backup_table.item(0, 1).text() == "Made by you"
    backup = page.backups[0].path
    gui_services.gifts.log("Rose", 100, "mike")

    page.restore(backup, confirm=False)
    wait_idle(qtbot, window)
    wait_idle(qtbot, window)  # the window rebuilds its services and pages after the restore
    assert window.services is not gui_services
    assert window.services.reports.summary().totals.diamonds == 5
    page = _open(qtbot, window)
    reasons = sorted(page.backup_table.item(r, 1).text() for r in range(page.backup_table.rowCount()))
    assert reasons == ["Before a restore", "Made by you"]


def test_keyring_status_is_shown(qtbot: QtBot, window: MainWindow) -> None:
    page = _open(qtbot, window)
    status = page.findChild(KeyringStatus)
    assert status is not None and status.health is not None
    assert status.title.text() != "Checking the keyring…"
