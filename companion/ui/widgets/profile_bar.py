"""The toolbar's profile switcher: every figure in the app belongs to the profile chosen here."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QToolBar, QWidget

from companion.domain.models import Profile
from companion.services import Services
from companion.ui.tasks import TaskRunner


class ProfileBar(QToolBar):
    switch_requested = Signal(int)  # a profile id

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__("Profile", parent)
        self.setObjectName("profileBar")
        self.setMovable(False)
        self.tasks = tasks
        self.profiles: list[Profile] = []
        self.current_id: int | None = None
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(spacer)
        self.addWidget(QLabel("Profile "))
        self.combo = QComboBox()
        self.combo.setObjectName("profileCombo")
        self.combo.setMinimumContentsLength(18)
        self.combo.setToolTip("The creator account every figure belongs to; add one in Settings")
        self.combo.activated.connect(self._activated)
        self.addWidget(self.combo)

    def load(self, services: Services) -> None:
        self.current_id = services.profile_id
        self.tasks.run(services.profiles.list, self.show_profiles)

    @Slot(object)
    def show_profiles(self, profiles: list[Profile]) -> None:
        self.profiles = profiles
        self.combo.blockSignals(True)
        self.combo.clear()
        for profile in profiles:
            self.combo.addItem(profile.name, profile.id)
            if profile.id == self.current_id:
                self.combo.setCurrentIndex(self.combo.count() - 1)
        self.combo.blockSignals(False)

    def current_profile(self) -> Profile | None:
        return next((p for p in self.profiles if p.id == self.current_id), None)

    @Slot(int)
    def _activated(self, index: int) -> None:
        profile_id = self.combo.itemData(index)
        if profile_id is not None and profile_id != self.current_id:
            self.switch_requested.emit(int(profile_id))
