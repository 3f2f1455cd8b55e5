"""The goals of the Payouts page: each with a progress bar, what it still takes and where it will probably land."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from companion.domain.money import from_minor
from companion.services.payouts import GoalProgress
from companion.ui.format import money


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


class GoalList(QWidget):
    """`set_goals(progress)` rebuilds the list; `remove_requested(goal_id)` when a goal's Remove is clicked."""

    remove_requested = Signal(int)
    EMPTY = "No goals yet. A goal shows what it takes: diamonds a day, streams."

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(10)

    def set_goals(self, goals: list[GoalProgress]) -> None:
        while self.box.count():
            item = self.box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if not goals:
            self.box.addWidget(_muted(self.EMPTY))
        for progress in goals:
            self.box.addWidget(self._goal(progress))

    def _goal(self, progress: GoalProgress) -> QWidget:
        goal = progress.goal
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        target = money(from_minor(goal.target_minor, goal.currency), goal.currency)
        top = QHBoxLayout()
        name = QLabel(f"<b>{escape(goal.title or 'Goal')}</b>: {target} by {goal.due:%d %b %Y}")
        remove = QPushButton("Remove")
        remove.setFlat(True)
        remove.setToolTip("Delete this goal")
        remove.clicked.connect(lambda: self.remove_requested.emit(goal.id))
        top.addWidget(name, 1)
        top.addWidget(remove)
        bar = QProgressBar()
        bar.setRange(0, 1000)
        bar.setValue(int(progress.fraction * 1000))
        bar.setFormat(f"{money(progress.earned_shown, goal.currency)} of {target}")
        bar.setTextVisible(True)
        layout.addLayout(top)
        layout.addWidget(bar)
        layout.addWidget(_muted(progress.needs.describe(target, goal.due)))
        if progress.by_due is not None:
            band = progress.by_due
            layout.addWidget(_muted(
                f"By then probably {money(band.p10, goal.currency)} – {money(band.p90, goal.currency)}"
                f" (middle {money(band.p50, goal.currency)})."
            ))  # fmt: skip
        return box
