"""`companion import tiktok FILE [--earning-unit diamonds|usd] [--json]`: TikTok's data download, all or nothing."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from companion.commands.common import EXIT_OK, EXIT_REFUSED

#: The service's EARNING_UNITS (a test keeps them equal): importing it here would load sqlmodel for every `--help`.
UNITS = ("diamonds", "usd")

if TYPE_CHECKING:
    from companion.services import Services


def register(commands: Any) -> None:
    importing = commands.add_parser("import", help="import data from elsewhere (TikTok's data download)")
    sources = importing.add_subparsers(dest="import_command", metavar="SOURCE", required=True)
    tiktok = sources.add_parser(
        "tiktok",
        help="TikTok's “Download your data” (JSON format): match each LIVE to a stream and keep TikTok's total",
    )
    tiktok.add_argument("file", type=Path, metavar="FILE", help="the .zip, or user_data_tiktok.json inside it")
    tiktok.add_argument(
        "--earning-unit",
        choices=UNITS,
        default=UNITS[0],
        help="what TotalEarning counts: diamonds (default) or usd (your earnings, turned into diamonds at your share)",
    )
    tiktok.add_argument("--json", action="store_true", help="print the result as JSON")
    tiktok.set_defaults(handler=_tiktok)


def _tiktok(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    from companion.services.tiktok_import import TikTokExportRefused

    try:
        result = services.tiktok.import_file(args.file.expanduser(), args.earning_unit)
    except TikTokExportRefused as refused:
        for problem in refused.problems:  # every one, so one round of fixes is enough
            print(f"{args.file}: {problem}", file=err)
        print(f"error: {len(refused.problems)} problem(s); nothing was imported", file=err)
        return EXIT_REFUSED
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False), file=out)
    else:
        print(f"{args.file}: {result.describe()}", file=out)
    return EXIT_OK
