"""A gifts table for any number of gifts: the model holds only the ids of the filter, in order (an int64 array,
8 bytes a gift), and fetches the rows a view paints in small pages kept in an LRU cache.

Why fetching a page runs on the GUI thread: a page is at most `PAGE` rows by primary key (well under a
millisecond at a million gifts, see bench/bench_gifts_page.py), and readers never wait on the writer under
SQLite's WAL. Round-tripping each page through the worker would make rows flash empty while scrolling and
queue behind long writes for no gain. The slow part — finding the ids of a filter and its totals — runs on the
worker (`HistoryService.select` through `tasks.run`)."""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal

from companion.domain.models import GiftEvent
from companion.services.context import ProfileContext
from companion.ui.format import local_time, whole
from companion.ui.models.base import RIGHT, HeadedTableModel, Index

Fetch = Callable[[Sequence[int]], Mapping[int, GiftEvent]]

TIME, STREAM, SENDER, GIFT, COUNT, COINS_EACH, DIAMONDS = range(7)
#: Sort keys of HistoryService, one per column.
SORT_KEYS = ("time", "stream", "sender", "gift", "count", "coins_each", "diamonds")


class LazyGiftModel(HeadedTableModel):
    HEADERS = ("Time", "Stream", "Sender", "Gift", "Count", "Coins each", "Diamonds")
    NUMERIC = frozenset({COUNT, COINS_EACH, DIAMONDS})
    PAGE = 100
    CACHE_PAGES = 50  # ~5,000 rows: a few screens either way

    #: The user asked for another order (column key, descending): the page re-queries the ids.
    sort_requested = Signal(str, bool)

    def __init__(self, fetch: Fetch, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._ids: array[int] = array("q")
        self._titles: Mapping[int, str] = {}
        # each row formatted once, when its page is fetched: painting asks data() many times per cell
        self._pages: OrderedDict[int, list[tuple[str, ...] | None]] = OrderedDict()
        self.fetches = 0  # pages fetched so far (benchmarks and tests watch it)

    def set_ids(self, ids: array[int], stream_titles: Mapping[int, str]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._titles = stream_titles
        self._pages.clear()
        self.endResetModel()

    def set_context(self, context: ProfileContext) -> None:
        self._pages.clear()  # cached texts were formatted in the old zone
        super().set_context(context)

    def set_stream_titles(self, stream_titles: Mapping[int, str]) -> None:
        """Titles arrived (or changed) after the ids: redraw the cached rows with them."""
        self._titles = stream_titles
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.HEADERS) - 1))

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def cells_at(self, row: int) -> tuple[str, ...] | None:
        """The texts of a row (fetched with its page if needed); None if the gift was deleted since the query."""
        number = row // self.PAGE
        page = self._pages.get(number)
        if page is None:
            chunk = self._ids[number * self.PAGE : (number + 1) * self.PAGE]
            found = self._fetch(chunk)
            page = [self._cells(found[gift_id]) if gift_id in found else None for gift_id in chunk]
            self.fetches += 1
            self._pages[number] = page
            if len(self._pages) > self.CACHE_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[row - number * self.PAGE]

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    # ---- Qt model ------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in self.NUMERIC else None
        if role != Qt.ItemDataRole.DisplayRole and not (role == Qt.ItemDataRole.ToolTipRole and column == STREAM):
            return None
        cells = self.cells_at(index.row())
        if cells is None:
            return "(deleted)" if column == GIFT else ""
        return cells[column]

    def _cells(self, gift: GiftEvent) -> tuple[str, ...]:
        stream = "—" if gift.stream_id is None else self._titles.get(gift.stream_id, "")
        return (
            local_time(gift.received_at, self.context, True), stream, gift.sender or "anonymous", gift.gift_name,
            whole(gift.count), whole(gift.coins_each), whole(gift.diamonds),
        )  # fmt: skip

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_requested.emit(SORT_KEYS[column], order == indicator_order(True))


def indicator_order(descending: bool) -> Qt.SortOrder:
    """The header order that draws the arrow people expect: ▼ for largest / newest first, ▲ for smallest first.
    QHeaderView hands the style SortUp (▲) for DescendingOrder, so the two are swapped here."""
    return Qt.SortOrder.AscendingOrder if descending else Qt.SortOrder.DescendingOrder
