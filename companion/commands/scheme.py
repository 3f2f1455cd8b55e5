"""`companion scheme set KEY [--level NAME] [--from DATE]` and `companion scheme show --json` (the share history)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, TextIO

from companion.commands.common import EXIT_OK
from companion.domain.economics import share_percent_text
from companion.domain.timeutil import parse_local_date

if TYPE_CHECKING:
    from companion.services import Services


def register(commands: Any) -> None:
    scheme = commands.add_parser("scheme", help="your reward scheme and level over time")
    actions = scheme.add_subparsers(dest="scheme_command", metavar="ACTION", required=True)
    choose = actions.add_parser("set", help="from a date on, use this scheme (and level); earlier days keep theirs")
    choose.add_argument("scheme_key", metavar="SCHEME_KEY", help="e.g. classic, us-scaled-2025-02, custom")
    choose.add_argument("--level", metavar="NAME", help="a level of the scheme (default: its per-LIVE rules)")
    choose.add_argument("--from", dest="first", metavar="DATE", help="first local date it applies (default: today)")
    choose.set_defaults(handler=_set)
    show = actions.add_parser("show", help="the share history")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=_show)


def _set(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    first = parse_local_date(args.first, "from") if args.first else None
    period = services.economics.set_scheme(args.scheme_key, args.level, first)
    print(f"from {period.effective_from}: {period.label()}", file=out)
    return EXIT_OK


def _show(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    history = services.economics.share_history()
    entries = [
        {
            "from": p.effective_from.isoformat(),
            "scheme": p.scheme_key,
            "level": p.level_name,
            "share_percent": share_percent_text(p.share_bps) if p.share_bps is not None else None,
            "per_live_rules": p.rule_based,
        }
        for p in history
    ]
    if args.json:
        print(json.dumps(entries), file=out)
    else:
        for p in history:
            print(f"from {p.effective_from}: {p.label()}", file=out)
    return EXIT_OK
