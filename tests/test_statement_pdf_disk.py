"""Issue 12, defect 7: a PDF statement written to a full disk must fail, naming the disk, and leave the target as
it was — Qt's PDF writer itself reports nothing. A disk filling up is simulated by a file-size limit (writes past it
fail, as on a full disk), by /dev/full (every write fails with ENOSPC) behind the export's temp file, and by a
writer that silently stops short."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections import namedtuple
from pathlib import Path

import pytest

from companion.render.statement_pdf import QtStatementRenderer, write_statement_pdf
from companion.services import Services
from companion.services import statement as statement_module
from companion.services.exports import Statement
from companion.services.statement import StatementNotWritten, pdf_problem, write_statement
from tests.test_cli import _restore_process_state, cli  # noqa: F401  (the autouse fixture, the runner)

FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")
OLD = b"the statement from last time"


@pytest.fixture
def pdf_bytes(services: Services, tmp_path: Path, qapp) -> bytes:  # type: ignore[no-untyped-def]
    services.gifts.log("Rose", 10, "luna")
    return write_statement_pdf(services.exports.statement("2026-11"), tmp_path / "whole.pdf").read_bytes()


def temp_files_on_full_disk(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Temp files made in `folder` (the export's, beside its target) become links to /dev/full: they exist, and
    every byte written to them fails with ENOSPC, as on a disk that filled up."""
    real = tempfile.mkstemp

    def on_full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        handle, name = real(*args, **kwargs)
        if Path(name).parent == folder:
            os.unlink(name)
            os.symlink(FULL, name)
        return handle, name

    monkeypatch.setattr(tempfile, "mkstemp", on_full_disk)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@needs_dev_full
def test_qt_pdf_writer_itself_reports_nothing_on_a_full_disk(qapp) -> None:  # type: ignore[no-untyped-def]
    """Why the check exists: QPdfWriter on a path swallows ENOSPC."""
    from PySide6.QtGui import QPdfWriter, QTextDocument

    writer = QPdfWriter(str(FULL))
    document = QTextDocument()
    document.setHtml("<h1>Statement</h1>" * 40)
    document.print_(writer)  # no exception, no error to ask for
    del writer


# Runs in its own process: the file-size limit holds for every file the process writes.
_FILLS_UP = """
import resource, signal, sys
from pathlib import Path
from companion.services import build_services
from companion.store.db import open_database
from companion.render.statement_pdf import ensure_gui_application, write_statement_pdf

folder = Path(sys.argv[1])
services = build_services(open_database(folder / "data" / "companion.sqlite3", folder / "data" / "backups"))
services.gifts.log("Rose", 10, "luna", coins_each=1)
statement = services.exports.statement("2026-11")
ensure_gui_application()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG, like ENOSPC
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
try:
    write_statement_pdf(statement, folder / "nov.pdf")
    print("written")
except Exception as exc:
    print(f"{type(exc).__name__}: {exc}")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file-size limits")
def test_pdf_export_cut_short_by_the_disk_fails_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "nov.pdf"
    target.write_bytes(OLD)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _FILLS_UP, str(tmp_path)], capture_output=True, text=True, env=env, timeout=120
    )
    # Before the fix: "written", and nov.pdf held the first 4,096 bytes of a PDF.
    assert done.stdout.startswith(f"StatementNotWritten: the statement could not be written in full to {tmp_path}"), (
        done.stdout + done.stderr
    )
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


@needs_dev_full
def test_pdf_export_to_a_full_disk_fails_naming_the_disk(
    services: Services, tmp_path: Path, qapp, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    temp_files_on_full_disk(monkeypatch, tmp_path)
    target = tmp_path / "nov.pdf"
    target.write_bytes(OLD)
    with pytest.raises(StatementNotWritten, match=f"no space left on the disk that holds {tmp_path}"):
        write_statement_pdf(services.exports.statement("2026-11"), target)
    assert target.read_bytes() == OLD  # before the fix: replaced by the cut-short file, and "success"
    assert _leftovers(tmp_path) == []


@needs_dev_full
def test_cli_pdf_export_to_a_full_disk_exits_2_with_the_disk_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    out.mkdir()
    assert cli(capsys, data, "gifts", "add", "--gift", "Rose", "--count", "5", "--sender", "luna")[0] == 0
    temp_files_on_full_disk(monkeypatch, out)  # the export's folder only, not the database's
    code, text, err = cli(capsys, data, "export", "pdf", "--out", str(out / "nov.pdf"), "--month", "2026-11")
    assert code == 2, (text, err)
    assert f"no space left on the disk that holds {out}" in err and "wrote" not in text
    assert list(out.iterdir()) == []


class _SilentlyShort:
    """A writer like Qt's on a filling disk: it stops partway and says nothing."""

    def __init__(self, data: bytes, keep: int) -> None:
        self.data, self.keep = data, keep

    def render(self, statement: Statement, path: Path) -> None:
        path.write_bytes(self.data[: self.keep])

    def unreadable(self, path: Path) -> str | None:
        return None  # no reader at hand (the frozen app leaves QtPdf out): the structure check must suffice


def test_a_silently_cut_short_pdf_is_caught(services: Services, pdf_bytes: bytes, tmp_path: Path) -> None:
    target = tmp_path / "nov.pdf"
    target.write_bytes(OLD)
    statement = services.exports.statement("2026-11")
    for keep in (0, 3, len(pdf_bytes) // 2, len(pdf_bytes) - 7):
        with pytest.raises(StatementNotWritten, match=f"could not be written in full to {tmp_path}"):
            write_statement(statement, target, _SilentlyShort(pdf_bytes, keep))
        assert target.read_bytes() == OLD and _leftovers(tmp_path) == []
    assert write_statement(statement, target, _SilentlyShort(pdf_bytes, len(pdf_bytes))).read_bytes() == pdf_bytes


def test_a_cut_short_pdf_on_a_nearly_full_disk_is_called_a_full_disk(
    services: Services, pdf_bytes: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(statement_module.shutil, "disk_usage", lambda folder: usage(10**9, 10**9 - 4096, 4096))
    target = tmp_path / "nov.pdf"
    with pytest.raises(StatementNotWritten) as refused:
        write_statement(services.exports.statement("2026-11"), target, _SilentlyShort(pdf_bytes, 900))
    assert str(refused.value).startswith(f"no space left on the disk that holds {tmp_path} (4 KB free)")
    assert not target.exists() and _leftovers(tmp_path) == []


def test_pdf_problem_accepts_a_whole_pdf_and_names_what_is_wrong(pdf_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf_bytes)
    assert pdf_problem(path) is None
    cases = {
        b"": "the file is empty",
        b"<html>not a pdf</html>": "it does not start as a PDF",
        pdf_bytes[:-6]: "no end-of-file marker",
        pdf_bytes.replace(b"startxref\n", b"startxref\n9").rstrip(): "cut short",
    }
    for data, problem in cases.items():
        path.write_bytes(data)
        assert problem in (pdf_problem(path) or ""), data[-40:]


def test_the_qt_renderer_reads_its_pdf_back(pdf_bytes: bytes, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf_bytes)
    assert QtStatementRenderer().unreadable(path) is None
    path.write_bytes(pdf_bytes[: len(pdf_bytes) // 3])
    pytest.importorskip("PySide6.QtPdf")
    assert QtStatementRenderer().unreadable(path) is not None
