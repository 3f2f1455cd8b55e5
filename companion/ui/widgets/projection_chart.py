"""The projection chart: the month so far and its likely end, a shaded p10–p90 band around a middle line.

Imports QtCharts (costly at start-up): only the Payouts page imports this module, and only once it has figures.
QtCharts draws in floats; the amounts stay Decimal everywhere else and only become coordinates here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from PySide6.QtCharts import QAreaSeries, QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAND = QColor(254, 44, 85, 60)
ACCENT = QColor("#fe2c55")
ACTUAL = QColor("#161823")
MUTED = QColor("#6b6f80")
GRID = QColor("#eef0f5")


def _ms(day: date) -> float:
    return float(QDateTime(datetime.combine(day, time(12))).toMSecsSinceEpoch())


def _nice_top(value: Decimal) -> float:
    if value <= 0:
        return 10.0
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, Decimal("1.5"), 2, Decimal("2.5"), 3, 4, 5, Decimal("7.5"), 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)


class ProjectionChart(QChartView):
    """`set_month(...)`: the cumulative cash earned each day so far (a solid line) and, for the days left, the
    band from p10 to p90, calibrated on the creator's past to hold 8 in 10 outcomes (shaded), with the middle
    outcome (dashed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setBackgroundVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        chart.legend().setFont(QFont(chart.legend().font().family(), 9))
        chart.setLocalizeNumbers(True)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setStyleSheet("background: transparent;")
        self.band: QAreaSeries | None = None

    def set_month(
        self,
        earned_by_day: Sequence[tuple[date, Decimal]],
        band_by_day: Sequence[tuple[date, Decimal, Decimal, Decimal]],
        currency: str,
    ) -> None:
        """`earned_by_day`: (day, cumulative cash) up to today; `band_by_day`: (day, p10, p50, p90) after."""
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        actual = QLineSeries()
        actual.setName("Earned so far")
        actual.setPen(QPen(ACTUAL, 2.5))
        for day, cash in earned_by_day:
            actual.append(_ms(day), float(cash))
        low, middle, high = QLineSeries(), QLineSeries(), QLineSeries()
        middle.setName("Middle outcome")
        middle.setPen(QPen(ACCENT, 2, Qt.PenStyle.DashLine))
        if earned_by_day and band_by_day:  # the band starts from today's figure, so the lines join
            day, cash = earned_by_day[-1]
            for series in (low, middle, high):
                series.append(_ms(day), float(cash))
        for day, p10, p50, p90 in band_by_day:
            low.append(_ms(day), float(p10))
            middle.append(_ms(day), float(p50))
            high.append(_ms(day), float(p90))
        self.band = QAreaSeries(high, low)
        self.band.setName("Likely range (p10–p90)")
        self.band.setBrush(QBrush(BAND))
        self.band.setPen(QPen(Qt.PenStyle.NoPen))
        for series in (self.band, middle, actual):
            chart.addSeries(series)
        days = [d for d, _ in earned_by_day] + [d for d, *_ in band_by_day]
        x_axis = QDateTimeAxis()
        x_axis.setFormat("d MMM")
        x_axis.setLabelsColor(MUTED)
        x_axis.setGridLineColor(GRID)
        if days:
            x_axis.setRange(QDateTime(datetime.combine(min(days), time(0))),
                            QDateTime(datetime.combine(max(days) + timedelta(days=1), time(0))))  # fmt: skip
        x_axis.setTickCount(6)
        tops = [c for _, c in earned_by_day] + [p90 for *_, p90 in band_by_day]
        y_axis = QValueAxis()
        y_axis.setRange(0, _nice_top(max(tops, default=Decimal(0))))
        y_axis.setLabelFormat("%.0f")
        y_axis.applyNiceNumbers()  # round ticks (0, 200, 400 …), not quarters of an odd top
        y_axis.setLabelsColor(MUTED)
        y_axis.setGridLineColor(GRID)
        y_axis.setTitleText(currency)
        y_axis.setTitleBrush(QBrush(MUTED))
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in chart.series():
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        # the area's edge lines are not in the chart themselves: keep them alive with the area
        self._edges = (low, high)
