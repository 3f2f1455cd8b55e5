"""`companion project [--days N] [--json]`: the next days' cash as a p10 / p50 / p90 band."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, TextIO

from companion.commands.common import EXIT_OK, int_at_least
from companion.domain.projection import MAX_DAYS
from companion.services.projections import coverage_line

if TYPE_CHECKING:
    from companion.services import Services


def _days(text: str) -> int:
    value = int_at_least(1)(text)
    if value > MAX_DAYS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_DAYS} (got {value})")
    return value


def register(commands: Any) -> None:
    project = commands.add_parser("project", help="projected cash of the next days, as a band (p10–p90)")
    project.add_argument("--days", type=_days, default=30, metavar="N", help="days ahead, from tomorrow (default 30)")
    project.add_argument("--json", action="store_true", help="print JSON (money as strings)")
    project.set_defaults(handler=_project)


def _project(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    view = services.projections.project(args.days)
    data = view.as_json()
    if view.note:
        print(f"note: figures {view.note}", file=err)
    if args.json:
        print(json.dumps(data), file=out)
        return EXIT_OK
    if view.basis_days == 0:
        print("no complete day of gift history yet: nothing to project from", file=out)
        return EXIT_OK
    print(
        f"next {args.days} days: probably {data['p10']}–{data['p90']} {data['currency']} (middle {data['p50']})."
        f" Based on {view.basis_days} days of your history; gift income is lumpy.",
        file=out,
    )
    line = coverage_line(view.calibration, view.coverage, view.basis_days)
    if line:
        print(line, file=out)
    if view.biggest_day:
        print(f"One big night can add {data['biggest_day']} {data['currency']} (your best day so far).", file=out)
    return EXIT_OK
