"""`companion streams add` (a past LIVE) and `companion streams list --json` (each LIVE with its share and why)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, TextIO

from companion.commands.common import EXIT_OK, non_negative_int
from companion.domain.economics import share_percent_text
from companion.domain.money import money_text
from companion.domain.timeutil import parse_instant, parse_local_date, resolved_zone

if TYPE_CHECKING:
    from companion.services import Services
    from companion.services.tracking import StreamOverview


def register(commands: Any) -> None:
    streams = commands.add_parser("streams", help="add past LIVEs, list LIVEs with the share each earned")
    actions = streams.add_subparsers(dest="streams_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="record a LIVE that already happened")
    add.add_argument("--start", required=True, help="when it started, ISO 8601 with offset")
    add.add_argument("--end", required=True, help="when it ended, ISO 8601 with offset")
    add.add_argument("--title", default="", help="title (default: 'Live DATE')")
    add.add_argument("--new-followers", type=non_negative_int, metavar="N", help="new followers during the LIVE")
    add.add_argument("--peak-viewers", type=non_negative_int, metavar="N", help="most viewers at once")
    add.set_defaults(handler=_add)
    listing = actions.add_parser("list", help="LIVEs with gifts, diamonds, share (and why) and cash")
    listing.add_argument("--from", dest="first", metavar="DATE", help="first local date, inclusive (YYYY-MM-DD)")
    listing.add_argument("--to", dest="last", metavar="DATE", help="last local date, inclusive (YYYY-MM-DD)")
    listing.add_argument("--json", action="store_true", help="print JSON (money and shares as strings)")
    listing.set_defaults(handler=_list)


def _add(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    start, end = parse_instant(args.start, "start"), parse_instant(args.end, "end")
    stream = services.streams.add_past(start, end, args.title, args.new_followers, args.peak_viewers)
    print(f"added stream {stream.id} “{stream.title}”", file=out)
    return EXIT_OK


def stream_json(line: StreamOverview, zone: Any, now: Any, tiktok: dict[int, int]) -> dict[str, object]:
    stream = line.stream
    end = stream.ended_at
    return {
        "id": stream.id,
        "title": stream.title,
        "start": stream.started_at.astimezone(zone).isoformat(),
        "end": end.astimezone(zone).isoformat() if end is not None else None,
        "minutes": int(stream.duration(now).total_seconds()) // 60,
        "gifts": line.totals.gifts,
        "diamonds": line.totals.diamonds,
        "share_percent": share_percent_text(line.share.share_bps),
        "share_reasons": list(line.share.reasons),
        "cash": money_text(line.cash, line.currency),
        "currency": line.currency,
        # TikTok's own total for this LIVE, once its data download was imported (`companion import tiktok`)
        "tiktok_diamonds": tiktok.get(stream.id),
    }


def _list(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    first = parse_local_date(args.first, "from") if args.first else None
    last = parse_local_date(args.last, "to") if args.last else None
    context = services.context
    zone = resolved_zone(services.profiles.get(services.profile_id).time_zone)
    now = context.now()
    chosen = []
    for line in reversed(services.streams.overview()):  # oldest first
        day = line.stream.started_at.astimezone(zone).date()
        if (first is None or day >= first) and (last is None or day <= last):
            chosen.append(line)
    tiktok = services.tiktok.tiktok_totals([line.stream.id for line in chosen])
    lines = [stream_json(line, zone, now, tiktok) for line in chosen]
    if args.json:
        print(json.dumps(lines), file=out)
        return EXIT_OK
    for item in lines:
        print(
            f"{item['id']:>5}  {item['start']}  {item['minutes']:>4} min  {item['diamonds']:>9} diamonds"
            f"  {item['share_percent']:>5} %  {item['cash']} {item['currency']}  {item['title']}",
            file=out,
        )
        print(f"       {'; '.join(item['share_reasons'])}", file=out)  # type: ignore[arg-type]
    return EXIT_OK
