"""`companion export csv|pdf|qif` and `companion backup create|list|restore`, through the real entry point;
a damaged database makes every command exit non-zero with the same message, and restore still works."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import _restore_process_state, cli  # noqa: F401  (the autouse fixture, the runner)

HEADER = "received_at,sender,gift,coins_each,count,stream"


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "data"
    source = tmp_path / "in.csv"
    source.write_text(
        f"{HEADER}\n2026-11-01T20:15:00+01:00,=luna,Rose,,5,Friday\n2026-10-01T20:15:00Z,mike,Rose,,7,\n",
        encoding="utf-8",
    )
    assert cli(capsys, folder, "gifts", "import", str(source))[0] == 0
    return folder


def test_export_csv_month_and_reimport(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "nov.csv"
    code, text, err = cli(capsys, data, "export", "csv", "--out", str(out), "--month", "2026-11")
    assert code == 0, err
    assert "wrote 1 gifts" in text
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == HEADER and len(lines) == 2
    assert ",\u00a0=luna,Rose,1,5,Friday" in lines[1]
    code, text, _ = cli(capsys, data, "gifts", "import", str(out))
    assert code == 0 and "imported 0 gifts" in text


def test_export_qif_and_pdf(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    qif = tmp_path / "all.qif"
    assert cli(capsys, data, "export", "qif", "--out", str(qif))[0] == 0
    assert qif.read_text(encoding="utf-8").count("PTikTok LIVE gifts") == 2
    pdf = tmp_path / "oct.pdf"
    code, text, err = cli(capsys, data, "export", "pdf", "--out", str(pdf), "--month", "2026-10")
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF") and "October 2026" in text


def test_export_refuses_a_bad_month_and_a_missing_folder(data: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli(capsys, data, "export", "csv", "--out", str(tmp_path / "x.csv"), "--month", "11-2026")
    assert code == 2 and "month" in err
    code, _, err = cli(capsys, data, "export", "csv", "--out", str(tmp_path / "nope" / "x.csv"))
    assert code == 2 and "does not exist" in err


def test_backup_create_list_restore(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text, err = cli(capsys, data, "backup", "create")
    assert code == 0, err
    made = Path(text.split("backup written: ")[1].split(" (")[0])
    assert made.is_file()
    assert cli(capsys, data, "gifts", "add", "--gift", "Rose", "--count", "100", "--sender", "x")[0] == 0
    code, text, _ = cli(capsys, data, "backup", "list")
    assert code == 0 and str(made) in text
    code, text, err = cli(capsys, data, "backup", "restore", str(made))
    assert code == 0, err
    assert "the previous database was kept as" in text
    code, text, _ = cli(capsys, data, "summary", "--json")
    assert '"items": 12' in text  # the gift logged after the backup is gone


def test_damaged_database_every_command_refuses_then_restore_works(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, _ = cli(capsys, data, "backup", "create")
    made = Path(text.split("backup written: ")[1].split(" (")[0])
    database = data / "companion.sqlite3"
    damaged = database.read_bytes()[:10000]
    database.write_bytes(damaged)
    for args in (["summary", "--json"], ["export", "csv", "--out", str(tmp_path / "x.csv")], ["backup", "create"]):
        code, out, err = cli(capsys, data, *args)
        assert code == 2 and out == ""
        assert "is damaged" in err and str(made) in err and "companion backup restore" in err
    assert database.read_bytes() == damaged
    assert not (tmp_path / "x.csv").exists()
    code, text, err = cli(capsys, data, "backup", "restore", str(made))
    assert code == 0, err
    kept = Path(text.split("kept as ")[1].strip())
    assert kept.read_bytes() == damaged and kept.name.endswith("-damaged.sqlite3")
    code, text, _ = cli(capsys, data, "summary", "--json")
    assert code == 0 and '"items": 12' in text


def test_restore_refuses_a_damaged_backup(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    code, _, err = cli(capsys, data, "backup", "restore", str(bad))
    assert code == 2 and "damaged" in err and "nothing was changed" in err
    assert cli(capsys, data, "summary", "--json")[0] == 0
