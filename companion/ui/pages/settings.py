"""Settings: the profile (name, display currency, time zone), backups (make, list, restore, open the folder)
and where payment-method secrets are kept (the keyring)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import available_timezones

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from companion.domain.errors import CompanionError
from companion.domain.models import Profile
from companion.services import Services
from companion.services.backups import BackupInfo
from companion.services.context import ProfileContext
from companion.ui.format import local_time, whole
from companion.ui.pages.base import Page
from companion.ui.tasks import BACKUPS, EVERYTHING, PROFILE, TaskRunner
from companion.ui.widgets.cards import card_frame
from companion.ui.widgets.currency_box import CurrencyBox
from companion.ui.widgets.keyring_status import KeyringStatus
from companion.ui.widgets.scroll_page import scrolling_layout

COMPUTER_ZONE = "The computer's time zone"
REASONS = {"auto": "Daily", "manual": "Made by you", "before-restore": "Before a restore", "damaged": "Damaged copy"}


def reason_text(reason: str) -> str:
    if reason.startswith("before-") and reason not in REASONS:
        return "Before an upgrade"
    return REASONS.get(reason, reason)


class SettingsPage(Page):
    TITLE = "Settings"
    WATCHES = frozenset({BACKUPS})

    def __init__(
        self, services: Services, tasks: TaskRunner, context: ProfileContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, tasks, context, parent)
        self.backups: list[BackupInfo] = []

        title = self.title_label()

        self.name_edit = QLineEdit()
        self.currency_box = CurrencyBox()
        self.zone_box = QComboBox()
        self.zone_box.setEditable(True)
        self.zone_box.addItems([COMPUTER_ZONE, *sorted(available_timezones())])
        self.zone_box.setMinimumContentsLength(24)
        form = QFormLayout()
        for field in (self.name_edit, self.currency_box, self.zone_box):
            field.setMaximumWidth(420)
        form.addRow("Profile name", self.name_edit)
        form.addRow("Show money in", self.currency_box)
        form.addRow("Time zone", self.zone_box)
        self.save_button = QPushButton("Save profile")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save_profile)
        self.new_button = QPushButton("New profile…")
        self.new_button.clicked.connect(self.new_profile)
        self.profile_status = QLabel("")
        self.profile_status.setObjectName("muted")
        self.profile_status.setWordWrap(True)
        profile_buttons = QHBoxLayout()
        profile_buttons.addWidget(self.save_button)
        profile_buttons.addWidget(self.new_button)
        profile_buttons.addStretch(1)
        currency_note = QLabel(
            "Cash is converted from US dollars at the newest exchange rate noted under Payouts → Settings… → Currency."
        )
        currency_note.setWordWrap(True)
        currency_note.setObjectName("muted")

        self.backup_table = QTableWidget(0, 3)
        self.backup_table.setHorizontalHeaderLabels(["Made", "Why", "Size"])
        self.backup_table.verticalHeader().setVisible(False)
        self.backup_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.backup_table.setMinimumHeight(180)
        self.backup_table.setMaximumHeight(300)
        self.backup_table.itemSelectionChanged.connect(self._selection_changed)
        self.create_button = QPushButton("Back up now")
        self.create_button.clicked.connect(self.create_backup)
        self.restore_button = QPushButton("Restore selected…")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton("Restore from file…")
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.folder_button = QPushButton("Open backups folder")
        self.folder_button.clicked.connect(self.open_folder)
        backup_buttons = QHBoxLayout()
        for button in (self.create_button, self.restore_button, self.restore_file_button, self.folder_button):
            backup_buttons.addWidget(button)
        backup_buttons.addStretch(1)
        self.backup_status = QLabel("")
        self.backup_status.setObjectName("muted")
        self.backup_status.setWordWrap(True)
        backup_note = QLabel(
            "A backup is made automatically once a day when the app starts and before every upgrade. The newest "
            "10 are kept, and one a month for a year. A restore checks the backup first and keeps your current "
            "data as a backup."
        )
        backup_note.setObjectName("muted")
        backup_note.setWordWrap(True)

        self.keyring = KeyringStatus(services, tasks)

        layout = scrolling_layout(self)
        layout.addWidget(title)
        layout.addWidget(card_frame("Profile", form, currency_note, profile_buttons, self.profile_status)[0])
        layout.addWidget(card_frame("Backups", backup_note, self.backup_table, backup_buttons, self.backup_status)[0])
        layout.addWidget(card_frame("Payment-method secrets", self.keyring)[0])
        layout.addStretch(1)

    # ---- page protocol ------------------------------------------------------------------------------------

    def on_shown(self) -> None:
        self._stale = False
        self.refresh()  # every time: the keyring may have been unlocked meanwhile

    def refresh(self) -> None:
        profiles, backups, profile_id = self.services.profiles, self.services.backups, self.services.profile_id
        self.tasks.run(lambda: (profiles.get(profile_id), backups.all()), self._show)
        self.keyring.refresh()

    @Slot(object)
    def _show(self, loaded: tuple[Profile, list[BackupInfo]]) -> None:
        profile, backups = loaded
        self.name_edit.setText(profile.name)
        self.currency_box.set_code(profile.currency)
        self.zone_box.setCurrentText(profile.time_zone or COMPUTER_ZONE)
        self._show_backups(backups)

    def _show_backups(self, backups: list[BackupInfo]) -> None:
        self.backups = backups
        self.backup_table.setRowCount(len(backups))
        for row, backup in enumerate(backups):
            size = QTableWidgetItem(f"{whole(max(backup.size // 1024, 1))} KB")
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, item in enumerate(
                (QTableWidgetItem(local_time(backup.made_at, self.context, with_date=True)),
                 QTableWidgetItem(reason_text(backup.reason)), size)
            ):  # fmt: skip
                item.setToolTip(str(backup.path))
                self.backup_table.setItem(row, column, item)
        self.backup_table.resizeColumnsToContents()
        self.backup_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if not backups:
            self.backup_status.setText("No backups yet.")
        self._selection_changed()

    @Slot()
    def _selection_changed(self) -> None:
        row = self.backup_table.currentRow()
        usable = 0 <= row < len(self.backups) and not self.backups[row].is_damaged_copy
        self.restore_button.setEnabled(usable and bool(self.backup_table.selectedItems()))

    # ---- profile ----------------------------------------------------------------------------------------

    def _zone(self) -> str:
        text = self.zone_box.currentText().strip()
        return "" if text == COMPUTER_ZONE else text

    @Slot()
    def save_profile(self) -> None:
        profiles, profile_id = self.services.profiles, self.services.profile_id
        name, currency, zone = self.name_edit.text(), self.currency_box.code(), self._zone()
        self.tasks.write(
            lambda: profiles.update(profile_id, name, currency, zone),
            self._profile_saved,
            (PROFILE,),  # every page is handed the profile's new zone and currency
            self._profile_refused,
        )

    def _profile_saved(self, profile: Profile) -> None:
        self.profile_status.setText(f"Saved. Figures now show in {profile.currency}.")

    def _profile_refused(self, exc: BaseException) -> None:
        if not isinstance(exc, CompanionError):
            self.tasks.report_error(exc)
            return
        field = getattr(exc, "field", None)
        self.profile_status.setText(f"Not saved — {field + ': ' if field else ''}{exc}")

    @Slot()
    def new_profile(self) -> None:
        name, accepted = QInputDialog.getText(self, "New profile", "Name of the creator account:")
        if not accepted or not name.strip():
            return
        profiles = self.services.profiles
        # the window opens the new profile (remembered as current) with new services
        self.tasks.write(lambda: profiles.switch(profiles.create(name).id), None, (EVERYTHING,), self._profile_refused)

    # ---- backups ----------------------------------------------------------------------------------------

    def _after_backup(self, made: BackupInfo) -> None:
        self.backup_status.setText(f"Backed up to {made.path}")
        self.tasks.run(self.services.backups.all, self._show_backups)

    @Slot()
    def create_backup(self) -> None:
        self.backup_status.setText("Backing up…")
        self.tasks.write(self.services.backups.create, self._after_backup, (BACKUPS,), source=self)

    @Slot()
    def restore_selected(self) -> None:
        row = self.backup_table.currentRow()
        if 0 <= row < len(self.backups):
            self.restore(self.backups[row].path)

    @Slot()
    def restore_from_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Restore a backup", str(self.services.backups.backup_dir), "SQLite backups (*.sqlite3);;All files (*)"
        )
        if name:
            self.restore(Path(name))

    def restore(self, path: Path, confirm: bool = True) -> None:
        if confirm:
            answer = QMessageBox.question(
                self, "Restore backup",
                f"Replace all your data with the backup\n{path.name}?\n\nYour current data is kept as a backup first.",
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.backup_status.setText("Checking and restoring…")
        backups = self.services.backups
        self.tasks.write(lambda: backups.restore(path), self._restored, (EVERYTHING,), self._restore_refused)

    def _restored(self, kept: Path | None) -> None:
        self.backup_status.setText(
            "Restored." + (f" Your previous data was kept as {kept.name}." if kept is not None else "")
        )

    def _restore_refused(self, exc: BaseException) -> None:
        if not isinstance(exc, CompanionError):
            self.tasks.report_error(exc)
            return
        self.backup_status.setText(f"Not restored: {exc}")

    @Slot()
    def open_folder(self) -> None:
        folder = self.services.backups.backup_dir
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
