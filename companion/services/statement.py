"""Writing the monthly statement as a PDF file: a temp file beside the target, checked, then renamed into place.

The drawing needs Qt, which services never import: the caller hands in a `StatementRenderer` (Qt's, from
companion/render/, in the GUI and the CLI; a fake in tests). Qt's PDF writer does not report a failed write (a full
disk leaves a cut-short file and no error), so the file is checked before it may replace the target."""

from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path
from typing import Protocol

from companion.domain.errors import CompanionError
from companion.services.exports import Statement, atomic_output

#: Below this much free space a file that came out incomplete is put down to a full disk.
NEARLY_FULL_BYTES = 1 << 20
#: How far from its end a PDF keeps its `startxref` and `%%EOF` (readers look in the last 1,024 bytes).
_TAIL_BYTES = 1024
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


class StatementRenderer(Protocol):
    """Draws a statement as PDF; provided by the composition root (Qt's in companion/render/statement_pdf.py)."""

    def render(self, statement: Statement, path: Path) -> None:
        """Write the PDF at `path` (it exists, empty). May raise OSError; may also fail without a word."""

    def unreadable(self, path: Path) -> str | None:
        """Why a PDF reader cannot open `path`, or None (also when no reader is at hand)."""


class StatementNotWritten(CompanionError):
    """The PDF could not be written in full; the target was left as it was and no temp file remains."""


def pdf_problem(path: Path) -> str | None:
    """What makes `path` not a complete PDF file (empty, not a PDF, cut short), or None when it looks whole:
    header, `%%EOF` at the end, and a `startxref` pointing at a cross-reference inside the file."""
    size = path.stat().st_size
    if size == 0:
        return "the file is empty"
    with path.open("rb") as pdf:
        if pdf.read(5) != b"%PDF-":
            return "it does not start as a PDF"
        pdf.seek(max(0, size - _TAIL_BYTES))
        tail = pdf.read()
        found = _STARTXREF.search(tail)
        if found is None:
            return f"it is cut short at {size:,} bytes (no end-of-file marker)"
        offset = int(found.group(1))
        if offset >= size:
            return f"it is cut short (its index is at byte {offset:,} of {size:,})"
        pdf.seek(offset)
        start = pdf.read(24)
    if not (start.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj", start)):
        return "its index points to the wrong place"
    return None


def _full(folder: Path, exc: OSError | None) -> bool:
    if exc is not None and (exc.errno in (errno.ENOSPC, errno.EDQUOT) or "no space" in str(exc).lower()):
        return True
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def _not_written(folder: Path, why: str, exc: OSError | None = None) -> StatementNotWritten:
    if _full(folder, exc):
        try:
            free = f"{shutil.disk_usage(folder).free // 1024:,} KB free"
        except OSError:
            free = "no free space"
        return StatementNotWritten(
            f"no space left on the disk that holds {folder} ({free}); the statement was not written. "
            "Free some space, or choose another folder, and export again."
        )
    return StatementNotWritten(
        f"the statement could not be written in full to {folder} ({why}); nothing was saved. "
        f"Check the disk that holds {folder} and export again."
    )


def write_statement(statement: Statement, path: Path, renderer: StatementRenderer) -> Path:
    """Draw `statement` into a temp file beside `path`, check it, then rename it over `path` in one step.
    Raises StatementNotWritten (naming the target's folder) when the file did not come out whole."""
    path = Path(path)
    folder = path.parent.resolve()
    try:
        with atomic_output(path) as temp:
            try:
                renderer.render(statement, temp)
            except OSError as exc:
                raise _not_written(folder, exc.strerror or str(exc), exc) from exc
            # Checked while the temp file still holds its space: the free space then tells a full disk.
            problem = pdf_problem(temp) or renderer.unreadable(temp)
            if problem is not None:
                raise _not_written(folder, problem)
    except OSError as exc:  # the temp file could not be made, synced or renamed
        raise _not_written(folder, exc.strerror or str(exc), exc) from exc
    return path
