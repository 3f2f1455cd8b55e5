"""`companion gifts add` and `companion gifts import`."""

from __future__ import annotations

import argparse
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from companion.commands.common import EXIT_OK, non_negative_int, positive_int
from companion.domain.errors import ValidationError
from companion.domain.timeutil import parse_instant, zone

if TYPE_CHECKING:
    from companion.services import Services


def register(commands: Any) -> None:
    gifts = commands.add_parser("gifts", help="log or import received gifts")
    gift_commands = gifts.add_subparsers(dest="gifts_command", metavar="ACTION", required=True)
    add = gift_commands.add_parser("add", help="log one gift (into the live stream, if one is live)")
    add.add_argument("--gift", required=True, help="gift name as in the catalog, e.g. Rose")
    add.add_argument("--count", required=True, type=positive_int, help="how many were sent")
    add.add_argument("--sender", required=True, help="who sent it")
    add.add_argument("--at", help="when, ISO 8601 with offset (default: now)")
    add.add_argument("--coins", type=non_negative_int, help="coin price each (needed for gifts not in the catalog)")
    add.add_argument("--stream", type=positive_int, metavar="ID", help="log into this stream instead")
    add.set_defaults(handler=_add)
    imp = gift_commands.add_parser("import", help="import a file of gifts, all or nothing")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument(
        "--format",
        choices=["csv", "events"],
        default="csv",
        help="csv: the native gift CSV (default); events: an event log as live capture writes it",
    )
    imp.add_argument(
        "--map",
        metavar="PAIRS",
        help='CSV with other column names: "Date=received_at,User=sender,Gift Name=gift,Qty=count" (file column'
        "=our field; fields: received_at sender gift coins_each count stream; columns named as ours need no pair)",
    )
    imp.add_argument(
        "--date-format",
        choices=["iso", "dmy", "mdy", "unix", "unix-ms"],
        help="how the CSV writes times: iso (default), dmy (30/11/2026 19:05), mdy (11/30/2026 7:05 PM), unix"
        " (seconds), unix-ms; without it, Unix numbers are detected and said",
    )
    imp.add_argument(
        "--zone", metavar="AREA/CITY", help="zone of CSV times without an offset (default: the profile's zone)"
    )
    imp.set_defaults(handler=_import)


def _add(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    at = parse_instant(args.at, "at") if args.at else None
    event = services.gifts.log(args.gift, args.count, args.sender, at=at, coins_each=args.coins, stream_id=args.stream)
    where = f" into stream {event.stream_id}" if event.stream_id else ""
    print(
        f"logged {event.count} × {event.gift_name} from {event.sender or 'anonymous'}"
        f" = {event.diamonds} diamonds{where} (gift id {event.id})",
        file=out,
    )
    return EXIT_OK


def _import(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    if args.format == "events":
        if args.map or args.date_format or args.zone:
            raise ValidationError("--map, --date-format and --zone are for CSV files", field="format")
        result = services.gifts.import_file(args.file, args.format)
    else:
        from companion.services.import_preview import csv_plan, parse_column_map

        tz = _zone(args.zone) if args.zone else services.context.zone
        pairs = parse_column_map(args.map) if args.map is not None else None
        plan = csv_plan(args.file, pairs, args.date_format, tz)
        if plan.detected:
            print(f"note: {args.file}: times read as {plan.describe_times()}; --date-format to choose", file=err)
        result = services.gifts.import_csv(args.file, plan.mapping, times=plan.times)
    print(f"{args.file}: {result.describe()}", file=out)
    return EXIT_OK


def _zone(name: str) -> tzinfo:
    try:
        found = zone(name)
    except ValidationError as exc:
        raise ValidationError(str(exc), field="zone") from None
    assert found is not None  # (a name was given)
    return found
