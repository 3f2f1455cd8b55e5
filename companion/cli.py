"""The headless commands (`companion gifts add`, `gifts import`, `summary`): argparse in, exit codes out.

Exit codes: 0 done, 2 the input was refused (nothing was written), 1 an unexpected failure (see the log)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from companion import APP_NAME, __version__
from companion.domain.economics import parse_share_percent
from companion.domain.errors import CompanionError, ImportRejected
from companion.domain.timeutil import parse_instant, parse_local_date

if TYPE_CHECKING:
    from companion.services import Services

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_REFUSED = 2


def _int_at_least(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum} (got {value})")
        return value

    return parse


_positive_int = _int_at_least(1)
_non_negative_int = _int_at_least(0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="companion",
        description=f"{APP_NAME}: track live streams, gifts and diamonds. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="keep all data in DIR (or set COMPANION_DATA_DIR)")
    parser.add_argument(
        "--self-test", action="store_true", help="open the window, check database and keyring, then exit"
    )
    parser.add_argument("--screenshot", metavar="PNG", type=Path, help="with --self-test: save the window as PNG")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gifts = commands.add_parser("gifts", help="log or import received gifts")
    gift_commands = gifts.add_subparsers(dest="gifts_command", metavar="ACTION", required=True)
    add = gift_commands.add_parser("add", help="log one gift (into the live stream, if one is live)")
    add.add_argument("--gift", required=True, help="gift name as in the catalog, e.g. Rose")
    add.add_argument("--count", required=True, type=_positive_int, help="how many were sent")
    add.add_argument("--sender", required=True, help="who sent it")
    add.add_argument("--at", help="when, ISO 8601 with offset (default: now)")
    add.add_argument("--coins", type=_non_negative_int, help="coin price each (needed for gifts not in the catalog)")
    add.add_argument("--stream", type=_positive_int, metavar="ID", help="log into this stream instead")
    imp = gift_commands.add_parser("import", help="import a file of gifts, all or nothing")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--format", choices=["csv"], default="csv", help="file format (default: csv)")

    summary = commands.add_parser("summary", help="totals of gifts, diamonds and cash")
    summary.add_argument("--from", dest="first", metavar="DATE", help="first local date, inclusive (YYYY-MM-DD)")
    summary.add_argument("--to", dest="last", metavar="DATE", help="last local date, inclusive (YYYY-MM-DD)")
    summary.add_argument("--share", metavar="PCT", help="reward share in percent instead of the profile's")
    summary.add_argument("--json", action="store_true", help="print JSON (money as strings)")
    return parser


def run_command(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    """Run one parsed command against the services; messages for the user go to `err`."""
    try:
        if args.command == "gifts" and args.gifts_command == "add":
            return _gifts_add(args, services, out)
        if args.command == "gifts" and args.gifts_command == "import":
            return _gifts_import(args, services, out)
        if args.command == "summary":
            return _summary(args, services, out)
    except ImportRejected as exc:
        for problem in exc.errors:
            print(f"{args.file}: {problem}", file=err)
        print(f"error: {exc}", file=err)
        return EXIT_REFUSED
    except CompanionError as exc:
        field = getattr(exc, "field", None)
        print(f"error: {field + ': ' if field else ''}{exc}", file=err)
        return EXIT_REFUSED
    raise AssertionError(f"unhandled command {args.command!r}")


def _gifts_add(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    at = parse_instant(args.at, "at") if args.at else None
    event = services.gifts.log(args.gift, args.count, args.sender, at=at, coins_each=args.coins, stream_id=args.stream)
    where = f" into stream {event.stream_id}" if event.stream_id else ""
    print(
        f"logged {event.count} × {event.gift_name} from {event.sender or 'anonymous'}"
        f" = {event.diamonds} diamonds{where} (gift id {event.id})",
        file=out,
    )
    return EXIT_OK


def _gifts_import(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    result = services.gifts.import_csv(args.file)
    print(f"{args.file}: {result.describe()}", file=out)
    return EXIT_OK


def _summary(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    first: date | None = parse_local_date(args.first, "from") if args.first else None
    last: date | None = parse_local_date(args.last, "to") if args.last else None
    share = parse_share_percent(args.share) if args.share is not None else None
    summary = services.reports.summary(first, last, share_bps=share)
    data = summary.as_json()
    if args.json:
        print(json.dumps(data), file=out)
    else:
        period = f"{args.first or 'the beginning'} to {args.last or 'today'}"
        print(
            f"{period}: {data['gifts']} gifts ({data['items']} items), {data['diamonds']:,} diamonds"
            f" = {data['cash']} {data['currency']} at {data['share_percent']} %",
            file=out,
        )
    return EXIT_OK
