"""Entry point for `python -m companion` and the `companion` launcher."""

from __future__ import annotations

import sys


def main() -> int:
    from companion.app import run

    return run(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
