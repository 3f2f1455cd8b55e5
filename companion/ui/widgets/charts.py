"""Dashboard charts: diamonds per day with a 7-day average, top gifts, and a weekday × hour heatmap.

Imports QtCharts, which costs start-up time: import this module only from a page, and only when the page has
data to draw (the dashboard imports it after its first figures arrive)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from companion.ui.format import whole

ACCENT = QColor("#fe2c55")
AVERAGE = QColor("#161823")
MUTED = QColor("#6b6f80")
GRID = QColor("#eef0f5")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _nice_max(value: int) -> int:
    """A round axis maximum at or above `value` (1, 2, 2.5 or 5 × a power of ten)."""
    if value <= 0:
        return 10
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return 10 * magnitude


def _base_chart() -> QChart:
    chart = QChart()
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
    chart.legend().setFont(QFont(chart.legend().font().family(), 9))
    chart.setLocalizeNumbers(True)  # axis numbers in the app's locale (grouped digits)
    return chart


def _value_axis(top: int) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, top)
    axis.setLabelFormat("%.0f")
    axis.setTickCount(5)
    axis.setGridLineColor(GRID)
    axis.setLabelsColor(MUTED)
    return axis


class _View(QChartView):
    def __init__(self, chart: QChart, height: int, parent: QWidget | None = None) -> None:
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setStyleSheet("background: transparent;")


class DailyChart(_View):
    """Bars of diamonds per day and a line of the trailing 7-day average; dates under the first of each month
    and the 15th."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_base_chart(), 250, parent)

    def set_data(self, days: list[date], daily: list[int], average: list[Decimal]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        bars = QBarSet("Diamonds per day")
        bars.setColor(ACCENT.lighter(135))
        bars.setBorderColor(ACCENT.lighter(135))
        bars.append([float(v) for v in daily])  # QtCharts draws in floats; the figures stay ints elsewhere
        series = QBarSeries()
        series.setBarWidth(0.8)
        series.append(bars)
        line = QLineSeries()
        line.setName("7-day average")
        line.setPen(QPen(AVERAGE, 2))
        for index, value in enumerate(average):
            line.append(QPointF(index, float(value)))
        chart.addSeries(series)
        chart.addSeries(line)
        x = QCategoryAxis()
        x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        x.setRange(-0.5, len(days) - 0.5)
        x.setGridLineVisible(False)
        x.setLabelsColor(MUTED)
        for index, day in enumerate(days):
            if day.day in (1, 15):
                x.append(f"{day:%d %b}", index)
        y = _value_axis(_nice_max(max([*daily, 0])))
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for s in (series, line):
            s.attachAxis(x)
            s.attachAxis(y)


class TopGiftsChart(_View):
    """Horizontal bars: the gifts that brought the most diamonds, biggest on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_base_chart(), 250, parent)
        self.chart().legend().setVisible(False)

    def set_data(self, gifts: list[tuple[str, int]]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        ordered = list(reversed(gifts))  # the category axis draws bottom-up
        bars = QBarSet("Diamonds")
        bars.setColor(ACCENT)
        bars.append([float(d) for _, d in ordered])
        series = QHorizontalBarSeries()
        series.setBarWidth(0.7)
        series.append(bars)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        # the figure goes into the label: QtCharts' own bar labels use float formatting, not the locale
        names.append([f"{self._short(n)}  {whole(d)}" for n, d in ordered])
        names.setTruncateLabels(False)
        names.setGridLineVisible(False)
        names.setLineVisible(False)
        values = _value_axis(max(max([d for _, d in gifts] or [0]), 1))
        values.setVisible(False)
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        series.attachAxis(values)

    @staticmethod
    def _short(name: str) -> str:
        return name if len(name) <= 22 else name[:21] + "…"


class Heatmap(QWidget):
    """7 rows (Monday first) × 24 local hours; darker = more diamonds. Hover a cell for its figure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: list[list[int]] = [[0] * 24 for _ in range(7)]
        self.setMouseTracking(True)
        self.setMinimumSize(300, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, values: list[list[int]]) -> None:
        self.values = values
        self.update()

    def _grid(self) -> QRectF:
        metrics = self.fontMetrics()
        left = max(metrics.horizontalAdvance(d) for d in WEEKDAYS) + 10
        top = metrics.height() + 6
        return QRectF(left, top, max(self.width() - left - 4, 24), max(self.height() - top - 4, 7))

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        grid = self._grid()
        if not grid.contains(x, y):
            return None
        hour = int((x - grid.left()) / (grid.width() / 24))
        day = int((y - grid.top()) / (grid.height() / 7))
        return (min(day, 6), min(hour, 23))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        grid = self._grid()
        cw, ch = grid.width() / 24, grid.height() / 7
        peak = max(max(row) for row in self.values) or 1
        painter.setPen(MUTED)
        for hour in range(0, 24, 3):
            painter.drawText(
                QRectF(grid.left() + hour * cw - cw, 0, cw * 3, grid.top() - 4),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, f"{hour:02d}",
            )  # fmt: skip
        for day, label in enumerate(WEEKDAYS):
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(0, grid.top() + day * ch, grid.left() - 8, ch),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label,
            )  # fmt: skip
            for hour in range(24):
                value = self.values[day][hour]
                colour = QColor(GRID) if value == 0 else QColor(ACCENT)
                if value:
                    colour.setAlphaF(0.15 + 0.85 * (value / peak))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRoundedRect(
                    QRectF(grid.left() + hour * cw + 1, grid.top() + day * ch + 1, cw - 2, ch - 2), 3, 3
                )
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().x(), event.position().y())
        if cell is None:
            QToolTip.hideText()
            return
        day, hour = cell
        text = f"{WEEKDAYS[day]} {hour:02d}:00–{hour:02d}:59: {whole(self.values[day][hour])} diamonds"
        QToolTip.showText(event.globalPosition().toPoint(), text, self)
