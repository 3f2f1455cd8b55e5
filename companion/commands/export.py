"""`companion export csv|pdf|qif --out FILE [--month YYYY-MM]`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from companion.commands.common import EXIT_OK
from companion.domain.errors import ValidationError
from companion.domain.timeutil import to_local, zone
from companion.paths import AppPaths, app_paths

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
    _refuse_own_files(target, getattr(args, "paths", None) or app_paths(services.db.path.parent))
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


def _refuse_own_files(target: Path, paths: AppPaths) -> None:
    """An export must never replace the live database, its -wal/-shm, the lock file or anything in the backups
    folder (the next start would find the database damaged). Paths are compared resolved (symlinks, `..`)."""
    resolved = target.resolve()
    database = paths.database.resolve()
    own = {database.with_name(database.name + suffix) for suffix in ("", "-wal", "-shm")}
    own.add(paths.lock_file.resolve())
    backups = paths.backups.resolve()
    clash = resolved in own or resolved == backups or resolved.is_relative_to(backups)
    if not clash and resolved.exists():
        clash = any(mine.exists() and os.path.samefile(resolved, mine) for mine in own)  # a hard link
    if clash:
        raise ValidationError(
            f"{target} is one of the app's own files (its database, lock file or backups); "
            "choose another file to export to. Nothing was written.",
            field="--out",
        )


def _current_month(services: Services) -> str:
    profile = services.profiles.get(services.profile_id)
    return f"{to_local(services.exports.clock(), zone(profile.time_zone)):%Y-%m}"
