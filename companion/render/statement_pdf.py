"""The monthly statement as PDF, drawn by Qt's own PDF writer (QPdfWriter + QTextDocument): the Qt side of
services/statement.py's `StatementRenderer`, for the GUI's export dialog and `companion export pdf` alike.

Outside companion.ui so the command line can use it without importing pages; imported lazily (Qt costs time)."""

from __future__ import annotations

import errno
import os
from datetime import timedelta
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFile, QFileDevice, QIODevice, QLocale, QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from companion import APP_NAME
from companion.domain.economics import share_percent_text
from companion.domain.money import from_minor
from companion.domain.timeutil import format_duration
from companion.render.numbers import money, whole
from companion.services.exports import Statement
from companion.services.projections import coverage_line
from companion.services.statement import write_statement

_CSS = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; color: #161823; }
h1 { font-size: 18pt; margin: 0; }
h2 { font-size: 11pt; margin-top: 14pt; margin-bottom: 4pt; color: #30323d; }
.muted { color: #6b6f80; }
table { border-collapse: collapse; }
th { text-align: left; color: #6b6f80; font-weight: 600; border-bottom: 1px solid #c9ccd8; padding: 3pt 6pt; }
td { padding: 3pt 6pt; border-bottom: 1px solid #eef0f5; }
td.n, th.n { text-align: right; }
.total td { font-weight: 700; border-top: 1px solid #161823; }
"""


def _table(headers: list[str], rows: list[list[str]], numeric_from: int, total: list[str] | None = None) -> str:
    numeric = " class='n'"

    def cells(values: list[str], tag: str) -> str:
        return "".join(
            f"<{tag}{numeric if i >= numeric_from else ''}>{escape(v)}</{tag}>" for i, v in enumerate(values)
        )

    body = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows)
    if total is not None:
        body += f"<tr class='total'>{cells(total, 'td')}</tr>"
    return f"<table width='100%' cellspacing='0'><tr>{cells(headers, 'th')}</tr>{body}</table>"


def statement_html(st: Statement) -> str:
    cur = st.rate.currency
    parts = [
        f"<h1>Monthly statement — {escape(st.month_title)}</h1>",
        f"<p class='muted'>{escape(st.profile.name)} · {st.first:%d %b %Y} to {st.last:%d %b %Y} · made "
        f"{st.generated_at:%Y-%m-%d %H:%M} by {APP_NAME}</p>",
        "<h2>Totals</h2>",
        _table(
            ["Gifts", "Items", "Diamonds", f"Cash ({cur})", "Live time"],
            [
                [
                    whole(st.totals.gifts),
                    whole(st.totals.items),
                    whole(st.totals.diamonds),
                    money(st.cash, cur),
                    format_duration(timedelta(seconds=st.live_seconds)),
                ]
            ],
            0,
        ),
    ]
    if st.rate.note:
        parts.append(f"<p class='muted'>Cash {escape(st.rate.note)}.</p>")
    title = f"Cash by level{f' ({escape(st.scheme)})' if st.scheme else ''}"
    parts += [
        f"<h2>{title}</h2>",
        _table(
            ["Level", "Share", f"Cash for {whole(st.totals.diamonds)} diamonds"],
            [
                [
                    lv.name + (" (yours)" if lv.current and st.scheme else ""),
                    f"{share_percent_text(lv.share_bps)} %",
                    money(lv.cash, cur),
                ]
                for lv in st.levels
            ],
            1,
        ),
        "<h2>Streams</h2>",
    ]
    stream_rows = [
        [
            s.title or "(untitled)",
            f"{s.started_at:%a %d %b %H:%M}",
            format_duration(timedelta(seconds=s.live_seconds)),
            whole(s.totals.gifts),
            whole(s.totals.diamonds),
            money(s.cash, cur),
        ]
        for s in st.streams
    ]
    if st.outside_streams.gifts:
        stream_rows.append(
            [
                "Gifts outside streams",
                "",
                "",
                whole(st.outside_streams.gifts),
                whole(st.outside_streams.diamonds),
                money(st.outside_cash, cur),
            ]
        )
    parts.append(
        _table(
            ["Stream", "Started", "Live", "Gifts", "Diamonds", "Cash"],
            stream_rows,
            2,
            total=[
                "Total",
                "",
                format_duration(timedelta(seconds=st.live_seconds)),
                whole(st.totals.gifts),
                whole(st.totals.diamonds),
                money(st.cash, cur),
            ],
        )
        if stream_rows
        else "<p class='muted'>No streams this month.</p>"
    )
    parts.append("<h2>Top gifters</h2>")
    parts.append(
        _table(["Gifter", "Diamonds", "Cash"], [[n, whole(d), money(c, cur)] for n, d, c in st.top_gifters], 1)
        if st.top_gifters
        else "<p class='muted'>No gifts from named gifters this month.</p>"
    )
    parts.append("<h2>Payouts</h2>")
    if st.payouts:
        rows = []
        for p in st.payouts:
            gross, fee = from_minor(p.gross_cents, p.currency), from_minor(p.fee_cents, p.currency)
            rows.append(
                [
                    f"{p.requested_at:%d %b %Y}",
                    f"{p.paid_at:%d %b %Y}" if p.paid_at else "",
                    p.method or "—",
                    p.status,
                    money(gross, p.currency),
                    money(fee, p.currency),
                    money(gross - fee, p.currency),
                ]
            )
        parts.append(_table(["Requested", "Paid", "Method", "Status", "Gross", "Fee", "Net"], rows, 4))
        paid = money(st.paid_out, st.payout_currency)
        parts.append(f"<p>Paid out this month (net, by the day paid): <b>{escape(paid)}</b></p>")
    else:
        parts.append("<p class='muted'>No payouts requested this month.</p>")
    parts += _outlook(st)
    return f"<html><head><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"


def _outlook(st: Statement) -> list[str]:
    """The next days as a range, with what that range held in the creator's own past (never a fixed promise)."""
    view = st.outlook
    if view is None or view.basis_days == 0:
        return []
    cur = view.currency
    parts = [
        f"<h2>Outlook: the next {view.days} days</h2>",
        f"<p>Probably {escape(money(view.cash.p10, cur))} to {escape(money(view.cash.p90, cur))} "
        f"(middle {escape(money(view.cash.p50, cur))}), from {whole(view.basis_days)} days of your history. "
        "Gift income is lumpy: 1 in 10 outcomes should land below the range, 1 in 10 above.</p>",
    ]
    line = coverage_line(view.calibration, view.coverage, view.basis_days)
    if view.biggest_day:
        line += f" One big night can add {money(view.biggest_day, cur)} (your best day so far)."
    parts.append(f"<p class='muted'>{escape(line.strip())}</p>")
    return parts


_APP: list[Any] = []  # keeps a QApplication made here alive for the rest of the process


def ensure_gui_application() -> None:
    """Qt's PDF writer needs a QGuiApplication (fonts); headless, the offscreen platform is enough. A full
    QApplication, so that code running later in the same process (tests, the GUI) finds the kind it expects."""
    if QGuiApplication.instance() is not None:
        return
    from PySide6.QtWidgets import QApplication

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _APP.append(QApplication(["companion"]))
    if QLocale.system().language() == QLocale.Language.C:  # as the app does: group digits under LANG=C
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


class QtStatementRenderer:
    """`StatementRenderer` on QPdfWriter. The writer itself never reports a failed write, so it writes into a
    QFile this class owns and asks that file for its error afterwards."""

    def render(self, statement: Statement, path: Path) -> None:
        ensure_gui_application()
        device = QFile(str(path))
        if not device.open(QIODevice.OpenModeFlag.WriteOnly | QIODevice.OpenModeFlag.Truncate):
            raise OSError(errno.EIO, device.errorString(), str(path))
        writer = QPdfWriter(device)
        writer.setTitle(f"{APP_NAME} statement {statement.month_title}")
        writer.setCreator(APP_NAME)
        writer.setResolution(300)
        writer.setPageLayout(
            QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(15, 15, 15, 15))
        )
        document = QTextDocument()
        document.setDefaultStyleSheet(_CSS)
        document.setHtml(statement_html(statement))
        document.print_(writer)
        del writer  # finishes the file
        device.close()
        if device.error() != QFileDevice.FileError.NoError:
            text = device.errorString()
            raise OSError(errno.ENOSPC if "no space" in text.lower() else errno.EIO, text, str(path))

    def unreadable(self, path: Path) -> str | None:
        """Reopened with PDFium (QtPdf) when the build has it; the frozen app leaves QtPdf out (build/companion.spec)
        and relies on services/statement.py's own check of the file's structure."""
        try:
            from PySide6.QtPdf import QPdfDocument
        except ImportError:
            return None
        document = QPdfDocument(None)
        try:
            status = document.load(str(path))
            if status != QPdfDocument.Error.None_:
                return f"a PDF reader cannot open it ({status.name})"
            if document.pageCount() < 1:
                return "a PDF reader finds no pages in it"
            return None
        finally:
            document.close()


def write_statement_pdf(statement: Statement, path: Path) -> Path:
    """Write the statement as an A4 PDF at `path`: temp file, checked, renamed (see services/statement.py)."""
    return write_statement(statement, path, QtStatementRenderer())
