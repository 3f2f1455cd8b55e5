"""Edit a stream (title, times, peak viewers, new followers, notes, its share override and breach deduction) and
ask how to delete one.

The dialog only collects; the page saves through the service off the GUI thread and hands a refusal back with
`show_error`, which names the field and keeps the dialog open with what was typed."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone, Signal, Slot
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from companion.domain.economics import parse_share_percent, share_percent_text
from companion.domain.errors import ValidationError
from companion.domain.live_rewards import LiveShare
from companion.domain.models import Stream
from companion.domain.share_history import StreamShareSetting
from companion.services.context import ProfileContext
from companion.services.tracking import MAX_AUDIENCE, StreamEdit
from companion.ui.format import whole
from companion.ui.money_input import locale_numbers

_FORMAT = "yyyy-MM-dd HH:mm"


def _qt_time(moment: datetime, context: ProfileContext) -> QDateTime:
    """The wall-clock time in the profile's zone, carried as plain fields (a UTC-spec QDateTime, so Qt never shifts
    it into the computer's own zone)."""
    wall = context.local(moment)
    return QDateTime(
        QDate(wall.year, wall.month, wall.day), QTime(wall.hour, wall.minute, wall.second), QTimeZone.utc()
    )


def _utc(edit: QDateTimeEdit, context: ProfileContext) -> datetime:
    """The edited wall-clock time, read in the profile's zone (the same one it was shown in), as a UTC instant."""
    day, clock = edit.dateTime().date(), edit.dateTime().time()
    return context.at_local(day.toPython(), clock.hour(), clock.minute(), clock.second())  # type: ignore[arg-type]


