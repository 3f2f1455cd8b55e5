"""The headless commands: argparse in, exit codes out. Each command group lives in `companion/commands/`.

Exit codes: 0 done, 2 the input was refused (nothing was written), 1 an unexpected failure (see the log)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from companion import APP_NAME, __version__
from companion.commands import MODULES
from companion.commands.common import EXIT_FAILED, EXIT_OK, EXIT_REFUSED
from companion.domain.errors import CompanionError, ImportRejected

if TYPE_CHECKING:
    from companion.services import Services

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_REFUSED", "build_parser", "run_command"]


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
    for module in MODULES:
        module.register(commands)
    return parser


def run_command(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    """Run one parsed command against the services; messages for the user go to `err`."""
    handler = getattr(args, "handler", None)
    if handler is None:
        raise AssertionError(f"unhandled command {args.command!r}")
    try:
        return int(handler(args, services, out, err))
    except ImportRejected as exc:
        source = getattr(args, "file", None)
        for problem in exc.errors:
            print(f"{source}: {problem}" if source else str(problem), file=err)
        print(f"error: {exc}", file=err)
        return EXIT_REFUSED
    except CompanionError as exc:
        field = getattr(exc, "field", None)
        print(f"error: {field + ': ' if field else ''}{exc}", file=err)
        return EXIT_REFUSED
    except Exception as exc:
        # a sum past SQLite's 64-bit integer (data stored before the per-gift bounds): a refusal, never raw SQL
        if not isinstance(exc, OverflowError) and "integer overflow" not in str(exc):
            raise
        print("error: a total is too large to compute (over 9.2×10^18); check for impossible gifts", file=err)
        return EXIT_REFUSED
