"""Whether an SQLite file can be trusted: its header, SQLite's own integrity check (with the WAL beside it), a
full disk told apart from damage, and whether the file is one of ours (before a restore installs it)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import time
from collections.abc import Collection
from pathlib import Path

from companion.faults import disk_is_full
from companion.paths import PRIVATE_FILE

SQLITE_MAGIC = b"SQLite format 3\x00"

#: `PRAGMA application_id` of every Creator Companion database: the four ASCII bytes "CrCo". Set on open (see
#: db.claim_database); a backup made before it was introduced carries 0 and is recognised by its schema instead.
APPLICATION_ID = 0x4372436F

#: Tables every revision of our schema has (from 0001_baseline on); a file without them is not one of ours.
REQUIRED_TABLES = frozenset({"profile", "gift_type", "gift_price", "stream", "gift_event", "setting"})

_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26


def wal_of(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. Without a WAL beside it everything is in the main file, so it is opened
    immutable, which creates no -wal/-shm files next to it; with one, read-only mode reads the WAL too, which is
    how SQLite recovers a checkpoint cut off by a crash (the main file may then be shorter than its header says).
    Error texts and results are decoded leniently: a damaged file can hold any bytes."""
    mode = "ro" if wal_of(path).exists() else "ro&immutable=1"
    # as_uri() percent-encodes the path, so a folder named `what?` or `a%41b` is opened where it is
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)
    connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
    return connection


def header_problem(header: bytes) -> str | None:
    """What is wrong with the first 100 bytes of a database file that SQLite itself would not call damage
    (a changed write version makes SQLite open the file read-only, which looks like a read-only folder)."""
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return "not an SQLite database"
    write_version, read_version = header[18], header[19]
    if write_version not in (1, 2) or read_version not in (1, 2):
        return f"its header is changed: format version {write_version}/{read_version}, where SQLite writes 1 or 2"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"its header is changed: page size {page_size}"
    if header[21:24] != b"\x40\x20\x20":
        return "its header is changed: payload fractions"
    return None


def _full_disk_error(exc: BaseException, folder: Path) -> OSError | None:
    """An ENOSPC error when `exc` (an SQLite error met while checking a file in `folder`) means a full disk."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _SQLITE_FULL or (primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN) and disk_is_full(folder)):
        return OSError(errno.ENOSPC, f"no space left on the disk that holds {folder}", str(folder))
    return None


def is_damage(exc: BaseException) -> bool:
    """Whether an error met while reading a database means the file is damaged (not busy, full or unwritable)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, UnicodeError) or (isinstance(code, int) and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB))


