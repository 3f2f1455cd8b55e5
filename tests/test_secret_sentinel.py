"""A sentinel secret, typed through the GUI and piped to the CLI, must end up in the keyring and nowhere else:
not in the database or its WAL, logs, backups, exports, stdout or stderr — also when things go wrong."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from companion.app import setup_logging
from companion.services import build_services
from companion.store.db import open_database
from companion.store.methods_repo import MethodRepo
from companion.ui.main_window import MainWindow
from companion.ui.pages.methods import MethodsPage
from tests.conftest import CATALOG
from tests.keyring_fixture import SecretService
from tests.test_cli import _restore_process_state  # noqa: F401  (undo the log handler setup_logging adds)
from tests.ui.conftest import app_look  # noqa: F401  (the app's look, as in every GUI test)

SENTINEL = "Sntl" + secrets.token_hex(8)
IBAN = "DE89370400440532013000"


def encodings(text: str) -> list[bytes]:
    """How the sentinel could appear in a file: UTF-8 (any case) or UTF-16 (Qt, Windows tools)."""
    return [form.encode(enc) for form in {text, text.lower(), text.upper()} for enc in ("utf-8", "utf-16-le")]


def hits(folder: Path, text: str) -> list[str]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        content = path.read_bytes()
        if any(form in content for form in encodings(text)):
            found.append(str(path.relative_to(folder)))
    return found


def companion(env: dict[str, str], data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data), *args],
        input=stdin, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_search_finds_a_planted_sentinel(tmp_path: Path) -> None:
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "x.log").write_bytes(f"…{SENTINEL.upper()}…".encode("utf-16-le"))
    assert hits(tmp_path, SENTINEL) == ["deep/er/x.log"]


def test_the_sentinel_stays_in_the_keyring(
    qtbot: QtBot,
    qapp,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    secret_service: SecretService,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    outputs: list[str] = []

    # ---- the GUI, in this process, logging into the data folder as the app does -----------------------
    setup_logging(data / "logs", verbose=True)
    db = open_database(data / "companion.sqlite3", data / "backups")
    services = build_services(db, CATALOG)
    window = MainWindow(services, data / "logs")
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("methods")
    assert isinstance(page, MethodsPage)
    qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=5000)

    def add_in_dialog(kind_index: int, label: str, fill: dict[str, str]) -> None:
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
        dialog = page.dialog
        dialog.kind_box.setCurrentIndex(kind_index)
        qtbot.keyClicks(dialog.label_edit, label)
        for name, value in fill.items():
            if dialog.other_rows:
                row = len([n for n, _ in dialog.other_rows if n.text()])
                qtbot.keyClicks(dialog.other_rows[row][0], name)
                qtbot.keyClicks(dialog.other_rows[row][1], value)
            else:
                qtbot.keyClicks(dialog.edits[name], value)
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=5000)

    add_in_dialog(0, "PayPal GUI", {"email": f"{SENTINEL}@example.com"})
    add_in_dialog(3, "Wise GUI", {"Tag": f"@{SENTINEL}", "Note": f"pin {SENTINEL}"})
    # Refused input (logged as refused): a mistyped IBAN with the sentinel as holder.
    add_in_dialog(1, "Bank GUI", {"holder": SENTINEL, "iban": "DE88370400440532013000"})
    assert "mod-97" in page.dialog.error_label.text()
    page.dialog.reject()
    # An unexpected failure while a secret is in flight (logged with its traceback).
    monkeypatch.setattr(MethodRepo, "add", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk on fire")))
    add_in_dialog(0, "PayPal crash", {"email": f"crash.{SENTINEL}@example.com"})
    monkeypatch.undo()
    page.dialog.reject()
    assert "disk on fire" in (data / "logs" / "companion.log").read_text(encoding="utf-8")
    qtbot.waitUntil(lambda: len(page.methods) == 2, timeout=5000)

    # Reveal and copy (each reads the keyring), then let the clipboard clear.
    page.confirm = lambda title, text: True
    page.table.selectRow(0)
    qtbot.mouseClick(page.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(SENTINEL in v.text() for v in page.value_labels.values()), timeout=5000)
    page.clipboard._timer.setInterval(200)
    qtbot.mouseClick(next(iter(page.copy_buttons.values())), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: SENTINEL in QGuiApplication.clipboard().text(), timeout=5000)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=5000)
    page.hide_secrets()

    # ---- the CLI, as separate processes on the same data folder --------------------------------------------
    env = secret_service.env
    (data / "exports").mkdir()
    runs = [
        companion(env, data, "methods", "add", "--kind", "bank", "--label", "Bank CLI",
                  stdin=f"holder=Ada {SENTINEL}\niban={IBAN}\nbank_name=Bank of {SENTINEL}\n"),
        companion(env, data, "methods", "add", "--kind", "payoneer", "--label", "Payoneer CLI",
                  stdin=f'{{"email": "{SENTINEL}@payoneer.example", "account_id": "{SENTINEL}"}}'),
        companion(env, data, "methods", "add", "--kind", "bank", "--label", "Bad CLI",
                  stdin=f"holder={SENTINEL}\niban=DE88370400440532013000\n"),  # refused: exit 2
        companion(env, data, "methods", "add", "--kind", "paypal", "--label", "Bad line",
                  stdin=f"{SENTINEL}@example.com\n"),  # refused: not field=value
        companion(env, data, "methods", "list"),
        companion(env, data, "methods", "list", "--json"),
        companion(env, data, "methods", "check"),
        companion(env, data, "export", "csv", "--out", str(data / "exports" / "gifts.csv")),
        companion(env, data, "export", "qif", "--out", str(data / "exports" / "ledger.qif")),
        companion(env, data, "export", "pdf", "--out", str(data / "exports" / "statement.pdf")),
        companion(env, data, "backup", "create"),
    ]  # fmt: skip
    codes = [run.returncode for run in runs]
    assert codes == [0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0], [run.stderr for run in runs]
    outputs += [run.stdout + run.stderr for run in runs]
    assert "Bank CLI" in runs[4].stdout and "•••• 3000" in runs[4].stdout

    # ---- the secrets are really in the keyring (so the searches below could have found them) ---------------
    labels = {m.label: m.id for m in services.methods.list()}
    assert set(labels) == {"PayPal GUI", "Wise GUI", "Bank CLI", "Payoneer CLI"}
    assert services.methods.reveal(labels["Bank CLI"])["holder"] == f"Ada {SENTINEL}"
    assert services.methods.reveal(labels["PayPal GUI"]) == {"email": f"{SENTINEL}@example.com"}

    window.close()
    window.tasks.shutdown()
    db.dispose()
    captured = capfd.readouterr()
    outputs += [captured.out, captured.err]

    exports = sorted(p.name for p in (data / "exports").iterdir())
    assert exports == ["gifts.csv", "ledger.qif", "statement.pdf"]
    assert list((data / "backups").iterdir()), "a backup was made"
    searched = {str(p.relative_to(data)) for p in data.rglob("*") if p.is_file()}
    assert {"companion.sqlite3", "logs/companion.log"} <= searched
    assert hits(data, SENTINEL) == []
    forms = {SENTINEL, SENTINEL.lower(), SENTINEL.upper()}
    assert [o for o in outputs if any(form in o for form in forms)] == []


def test_a_fail_backend_refuses_and_the_sentinel_goes_nowhere(
    tmp_path: Path,
    secret_service: SecretService,
) -> None:
    env = dict(secret_service.env, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    data = tmp_path / "data"
    refused = companion(env, data, "methods", "add", "--kind", "paypal", "--label", "P",
                        stdin=f"email={SENTINEL}@example.com")  # fmt: skip
    assert refused.returncode == 2
    assert "keyring.backends.fail.Keyring" in refused.stderr and "cannot hold secrets" in refused.stderr
    assert SENTINEL not in refused.stdout + refused.stderr
    listed = companion(env, data, "methods", "list", "--json")
    assert listed.stdout.strip() == "[]"
    assert hits(data, SENTINEL) == []
