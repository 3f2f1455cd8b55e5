"""A read-only table of records: column headers, right-aligned numbers, rows replaced in one reset."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from companion.services.context import ProfileContext

Index = QModelIndex | QPersistentModelIndex
Record = TypeVar("Record")
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class HeadedTableModel(QAbstractTableModel):
    """Column headers from `HEADERS`, `NUMERIC` columns right-aligned; subclasses say how many rows there are."""

    HEADERS: ClassVar[tuple[str, ...]] = ()
    NUMERIC: ClassVar[frozenset[int]] = frozenset()
    #: How times and cash read (the profile's zone and display rate); set by the page before rows arrive.
    context: ProfileContext

    def set_context(self, context: ProfileContext) -> None:
        self.context = context
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.NUMERIC:
            return RIGHT
        return None


class RecordTableModel(HeadedTableModel, Generic[Record]):
    """Subclasses name `HEADERS` and `NUMERIC` columns and say how a record shows in `display()`;
    `extra()` answers other roles (tooltips, colours)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Record] = []

    def set_rows(self, rows: Sequence[Record]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def replace(self, row: int, record: Record) -> None:
        """Swap one record in place (no reset: the selection and scroll position stay)."""
        self._rows[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def record_at(self, row: int) -> Record:
        return self._rows[row]

    def records(self) -> list[Record]:
        return list(self._rows)

    def display(self, record: Record, column: int) -> str:
        raise NotImplementedError

    def extra(self, record: Record, column: int, role: int) -> Any:
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(record, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.NUMERIC:
            return RIGHT
        return self.extra(record, index.column(), role)
