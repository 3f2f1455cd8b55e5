"""Payment methods page: the list with masked hints; reveal after a confirmation (hidden again after a minute),
copy marked concealed (cleared after 30 s), leftovers in the keyring reported, optional lock when idle."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.domain.payment_methods import FIELDS, MASK, PaymentMethod
from companion.services import Services
from companion.services.context import ProfileContext
from companion.services.methods import KeyringHealth, Orphans
from companion.ui.clipboard import CLEAR_AFTER_MS, ConcealedClipboard
from companion.ui.dialogs.method_dialog import MethodDialog
from companion.ui.models.base import RecordTableModel
from companion.ui.pages.base import Page
from companion.ui.tasks import METHODS, TaskRunner
from companion.ui.widgets.cards import empty_state
from companion.ui.widgets.keyring_status import KeyringStatus
from companion.ui.widgets.tables import record_table

REVEAL_MS = 60_000
LOST = "secrets missing from the keyring"
LOCK_CHOICES = (0, 1, 5, 15, 30)
_IDLE_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}


class MethodTableModel(RecordTableModel[PaymentMethod]):
    HEADERS = ("Label", "Kind", "Hint")

    def display(self, record: PaymentMethod, column: int) -> str:
        return (record.label, record.kind_title, record.hint)[column]


def ask(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def field_title(method: PaymentMethod, name: str) -> str:
    spec = next((s for s in FIELDS.get(method.kind, ()) if s.name == name), None)
    return spec.title if spec else name


class MethodsPage(Page):
    """Secrets are fetched only on reveal or copy, and dropped from the widgets when hidden, locked or closed."""

    TITLE = "Payment methods"
    WATCHES = frozenset({METHODS})

    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        context: ProfileContext,
        parent: QWidget | None = None,
        clipboard_ms: int = CLEAR_AFTER_MS,
        reveal_ms: int = REVEAL_MS,
        minute_ms: int = 60_000,
    ) -> None:
        super().__init__(services, tasks, context, parent)
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask(self, title, text)
        self.clipboard = ConcealedClipboard(clipboard_ms, self)
        self.minute_ms = minute_ms
        self.methods: list[PaymentMethod] = []
        self.selected: PaymentMethod | None = None
        self.revealed = False
        self.locked = False
        self._checked_orphans = False
        self.orphans: Orphans | None = None

        title = self.title_label()
        self.add_button = QPushButton("Add method…")
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add_method)
        self.lock_box = QComboBox()
        for minutes in LOCK_CHOICES:
            self.lock_box.addItem("Never lock" if not minutes else f"Lock after {minutes} idle min", minutes)
        self.lock_box.setToolTip("Hide this page after some minutes without keyboard or mouse use")
        self.lock_box.activated.connect(self._lock_choice_changed)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        lock_label = QLabel("&Idle lock")
        lock_label.setBuddy(self.lock_box)
        header.addWidget(lock_label)
        header.addWidget(self.lock_box)
        header.addWidget(self.add_button)

        self.keyring_status = KeyringStatus(services, tasks)
        self.keyring_status.setObjectName("card")
        self.keyring_status.checked.connect(self._keyring_checked)
        self.orphan_banner = QFrame()
        self.orphan_banner.setObjectName("card")
        self.orphan_label = QLabel("")
        self.orphan_label.setWordWrap(True)
        self.clean_button = QPushButton("Clean up…")
        self.clean_button.clicked.connect(self.clean_orphans)
        banner = QHBoxLayout(self.orphan_banner)
        banner.addWidget(self.orphan_label, 1)
        banner.addWidget(self.clean_button)
        self.orphan_banner.setVisible(False)

        self.model = MethodTableModel(self)
        self.table = record_table(self.model)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _: self._select(current.row()))
        self.table.doubleClicked.connect(lambda _: self.edit_method())

        self.detail = self._build_detail()
        content = QWidget()
        split = QHBoxLayout(content)
        split.setContentsMargins(0, 0, 0, 0)
        split.addWidget(self.table, 1)
        split.addWidget(self.detail, 1)
        self.empty = empty_state(
            "No payment methods yet.\n\nAdd the PayPal, bank or Payoneer account your payouts go to. Its details "
            "are kept in your system keyring — never in the app's files, backups or logs.",
            max_width=540,
        )
        empty_box = QWidget()
        QVBoxLayout(empty_box).addWidget(self.empty, 0, Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setObjectName("primary")
        self.unlock_button.clicked.connect(self.unlock)
        locked_box = QWidget()
        locked_layout = QVBoxLayout(locked_box)
        locked_label = QLabel("Payment methods are hidden because the app was idle.")
        locked_label.setObjectName("emptyState")
        locked_layout.addStretch(1)
        locked_layout.addWidget(locked_label, 0, Qt.AlignmentFlag.AlignCenter)
        locked_layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignCenter)
        locked_layout.addStretch(1)
        self.stack = QStackedWidget()
        for widget in (content, empty_box, locked_box):
            self.stack.addWidget(widget)
        self.stack.setCurrentIndex(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(self.keyring_status)
        layout.addWidget(self.orphan_banner)
        layout.addWidget(self.stack, 1)

        self.hide_timer = QTimer(self)
        self.hide_timer.setSingleShot(True)
        self.hide_timer.setInterval(reveal_ms)
        self.hide_timer.timeout.connect(self.hide_secrets)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.lock)

    def _build_detail(self) -> QFrame:
        box = QFrame()
        box.setObjectName("card")
        box.setMinimumWidth(400)
        self.detail_title = QLabel("")
        self.detail_title.setObjectName("sectionTitle")
        self.detail_sub = QLabel("")
        self.detail_sub.setObjectName("muted")
        self.fields_grid = QGridLayout()
        self.fields_grid.setColumnStretch(1, 1)
        self.value_labels: dict[str, QLabel] = {}
        self.copy_buttons: dict[str, QPushButton] = {}
        self.reveal_button = QPushButton("Reveal…")
        self.reveal_button.clicked.connect(self.toggle_reveal)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit_method)
        self.remove_button = QPushButton("Remove…")
        self.remove_button.clicked.connect(self.remove_method)
        buttons = QHBoxLayout()
        for button in (self.reveal_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.note = QLabel("")
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(self.detail_title)
        layout.addWidget(self.detail_sub)
        layout.addSpacing(8)
        layout.addLayout(self.fields_grid)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addStretch(1)
        return box

    # ---- loading -------------------------------------------------------------------------------------------

    def on_shown(self) -> None:
        if self.locked:
            return
        self.refresh()
        self.keyring_status.refresh()
        self.tasks.run(self.services.methods.lock_minutes, self._set_lock_minutes)

    def mark_stale(self) -> None:
        # Only a methods write gets here (not every gift logged): reload what is on screen (on_shown reloads the
        # list whenever the page comes back into view).
        if self.isVisible() and not self.locked:
            self.refresh()

    def refresh(self) -> None:
        self.tasks.run(self.services.methods.list, self._show_methods)

    def _show_methods(self, methods: list[PaymentMethod]) -> None:
        keep = self.selected.id if self.selected else None
        self.methods = methods
        self.model.set_rows(methods)
        if not self.locked:
            self.stack.setCurrentIndex(0 if methods else 1)
        row = next((i for i, m in enumerate(methods) if m.id == keep), 0 if methods else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._select(row)

    def _select(self, row: int) -> None:
        method = self.methods[row] if 0 <= row < len(self.methods) else None
        if method is not None and self.selected is not None and method.id == self.selected.id and self.value_labels:
            self.selected = method
            return
        self.hide_secrets()
        self.selected = method
        while self.fields_grid.count():
            widget = self.fields_grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # at once; deleteLater waits for the event loop
                widget.deleteLater()
        self.value_labels, self.copy_buttons = {}, {}
        self.detail.setVisible(method is not None)
        if method is None:
            return
        self.detail_title.setText(method.label)
        self.detail_sub.setText(f"{method.kind_title} · {method.hint}")
        for row_number, name in enumerate(method.fields):
            value = QLabel(MASK * 8)
            value.setObjectName("secretValue")
            copy = QPushButton("Copy")
            copy.setToolTip(f"Copy {field_title(method, name)}; the clipboard is cleared after 30 seconds")
            copy.clicked.connect(lambda _=False, n=name: self.copy_field(n))
            self.fields_grid.addWidget(QLabel(field_title(method, name)), row_number, 0)
            self.fields_grid.addWidget(value, row_number, 1)
            self.fields_grid.addWidget(copy, row_number, 2)
            self.value_labels[name], self.copy_buttons[name] = value, copy
        self._mark_lost(method)

    def _lost(self, method: PaymentMethod | None) -> bool:
        """Whether the leftovers check found this method's secrets gone from the keyring."""
        return method is not None and self.orphans is not None and any(m.id == method.id for m in self.orphans.rows)

    def _mark_lost(self, method: PaymentMethod) -> None:
        lost = self._lost(method)
        for label in self.value_labels.values():
            label.setText(LOST if lost else MASK * 8)
        for button in self.copy_buttons.values():
            button.setEnabled(not lost)
        self.reveal_button.setEnabled(not lost)
        if lost:
            self.note.setText(
                "This method's details are gone from the keyring: Edit… to type them again, or remove it."
            )
            return
        self.note.setText(
            f"Revealed details hide again after {self._human(self.hide_timer.interval())}; copied ones are "
            f"cleared from the clipboard after {self._human(self.clipboard.clear_after_ms)}."
        )

    @staticmethod
    def _human(ms: int) -> str:
        seconds = ms // 1000
        if seconds >= 60 and seconds % 60 == 0:
            return f"{seconds // 60} minute{'s' if seconds != 60 else ''}"
        return f"{seconds} seconds" if seconds else f"{ms} ms"

    @Slot(object)
    def _keyring_checked(self, health: KeyringHealth) -> None:
        self.add_button.setToolTip("" if health.secure else health.detail)
        if health.secure and not self._checked_orphans:
            self._checked_orphans = True
            self.tasks.run(self.services.methods.orphans, self._show_orphans, lambda exc: None)

    def _show_orphans(self, found: Orphans) -> None:
        self.orphans = found
        self.orphan_banner.setVisible(bool(found))
        self.orphan_label.setText(f"Found leftovers: {found.describe()}.")
        if self.selected is not None:
            self._mark_lost(self.selected)

    # ---- reveal and copy -----------------------------------------------------------------------------------

    @Slot()
    def toggle_reveal(self) -> None:
        if self.revealed:
            self.hide_secrets()
            return
        method = self.selected
        if method is None or not self.confirm(
            "Reveal payment details",
            f"Show the saved details of “{method.label}” on screen?\n\nMake sure nobody can see your screen. "
            f"They hide again after {self._human(self.hide_timer.interval())}.",
        ):
            return
        method_id = method.id
        self.tasks.run(lambda: self.services.methods.reveal(method_id), lambda found: self._reveal(method_id, found))

    def _reveal(self, method_id: int, found: dict[str, str]) -> None:
        if self.selected is None or self.selected.id != method_id or self.locked:
            return  # the user moved on while the keyring answered
        for name, label in self.value_labels.items():
            label.setText(found.get(name, "(missing from the keyring)"))
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.revealed = True
        self.reveal_button.setText("Hide")
        self.hide_timer.start()

    @Slot()
    def hide_secrets(self) -> None:
        self.hide_timer.stop()
        for label in self.value_labels.values():
            label.setText(LOST if self._lost(self.selected) else MASK * 8)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.revealed = False
        self.reveal_button.setText("Reveal…")

    def copy_field(self, name: str) -> None:
        method = self.selected
        if method is None:
            return
        method_id = method.id
        title = field_title(method, name)
        self.tasks.run(
            lambda: self.services.methods.reveal(method_id).get(name),
            lambda value: self._copied(title, value),
        )

    def _copied(self, title: str, value: str | None) -> None:
        if value is None:
            self.note.setText(f"{title} is missing from the keyring.")
            return
        self.clipboard.copy(value)
        after = self._human(self.clipboard.clear_after_ms)
        self.note.setText(f"Copied {title}. It is cleared from the clipboard in {after}.")

    # ---- add, edit, remove, clean --------------------------------------------------------------------------

    @Slot()
    def add_method(self) -> None:
        self._open_dialog(None)

    @Slot()
    def edit_method(self) -> None:
        if self.selected is not None:
            self._open_dialog(self.selected)

    def _open_dialog(self, method: PaymentMethod | None) -> MethodDialog:
        dialog = MethodDialog(self.services, self.tasks, method, self)
        dialog.saved.connect(self._saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def _saved(self, method: PaymentMethod) -> None:
        self.selected = method
        self.value_labels = {}
        self.refresh()

    @Slot()
    def remove_method(self) -> None:
        method = self.selected
        if method is None or not self.confirm(
            "Remove payment method",
            f"Remove “{method.label}” ({method.hint})?\n\nIts details are deleted from the keyring too. "
            "Payouts made to it keep their amounts.",
        ):
            return
        self.selected = None
        self.tasks.write(lambda: self.services.methods.remove(method.id), lambda _: self.refresh(), (METHODS,),
                         source=self)  # fmt: skip

    @Slot()
    def clean_orphans(self) -> None:
        found = self.orphans
        if not found or not self.confirm("Clean up leftovers", f"Remove these leftovers?\n\n{found.describe()}."):
            return
        clean = self.services.methods.clean_orphans
        self.tasks.write(lambda: clean(found), lambda _: self._cleaned(), (METHODS,), source=self)

    def _cleaned(self) -> None:
        self.orphan_banner.setVisible(False)
        self.orphans = None
        self.refresh()

    # ---- idle lock -----------------------------------------------------------------------------------------

    def _set_lock_minutes(self, minutes: int) -> None:
        index = self.lock_box.findData(minutes)
        self.lock_box.setCurrentIndex(index if index >= 0 else 0)
        self._arm_lock(minutes)

    @Slot(int)
    def _lock_choice_changed(self, index: int) -> None:
        minutes = int(self.lock_box.itemData(index))
        self.tasks.write(lambda: self.services.methods.set_lock_minutes(minutes))
        self._arm_lock(minutes)

    def _arm_lock(self, minutes: int) -> None:
        app = QApplication.instance()
        if minutes and app is not None:
            self.idle_timer.setInterval(minutes * self.minute_ms)
            self.idle_timer.start()
            app.installEventFilter(self)
        else:
            self.idle_timer.stop()
            if app is not None:
                app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _IDLE_EVENTS and self.idle_timer.isActive():
            self.idle_timer.start()  # any use of the app restarts the countdown
        return False

    @Slot()
    def lock(self) -> None:
        self.hide_secrets()
        self.locked = True
        self.stack.setCurrentIndex(2)

    @Slot()
    def unlock(self) -> None:
        self.locked = False
        self.stack.setCurrentIndex(0 if self.methods else 1)
        if self.lock_box.currentData():
            self.idle_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.hide_secrets()  # leaving the page hides what was revealed
        super().hideEvent(event)

    def shutdown(self) -> None:
        self.hide_secrets()
        self.clipboard.clear_if_unchanged()
        self._arm_lock(0)
