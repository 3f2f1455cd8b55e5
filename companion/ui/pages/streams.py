"""Streams page: go live with a running timer, log gifts into the stream (here or in live mode), see what each
stream earned, edit or delete past streams."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.domain.models import CatalogGift, GiftEvent, Stream
from companion.domain.timeutil import format_duration
from companion.services import Services
from companion.services.context import ProfileContext
from companion.services.reports import Summary
from companion.services.tracking import StreamEdit, StreamOverview
from companion.ui.dialogs.edit_stream import EditStreamDialog, ask_delete
from companion.ui.live_panel import LivePanel
from companion.ui.models.streams_table import TITLE, StreamTableModel, explain_check
from companion.ui.pages.base import Page
from companion.ui.tasks import CATALOG, GIFTS, STREAMS, Changes, TaskRunner
from companion.ui.widgets.cards import empty_state
from companion.ui.widgets.gift_logger import GiftLogger
from companion.ui.widgets.stream_detail import StreamDetail
from companion.ui.widgets.tables import record_table

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Overview:
    streams: list[StreamOverview]
    live: Stream | None
    # The picker's lists: loaded on the first refresh (and after an import), None otherwise. A new sender
    # is added locally after each gift instead of re-querying every gift's sender on the hot path.
    catalog: list[CatalogGift] | None
    senders: list[str] | None
    tiktok: dict[int, int] = field(default_factory=dict)  # TikTok's diamonds per stream (the per-LIVE check)


@dataclass(frozen=True)
class _Detail:
    stream: Stream
    gifts: list[GiftEvent]
    summary: Summary
    why: str = ""  # how the stream's share came about (per-LIVE rules, the share history, an override)


def _read_detail(services: Services, stream_id: int) -> _Detail:
    """What the detail pane shows of one stream (runs SQL: off the GUI thread)."""
    return _Detail(
        services.streams.get(stream_id),
        services.gifts.for_stream(stream_id),
        services.reports.summary(stream_id=stream_id),
        services.streams.overview_of(stream_id).share.explanation,
    )


class StreamsPage(Page):
    """Talks to the services only through `tasks`, so the window never waits on the database."""

    TITLE = "Streams"
    WATCHES = frozenset({GIFTS, STREAMS, CATALOG})

    def __init__(
        self, services: Services, tasks: TaskRunner, context: ProfileContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, tasks, context, parent)
        self.live: Stream | None = None
        self.selected_id: int | None = None
        self.logger = GiftLogger(services, tasks, self, source=self)  # it shows its own gifts
        self.live_panel: LivePanel | None = None
        self._catalog: list[CatalogGift] = []
        self._senders: list[str] = []
        self._focus_picker = False
        self._lists_loaded = False

        title = self.title_label()
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("Stream title (optional)")
        self.title_edit.setMinimumWidth(240)
        self.go_live_button = QPushButton("Go live")
        self.go_live_button.setObjectName("primary")
        self.go_live_button.setToolTip("Start a stream now and its timer")
        self.live_badge = QLabel("LIVE")
        self.live_badge.setObjectName("liveBadge")
        self.timer_label = QLabel("0:00:00")
        self.timer_label.setObjectName("timer")
        self.end_button = QPushButton("End stream")
        self.end_button.setToolTip("Stop the timer and close this stream")
        self.live_mode_button = QPushButton("Live mode")
        self.live_mode_button.setToolTip("A compact window on top of your LIVE studio: favourites on 1–9 (Ctrl+L)")
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        widgets = (self.title_edit, self.go_live_button, self.live_badge, self.timer_label, self.live_mode_button,
                   self.end_button)  # fmt: skip
        for widget in widgets:
            header.addWidget(widget)

        self.streams_model = StreamTableModel(self)
        self.streams_model.set_context(context)
        self.streams_view = record_table(self.streams_model, TITLE, wrap=False, min_section=70, min_height=150)
        self.streams_view.setVisible(False)  # shown once there are streams

        self.detail = StreamDetail(context)
        self.welcome = empty_state(
            "You have no streams yet.\n\nPress “Go live” when your TikTok LIVE starts: the timer runs, and you "
            "log gifts as they arrive to see coins, diamonds and cash add up.",
            max_width=520,
        )
        self.welcome_box = QWidget()
        welcome_layout = QVBoxLayout(self.welcome_box)
        welcome_layout.addWidget(self.welcome, 0, Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(self.welcome_box)
        self.right.addWidget(self.detail)

        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.streams_view)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 420])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(16)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)

        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self._tick)

        self.go_live_button.clicked.connect(self.go_live)
        self.title_edit.returnPressed.connect(self.go_live)
        self.end_button.clicked.connect(self.end_stream)
        self.live_mode_button.clicked.connect(self.open_live_mode)
        QShortcut(QKeySequence("Ctrl+L"), self, activated=self.open_live_mode)
        self.detail.picker.submitted.connect(self.log_gift)
        self.detail.undo_button.clicked.connect(self.undo_last)
        self.detail.picker.undo_requested.connect(self.undo_last)
        self.detail.edit_button.clicked.connect(self.edit_selected)
        self.detail.delete_button.clicked.connect(self.delete_selected)
        self.logger.logged.connect(self._logged)
        self.logger.undone.connect(self._undone)
        self.logger.undo_available.connect(self._undo_available)
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.undo_last)
        self.streams_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self._show_live_state()

    # ---- loading -------------------------------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        services = self.services
        with_lists = not self._lists_loaded

        def load() -> _Overview:
            catalog = services.catalog.all() if with_lists else None
            senders = services.gifts.senders() if with_lists else None
            streams = services.streams.overview()
            tiktok = services.tiktok.tiktok_totals([o.stream.id for o in streams])
            return _Overview(streams, services.streams.live(), catalog, senders, tiktok)

        self.tasks.run(load, lambda overview: self._show_overview(overview, select))

    def reload(self) -> None:
        """Refresh everything, the picker's gift and sender lists included (after an import)."""
        self._lists_loaded = False
        self.refresh()

    # ---- page protocol (see companion.ui.pages) ----------------------------------------------------------------

    def on_shown(self) -> None:
        self._stale = False
        self.refresh()

    def data_changed(self, changes: Changes) -> None:
        if changes.source is not self and changes.touched(self.WATCHES):
            self._lists_loaded = False  # an import or capture may bring new gifts and senders
        super().data_changed(changes)

    def context_changed(self) -> None:
        self.streams_model.set_context(self.context)
        self.detail.set_context(self.context)
        if self.live_panel is not None:
            self.live_panel.context = self.context
            self.live_panel.refresh()  # its own window: on screen while this page may not be

    def shutdown(self) -> None:
        self.clock_timer.stop()
        if self.live_panel is not None:
            self.live_panel.stop()

    def _show_overview(self, overview: _Overview, select: int | None) -> None:
        self.live = overview.live
        self.streams_model.set_tiktok(overview.tiktok)
        self.streams_model.set_rows(overview.streams)
        if overview.catalog is not None and overview.senders is not None:
            self._catalog, self._senders = overview.catalog, overview.senders
            self.detail.picker.set_catalog(overview.catalog)
            self.detail.picker.set_senders(overview.senders)
            self._lists_loaded = True
        self._show_live_state()
        if self.live_panel is not None and self.live_panel.isVisible():
            if self.live is None:
                self.live_panel.stop()
            else:
                self.live_panel.refresh()
        target = select or self.selected_id or (overview.live.id if overview.live else None)
        if target is None and overview.streams:
            target = overview.streams[0].stream.id
        row = self.streams_model.row_of(target) if target is not None else None
        self.streams_view.setVisible(bool(overview.streams))  # no empty list beside the welcome text
        if row is None:
            self.selected_id = None
            self.right.setCurrentWidget(self.welcome_box)
            return
        self.selected_id = target
        self.streams_view.selectionModel().select(
            self.streams_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._load_detail(target)

    def _load_detail(self, stream_id: int) -> None:
        services = self.services

        self.tasks.run(lambda: _read_detail(services, stream_id), self._show_detail)

    def _show_detail(self, detail: _Detail) -> None:
        if detail.stream.id != self.selected_id:
            return  # the user moved on while this was loading
        self.detail.show_stream(detail.stream, detail.gifts, detail.summary, detail.why)
        row = self.streams_model.row_of(detail.stream.id)
        check = self.streams_model.check(self.streams_model.record_at(row)) if row is not None else None
        self.detail.show_check("" if check is None else explain_check(check), check is not None and check.missing > 0)
        last = self.logger.last
        self.detail.undo_button.setEnabled(last is not None and last.stream_id == detail.stream.id)
        self.right.setCurrentWidget(self.detail)
        if detail.stream.is_live and self._focus_picker:
            self._focus_picker = False  # only right after going live: never pull focus while someone types
            self.detail.picker.gift_edit.setFocus()

    @Slot()
    def _selection_changed(self) -> None:
        rows = self.streams_view.selectionModel().selectedRows()
        if not rows:
            return
        stream_id = self.streams_model.record_at(rows[0].row()).stream.id
        if stream_id != self.selected_id:
            self.selected_id = stream_id
            self._load_detail(stream_id)

    # ---- actions -------------------------------------------------------------------------------------------

    @Slot()
    def go_live(self) -> None:
        if self.live is not None:
            return
        title = self.title_edit.text()
        self.go_live_button.setEnabled(False)
        go_live = self.services.streams.go_live
        self.tasks.write(lambda: go_live(title), self._went_live, (STREAMS,), self._action_failed, self)

    def _went_live(self, stream: Stream) -> None:
        self.title_edit.clear()
        self.live = stream
        self.selected_id = stream.id
        self._focus_picker = True
        self._show_live_state()
        self.refresh(select=stream.id)

    @Slot()
    def end_stream(self) -> None:
        if self.live is None:
            return
        stream_id = self.live.id
        self.end_button.setEnabled(False)
        end = self.services.streams.end
        self.tasks.write(lambda: end(stream_id), self._ended, (STREAMS,), self._action_failed, self)

    def _ended(self, stream: Stream) -> None:
        self.live = None
        self._show_live_state()
        self.refresh(select=stream.id)

    @Slot(str, int, str)
    def log_gift(self, gift: str, count: int, sender: str) -> None:
        if self.live is not None:
            self.logger.log(gift, count, sender, self.live.id)

    def _logged(self, event: GiftEvent) -> None:
        self.detail.picker.add_sender(event.sender)
        if event.sender and event.sender not in self._senders:
            self._senders.append(event.sender)
        if event.stream_id is not None:
            self.refresh_stream(event.stream_id)

    def refresh_stream(self, stream_id: int) -> None:
        """Re-read one stream's line and, if shown, its detail: after each gift, without re-reading every stream
        (the whole overview takes most of a second at a million gifts, and the worker is shared with logging)."""
        services = self.services
        shown = stream_id == self.selected_id

        def load() -> tuple[StreamOverview, _Detail | None]:
            detail = None
            if shown:
                detail = _read_detail(services, stream_id)
            return services.streams.overview_of(stream_id), detail

        self.tasks.run(load, self._show_stream_line)

    def _show_stream_line(self, loaded: tuple[StreamOverview, _Detail | None]) -> None:
        overview, detail = loaded
        row = self.streams_model.row_of(overview.stream.id)
        if row is None:
            self.refresh()  # a stream this page has not listed yet
            return
        self.streams_model.replace(row, overview)
        if detail is not None:
            self._show_detail(detail)

    @Slot()
    def undo_last(self) -> None:
        self.logger.undo()

    def _undone(self, event: GiftEvent) -> None:
        if event.stream_id is not None:
            self.refresh_stream(event.stream_id)

    @Slot(bool)
    def _undo_available(self, available: bool) -> None:
        last = self.logger.last
        self.detail.undo_button.setEnabled(available and last is not None and last.stream_id == self.selected_id)

    @Slot()
    def open_live_mode(self) -> None:
        if self.live is None or not self._lists_loaded:
            return
        if self.live_panel is None:
            self.live_panel = LivePanel(self.services, self.tasks, self.logger, self.context, self)
        self.live_panel.start(self.live, self._catalog, self._senders)

    # ---- editing -------------------------------------------------------------------------------------------

    def _selected_overview(self) -> StreamOverview | None:
        row = self.streams_model.row_of(self.selected_id) if self.selected_id is not None else None
        return self.streams_model.record_at(row) if row is not None else None

    @Slot()
    def edit_selected(self) -> None:
        overview = self._selected_overview()
        if overview is None:
            return
        dialog = EditStreamDialog(overview.stream, self.context, self, overview.setting, overview.share)
        stream_id = overview.stream.id

        def save(change: StreamEdit) -> None:
            self.tasks.write(
                lambda: self.services.streams.edit(stream_id, change),
                lambda stream: self._edited(dialog, stream),
                (STREAMS,),
                dialog.show_error,
                self,
            )

        dialog.submitted.connect(save)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.edit_dialog = dialog  # tests and screenshots reach the open dialog here

    def _edited(self, dialog: EditStreamDialog, stream: Stream) -> None:
        dialog.accept()
        if self.live is not None and self.live.id == stream.id:
            self.live = stream
            if self.live_panel is not None:
                self.live_panel.stream = stream
                self.live_panel.title_label.setText(stream.title)
        self.refresh(select=stream.id)

    @Slot()
    def delete_selected(self) -> None:
        overview = self._selected_overview()
        if overview is None or overview.stream.is_live:
            return
        with_gifts = ask_delete(overview.stream, overview.totals.gifts, self)
        if with_gifts is None:
            return
        stream_id = overview.stream.id
        delete = self.services.streams.delete
        self.tasks.write(lambda: delete(stream_id, with_gifts), lambda _: self._deleted(stream_id), (STREAMS, GIFTS),
                         source=self)  # fmt: skip

    def _deleted(self, stream_id: int) -> None:
        if self.logger.last is not None and self.logger.last.stream_id == stream_id:
            self.logger.forget()
        self.selected_id = None
        self.refresh()

    def _action_failed(self, exc: BaseException) -> None:
        self._show_live_state()
        self.tasks.report_error(exc)

    # ---- live state ----------------------------------------------------------------------------------------

    def _show_live_state(self) -> None:
        live = self.live is not None
        self.title_edit.setVisible(not live)
        self.go_live_button.setVisible(not live)
        self.go_live_button.setEnabled(not live)
        self.live_badge.setVisible(live)
        self.timer_label.setVisible(live)
        self.live_mode_button.setVisible(live)
        self.end_button.setVisible(live)
        self.end_button.setEnabled(live)
        if live:
            self._tick()
            self.clock_timer.start()
        else:
            self.clock_timer.stop()

    @Slot()
    def _tick(self) -> None:
        if self.live is not None:
            self.timer_label.setText(format_duration(self.live.duration(self.context.now())))
