"""A pre-warmed process that forks one worker per crash trial, so a trial costs a fork, not an interpreter start.

The test talks to it over stdin/stdout, one command a line:

    import DATA_DIR FILE [FORMAT]  fork a worker that runs `gifts import FILE --format FORMAT` on DATA_DIR
    log DATA_DIR COUNT             fork a worker that logs COUNT gifts through `gifts add`, one commit each
    checkpoint DATABASE            fork a worker that copies DATABASE's committed WAL into it (wal_checkpoint)
    restore DATA_DIR BACKUP        fork a worker that runs `backup restore BACKUP` on DATA_DIR
    quit

It answers `pid <pid>` for each worker. A worker's own lines carry its pid: `out <pid> <what the CLI printed>`
and `exit <pid> <code>` when it ended by itself. The test kills workers with SIGKILL at random moments; workers
are reaped automatically (SIGCHLD ignored), so a gone pid means a gone process. POSIX only."""

from __future__ import annotations

import io
import os
import signal
import sys

# Everything a worker needs, imported once here, before any fork (no database is opened in this process).
import companion.app
import companion.cli
import companion.services
import companion.services.gifts
import companion.store.db
from companion.paths import app_paths


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))  # one write per line: lines of several workers never interleave


def _import(data_dir: str, file: str, fmt: str) -> int:
    """`gifts import` through the CLI handler; its output is passed on the moment the import returned
    (before the database is closed), so the test knows when the commit was acknowledged."""
    services = companion.app.open_services(app_paths(data_dir))
    args = companion.cli.build_parser().parse_args(["gifts", "import", file, "--format", fmt])
    out, err = io.StringIO(), io.StringIO()
    code = companion.cli.run_command(args, services, out, err)
    for line in (out.getvalue() + err.getvalue()).splitlines():
        _say(f"out {os.getpid()} {line}")
    services.db.dispose()
    return code


def _log(data_dir: str, count: int) -> int:
    paths = app_paths(data_dir)
    services = companion.app.open_services(paths)
    parser = companion.cli.build_parser()
    _say(f"out {os.getpid()} ready")  # the test starts its random delay from here
    for n in range(count):
        args = parser.parse_args(
            ["gifts", "add", "--gift", "Rose", "--count", str(1 + n % 7), "--sender", f"fan{n % 13}"]
        )
        out, err = io.StringIO(), io.StringIO()
        code = companion.cli.run_command(args, services, out, err)
        if code != 0:
            _say(f"out {os.getpid()} failed: {err.getvalue().strip()}")
            return code
        _say(f"out {os.getpid()} {out.getvalue().strip()}")  # printed only after the commit returned
    return 0


def _checkpoint(database: str) -> int:
    """What SQLite does at the end of a big import or when the last connection closes: copy the committed pages
    from the WAL into the database file, then empty the WAL. Prints `checkpointing` just before it starts."""
    import sqlite3

    con = sqlite3.connect(database, isolation_level=None)
    con.execute("PRAGMA wal_autocheckpoint=0")  # only the explicit checkpoint below copies pages
    con.execute("PRAGMA synchronous=FULL")
    con.execute("SELECT count(*) FROM gift_event").fetchone()  # reads the WAL in (recovery), as an open would
    _say(f"out {os.getpid()} checkpointing")
    busy, _, _ = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    _say(f"out {os.getpid()} checkpointed {busy}")
    con.close()
    return 0


def _restore(data_dir: str, backup: str) -> int:
    args = companion.cli.build_parser().parse_args(["backup", "restore", backup])
    args.paths = app_paths(data_dir).create()
    out, err = io.StringIO(), io.StringIO()
    _say(f"out {os.getpid()} restoring")
    code = companion.cli.run_command(args, None, out, err)  # type: ignore[arg-type]
    for line in (out.getvalue() + err.getvalue()).splitlines():
        _say(f"out {os.getpid()} {line}")
    return code


def main() -> None:
    companion.store.db.known_revisions()  # loads Alembic's scripts once, as a long-running app would have
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps workers: no zombies, pid gone = dead
    for raw in sys.stdin:
        command, *rest = raw.split()
        if command == "quit":
            return
        if command == "ping":  # answered after every line already written by workers that are gone
            _say("pong")
            continue
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            code = 1
            try:
                if command == "import":
                    code = _import(rest[0], rest[1], rest[2] if len(rest) > 2 else "csv")
                elif command == "log":
                    code = _log(rest[0], int(rest[1]))
                elif command == "checkpoint":
                    code = _checkpoint(rest[0])
                elif command == "restore":
                    code = _restore(rest[0], rest[1])
            finally:
                _say(f"exit {os.getpid()} {code}")
                os._exit(code)
        _say(f"pid {pid}")


if __name__ == "__main__":
    main()
