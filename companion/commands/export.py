"""`companion export csv|pdf|qif --out FILE [--month YYYY-MM]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from companion.commands.common import EXIT_OK
from companion.domain.timeutil import to_local, zone

if TYPE_CHECKING:
    from companion.services import Services


def register(commands: Any) -> None:
    export = commands.add_parser("export", help="write gifts as CSV or QIF, or a monthly PDF statement")
    export.add_argument(
        "format",
        choices=["csv", "pdf", "qif"],
        help="csv: re-importable gifts; qif: for GnuCash/HomeBank/KMyMoney; pdf: the monthly statement",
    )
    export.add_argument("--out", required=True, type=Path, metavar="FILE", help="file to write (replaced atomically)")
    export.add_argument("--month", metavar="YYYY-MM", help="only this month (pdf: default the current month)")
    export.set_defaults(handler=_export)


def _export(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    target: Path = args.out.expanduser()
    if args.format == "csv":
        rows = services.exports.export_csv(target, args.month)
        print(f"wrote {rows:,} gifts to {target}", file=out)
    elif args.format == "qif":
        entries = services.exports.export_qif(target, args.month)
        print(f"wrote {entries:,} transactions to {target}", file=out)
    else:
        month = args.month or _current_month(services)
        statement = services.exports.statement(month)
        from companion.render.statement_pdf import write_statement_pdf  # Qt: only when a PDF is asked for

        write_statement_pdf(statement, target)
        print(f"wrote the statement for {statement.month_title} to {target}", file=out)
    return EXIT_OK


def _current_month(services: Services) -> str:
    profile = services.profiles.get(services.profile_id)
    return f"{to_local(services.exports.clock(), zone(profile.time_zone)):%Y-%m}"