def integrity_problem(path: Path, thorough: bool = False, light: bool = False) -> str | None:
    """Why the SQLite file at `path` is unusable, or None when it passes. Opens it read-only: writes nothing.
    `thorough` runs PRAGMA integrity_check (also checks indexes); otherwise the faster quick_check; `light` only
    reads the header and the schema (milliseconds: for a file closed cleanly and untouched since). Damage is
    judged only on the header and on what SQLite reports, and any SQLite error counts as damage — except a full
    disk, raised as OSError(ENOSPC), since that is no reason to give up the file."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not header:
        return None  # an empty file is a database not created yet
    problem = header_problem(header)
    if problem is not None:
        return problem
    try:
        connection = open_read_only(path)
        try:
            if light:
                connection.execute("SELECT count(*), max(name) FROM sqlite_master").fetchall()
                rows = [("ok",)]
            else:
                pragma = "integrity_check" if thorough else "quick_check"
                rows = connection.execute(f"PRAGMA {pragma}(5)").fetchall()
        finally:
            connection.close()
    except (sqlite3.Error, UnicodeError, ValueError) as exc:  # the driver decodes SQLite's error text strictly
        full = _full_disk_error(exc, path.parent)
        if full is not None:
            raise full from exc
        return _plain(str(exc)) if isinstance(exc, sqlite3.Error) else "SQLite cannot read its own table names"
    results = [_plain(str(r[0]).replace("*** in database main ***", "")) for r in rows]
    return None if results == ["ok"] else "; ".join(r for r in results if r)


def _plain(text: str) -> str:
    return " ".join(text.split())


def identity_problem(path: Path, known_revisions: Collection[str]) -> str | None:
    """Why the (sound) SQLite file at `path` is not a Creator Companion database this version can use, or None:
    another app's application id, no schema revision, a revision this version does not know (a newer app made
    it), or tables missing."""
    try:
        connection = open_read_only(path)
        try:
            app_id = connection.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revisions = (
                [r[0] for r in connection.execute("SELECT version_num FROM alembic_version")]
                if "alembic_version" in tables
                else []
            )
        finally:
            connection.close()
    except (sqlite3.Error, UnicodeError, ValueError) as exc:
        return f"it cannot be read ({_plain(str(exc))})"
    if app_id not in (0, APPLICATION_ID):
        return f"it is another app's database (application id {app_id:#010x}), not a Creator Companion backup"
    if not revisions:
        return "it is not a Creator Companion backup (it has no schema revision)"
    if len(revisions) != 1 or revisions[0] not in known_revisions:
        shown = ", ".join(map(str, revisions))
        if app_id == APPLICATION_ID:
            return f"it was made by a newer version of Creator Companion (schema {shown}); update the app first"
        return f"its schema ({shown}) is unknown: it was made by another app or a newer version of Creator Companion"
    missing = sorted(REQUIRED_TABLES - tables)
    if missing:
        return f"it is not a Creator Companion backup (tables missing: {', '.join(missing)})"
    return None


# ---- when the full-file check must run ---------------------------------------------------------------------
# `PRAGMA quick_check` reads the whole file (≈ 0.4 s at a million gifts), too much for every start and every
# command. It runs when the file may have changed in a way nobody saw: after an unclean shutdown (no marker),
# after a restore (the marker is removed), when anything touched the file since our clean close (its size, inode,
# change time or modification time differ from the marker's), and on a schedule in the background.

#: The full check runs in the background when the last one passed longer ago than this.
CHECK_EVERY_SECONDS = 7 * 86_400


def clean_marker(path: Path) -> Path:
    """Written on a clean close, removed when the database is opened: its absence means "check first"."""
    return path.with_name(path.name + ".clean")


def checked_marker(path: Path) -> Path:
    """Its modification time is when the last full check passed."""
    return path.with_name(path.name + ".checked")


def _fingerprint(path: Path) -> dict[str, int]:
    info = path.stat()
    return {"size": info.st_size, "ino": info.st_ino, "mtime_ns": info.st_mtime_ns, "ctime_ns": info.st_ctime_ns}


def mark_clean(path: Path) -> bool:
    """After every connection is closed: record the file as it is, so the next open can skip the full check
    unless something changed it. Not written while a -wal with content is left (another process still has the
    database open, or the checkpoint did not finish). Best effort; returns whether the marker was written."""
    marker = clean_marker(path)
    try:
        wal = wal_of(path)
        if not path.exists() or (wal.exists() and wal.stat().st_size):
            return False
        stamp = _fingerprint(path)
        for _ in range(50):
            # The marker must be strictly newer than the file: then any later write gives the file a time at
            # least the marker's, which cannot equal the time recorded (a coarse clock tick would hide it).
            _write_private(marker, json.dumps(stamp).encode())
            if marker.stat().st_mtime_ns > stamp["mtime_ns"] and marker.stat().st_mtime_ns > stamp["ctime_ns"]:
                return True
            time.sleep(0.002)
        marker.unlink(missing_ok=True)
    except OSError:
        with contextlib.suppress(OSError):
            marker.unlink(missing_ok=True)
    return False


def closed_cleanly(path: Path) -> bool:
    """Whether the database was closed cleanly and nothing touched it since: the marker's record matches the
    file, no -wal is left, and the marker is newer than the file. The marker stays: while the app has the file
    open, any write changes the file (or leaves a -wal), which is enough to tell."""
    marker = clean_marker(path)
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
        marker_time = marker.stat().st_mtime_ns
        now = _fingerprint(path)
    except (OSError, ValueError):
        return False
    return not wal_of(path).exists() and now == recorded and marker_time > now["mtime_ns"]


def _write_private(path: Path, data: bytes) -> None:
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.write(handle, data)
    finally:
        os.close(handle)


def record_checked(path: Path) -> None:
    with contextlib.suppress(OSError):
        _write_private(checked_marker(path), b"")
        os.utime(checked_marker(path))


def check_due(path: Path, now: float | None = None) -> bool:
    """Whether the scheduled full check is due (none passed within CHECK_EVERY_SECONDS)."""
    try:
        last = checked_marker(path).stat().st_mtime
    except OSError:
        return True
    return (time.time() if now is None else now) - last >= CHECK_EVERY_SECONDS
