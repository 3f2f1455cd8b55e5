"""One module per command group. Each module has `register(commands)`, which adds its argparse sub-parser(s)
and sets `handler=` on them: `handler(args, services, out, err) -> exit code`.

Add a new group by writing a module here and listing it in `MODULES` (order = order in `--help`)."""

from __future__ import annotations

from companion.commands import backup, export, gifts, importing, methods, project, scheme, streams, summary

MODULES = [gifts, streams, summary, scheme, project, methods, export, backup, importing]
