"""`companion summary [--from DATE] [--to DATE] [--share PCT | --level NAME] [--json]`."""

from __future__ import annotations

import argparse
import json
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from companion.commands.common import EXIT_OK
from companion.domain.economics import parse_share_percent
from companion.domain.timeutil import parse_local_date

if TYPE_CHECKING:
    from companion.services import Services


def register(commands: Any) -> None:
    summary = commands.add_parser("summary", help="totals of gifts, diamonds and cash")
    summary.add_argument("--from", dest="first", metavar="DATE", help="first local date, inclusive (YYYY-MM-DD)")
    summary.add_argument("--to", dest="last", metavar="DATE", help="last local date, inclusive (YYYY-MM-DD)")
    rate = summary.add_mutually_exclusive_group()
    rate.add_argument("--share", metavar="PCT", help="reward share in percent instead of the profile's")
    rate.add_argument("--level", metavar="NAME", help="a level of your reward scheme instead of your current one")
    summary.add_argument("--json", action="store_true", help="print JSON (money as strings)")
    summary.set_defaults(handler=_summary)


def _summary(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    first: date | None = parse_local_date(args.first, "from") if args.first else None
    last: date | None = parse_local_date(args.last, "to") if args.last else None
    share = parse_share_percent(args.share) if args.share is not None else None
    if args.level is not None:
        share = services.economics.level_share(args.level)
    summary = services.reports.summary(first, last, share_bps=share)
    data = summary.as_json()
    if args.json:
        print(json.dumps(data), file=out)
    else:
        period = f"{args.first or 'the beginning'} to {args.last or 'today'}"
        print(
            f"{period}: {data['gifts']:,} gifts ({data['items']:,} items), {data['diamonds']:,} diamonds"
            f" = {Decimal(data['cash']):,} {data['currency']} at {data['share_percent']} %",
            file=out,
        )
    return EXIT_OK