class EditStreamDialog(QDialog):
    """Emits `submitted(StreamEdit)` on Save; the caller closes it with `accept()` once saved."""

    submitted = Signal(object)

    def __init__(
        self,
        stream: Stream,
        context: ProfileContext,
        parent: QWidget | None = None,
        setting: StreamShareSetting | None = None,
        share: LiveShare | None = None,
    ) -> None:
        super().__init__(parent)
        self.setting = setting or StreamShareSetting()
        self.stream = stream
        self.context = context
        self.setWindowTitle("Edit stream")
        self.setMinimumWidth(440)
        self.title_edit = QLineEdit(stream.title)
        self.start_edit, self.end_edit = QDateTimeEdit(), QDateTimeEdit()
        for edit in (self.start_edit, self.end_edit):
            # An editor converts what it is given into the computer's zone unless it works in UTC itself: the
            # profile's wall time, carried in UTC fields, then showed 14:05 for 19:05 in New York (issue 13).
            edit.setTimeZone(QTimeZone.utc())
            edit.setDisplayFormat(_FORMAT)
            edit.setCalendarPopup(True)
        self.start_edit.setDateTime(_qt_time(stream.started_at, context))
        self.end_edit.setDateTime(_qt_time(stream.ended_at or stream.started_at, context))
        self._shown = (self.start_edit.dateTime(), self.end_edit.dateTime())  # untouched: keep the exact instants
        self.peak_edit = self._count_edit(stream.peak_viewers)
        self.followers_edit = self._count_edit(stream.new_followers)
        self.notes_edit = QPlainTextEdit(stream.notes)
        self.notes_edit.setPlaceholderText("What happened, collabs, what to try next time…")
        self.notes_edit.setFixedHeight(90)
        self.share_label = QLabel(share.explanation if share is not None else "")
        self.share_label.setObjectName("muted")
        self.share_label.setWordWrap(True)
        override = self.setting.share_bps
        self.share_edit = QLineEdit(share_percent_text(override) if override is not None else "")
        self.share_edit.setPlaceholderText("as the rules say")
        self.share_edit.setToolTip("The share TikTok's screen shows for this LIVE, when it differs from the app's")
        self.share_note_edit = QLineEdit(self.setting.note)
        self.share_note_edit.setPlaceholderText("why, e.g. what TikTok's LIVE rewards screen said")
        self.breach_edit = QLineEdit(share_percent_text(self.setting.breach_bps) if self.setting.breach_bps else "")
        self.breach_edit.setPlaceholderText("0")
        self.error_label = QLabel("")
        self.error_label.setObjectName("error")
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)

        form = QFormLayout()
        form.addRow("Title", self.title_edit)
        form.addRow("Started", self.start_edit)
        if stream.is_live:
            live_note = QLabel("still live: “End stream” ends it")
            live_note.setObjectName("muted")
            form.addRow("Ended", live_note)
            self.end_edit.setVisible(False)
        else:
            form.addRow("Ended", self.end_edit)
        form.addRow("Peak viewers", self.peak_edit)
        form.addRow("New followers", self.followers_edit)
        form.addRow("Notes", self.notes_edit)
        form.addRow("Share earned", self.share_label)
        form.addRow("Override share %", self.share_edit)
        form.addRow("Why", self.share_note_edit)
        form.addRow("Breach deduction %", self.breach_edit)
        self.fields: dict[str, QWidget] = {
            "title": self.title_edit, "started_at": self.start_edit, "ended_at": self.end_edit,
            "peak_viewers": self.peak_edit, "new_followers": self.followers_edit, "notes": self.notes_edit,
            "share_override": self.share_edit, "breach": self.breach_edit,
        }  # fmt: skip
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    @staticmethod
    def _count_edit(value: int | None) -> QLineEdit:
        edit = QLineEdit("" if value is None else str(value))
        edit.setPlaceholderText("not noted")
        edit.setValidator(QIntValidator(0, MAX_AUDIENCE))
        return edit

    def _instant(self, edit: QDateTimeEdit, shown: QDateTime, original: datetime | None) -> datetime:
        return original if original is not None and edit.dateTime() == shown else _utc(edit, self.context)

    def edit(self) -> StreamEdit:
        peak, followers = self.peak_edit.text().strip(), self.followers_edit.text().strip()
        ended = self.stream.ended_at
        return StreamEdit(
            title=self.title_edit.text(),
            started_at=self._instant(self.start_edit, self._shown[0], self.stream.started_at),
            ended_at=None if self.stream.is_live else self._instant(self.end_edit, self._shown[1], ended),
            peak_viewers=int(peak) if peak else None,
            new_followers=int(followers) if followers else None,
            notes=self.notes_edit.toPlainText(),
            share=self.share_setting(),
        )

    def share_setting(self) -> StreamShareSetting:
        """The override (empty: the rules decide) and breach deduction as typed, in the person's number format."""
        values: list[int | None] = []
        for edit, field in ((self.share_edit, "share_override"), (self.breach_edit, "breach")):
            text = edit.text().strip()
            try:
                values.append(parse_share_percent(text, locale_numbers()) if text else None)
            except ValidationError as exc:
                name = "share override" if field == "share_override" else "breach deduction"
                raise ValidationError(f"{name}: {exc}", field=field) from None
        share, breach = values
        return StreamShareSetting(share, breach or 0, self.share_note_edit.text().strip())

    @Slot()
    def submit(self) -> None:
        self.error_label.setVisible(False)
        try:
            change = self.edit()
        except ValidationError as exc:
            self.show_error(exc)
            return
        self.buttons.setEnabled(False)
        self.submitted.emit(change)

    def show_error(self, exc: BaseException) -> None:
        """A refusal from the service: say it, put the cursor on the field, keep what was typed."""
        self.buttons.setEnabled(True)
        self.error_label.setText(str(exc))
        self.error_label.setVisible(True)
        field = self.fields.get(exc.field or "") if isinstance(exc, ValidationError) else None
        if field is not None:
            field.setFocus()


def delete_question(stream: Stream, gifts: int, parent: QWidget | None = None) -> QMessageBox:
    """The delete dialog: delete the gifts too, keep them without a stream, or cancel."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Delete stream")
    box.setText(f"Delete the stream “{stream.title}”?")
    if gifts:
        box.setInformativeText(
            f"It has {whole(gifts)} gift{'s' if gifts != 1 else ''}. Delete them too, or keep them: kept gifts stay "
            "in every total and on the Gifts page, without a stream."
        )
        box.addButton(f"Delete stream and {whole(gifts)} gift{'s' if gifts != 1 else ''}",
                      QMessageBox.ButtonRole.DestructiveRole)  # fmt: skip
        box.addButton("Delete stream, keep gifts", QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setInformativeText("It has no gifts.")
        box.addButton("Delete stream", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    return box


def ask_delete(stream: Stream, gifts: int, parent: QWidget | None = None) -> bool | None:
    """True: delete with its gifts; False: keep the gifts; None: cancelled."""
    box = delete_question(stream, gifts, parent)
    box.exec()
    clicked = box.clickedButton()
    role = box.buttonRole(clicked) if clicked is not None else QMessageBox.ButtonRole.RejectRole
    if role == QMessageBox.ButtonRole.DestructiveRole:
        return True
    if role == QMessageBox.ButtonRole.AcceptRole:
        return False
    return None
