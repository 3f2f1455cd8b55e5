"""The read-only record table every page shows: whole-row selection, no editing, no grid or row numbers, columns
sized to their contents with one column taking the spare width."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

Selection = QAbstractItemView.SelectionMode


def record_table(
    model: QAbstractItemModel,
    stretch: int = 0,
    *,
    selection: QAbstractItemView.SelectionMode = Selection.SingleSelection,
    wrap: bool = True,
    min_section: int | None = None,
    min_height: int | None = None,
) -> QTableView:
    """A table on `model` whose column `stretch` takes the spare width; `wrap=False` keeps each row one line."""
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(selection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setShowGrid(False)
    view.setWordWrap(wrap)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    if min_section is not None:
        header.setMinimumSectionSize(min_section)
    if min_height is not None:
        view.setMinimumHeight(min_height)
    return view


def fit_rows(view: QTableView, most: int) -> None:
    """Make a short table exactly as tall as its rows (up to `most` rows, then it scrolls)."""
    rows = min(view.model().rowCount(), most)
    height = view.horizontalHeader().height() + 2 * view.frameWidth() + 2
    height += sum(view.rowHeight(r) for r in range(rows)) if rows else view.verticalHeader().defaultSectionSize()
    view.setFixedHeight(height)
