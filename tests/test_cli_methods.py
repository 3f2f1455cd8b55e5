"""`companion methods …` through the real entry point (`companion.app.run`), secrets on stdin, a real Secret Service;
one test runs it as a separate process, as a user would."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from companion.app import run
from tests.credentials.test_keyring_store import entries
from tests.keyring_fixture import SecretService
from tests.test_cli import _restore_process_state  # noqa: F401

IBAN = "GB82WEST12345698765432"
Cli = Callable[..., subprocess.CompletedProcess[str]]


def process(env: dict[str, str], data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data), *args],
        input=stdin, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.fixture
def companion(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """In this process: `companion(env, data, *args, stdin=…)`, the result shaped like subprocess.run's."""

    def call(env: dict[str, str], data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            code = run(["--data-dir", str(data), *args])
        except SystemExit as exit_:  # argparse refusing the arguments
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, captured.out, captured.err)

    return call


def rows(data: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(data / "companion.sqlite3") as con:
        return list(
            con.execute("SELECT id, kind, label, hint, keyring_service, keyring_ref, fields FROM payment_method")
        )


def test_add_from_lines_and_json_then_list_and_remove(
    companion: Cli,
    secret_service: SecretService,
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    added = process(secret_service.env, data, "methods", "add", "--kind", "paypal", "--label", "PayPal main",
                      stdin="# my paypal\nemail = paula@example.com\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "added payment method 1: PayPal main (p•••@example.com)"
    bank = json.dumps({"holder": "Ada Lovelace", "iban": IBAN, "routing": "021000021"})
    added = companion(secret_service.env, data, "methods", "add", "--kind", "bank", "--label", "Savings", stdin=bank)
    assert added.returncode == 0, added.stderr

    listed = companion(secret_service.env, data, "methods", "list")
    assert listed.stdout.splitlines() == [
        "1\tPayPal\tPayPal main\tp•••@example.com",
        "2\tBank account\tSavings\t•••• 5432",
    ]
    as_json = json.loads(companion(secret_service.env, data, "methods", "list", "--json").stdout)
    assert [(m["id"], m["hint"]) for m in as_json] == [(1, "p•••@example.com"), (2, "•••• 5432")]

    (_, _, _, _, service, ref, fields), _ = rows(data)
    assert fields == "email"
    assert entries(service)[f"{ref}/email"] == "paula@example.com"

    removed = companion(secret_service.env, data, "methods", "remove", "1")
    assert removed.returncode == 0, removed.stderr
    assert not [u for u in entries(service) if u.startswith(ref)]
    assert [r[0] for r in rows(data)] == [2]


def test_a_secret_is_never_taken_from_argv(
    companion: Cli,
    secret_service: SecretService,
    tmp_path: Path,
) -> None:
    refused = companion(secret_service.env, tmp_path, "methods", "add", "--kind", "paypal", "--label", "P",
                        "--email", "a@example.com")  # fmt: skip
    assert refused.returncode == 2
    assert "unrecognized arguments: --email" in refused.stderr


@pytest.mark.parametrize(
    ("kind", "stdin", "message"),
    [
        ("bank", '{"holder": "Ada", "iban": "GB83WEST12345698765432"}', "error: iban: check digits do not match"),
        ("paypal", "paula@example.com\n", "error: stdin: standard input line 1: expected field=value"),
        ("paypal", "", "error: email: is required"),
        ("other", "Note=" + "x" * 1281, "error: Note: Note is 1,281 characters long"),
    ],
)
def test_bad_input_is_refused_with_exit_2_and_nothing_stored(
    companion: Cli,
    secret_service: SecretService,
    tmp_path: Path,
    kind: str,
    stdin: str,
    message: str,
) -> None:
    refused = companion(secret_service.env, tmp_path, "methods", "add", "--kind", kind, "--label", "L", stdin=stdin)
    assert refused.returncode == 2
    assert message in refused.stderr
    assert rows(tmp_path) == []
    assert "paula" not in refused.stderr and "GB83" not in refused.stderr


def test_a_fail_backend_refuses_naming_the_keyring(
    companion: Cli,
    secret_service: SecretService,
    tmp_path: Path,
) -> None:
    env = dict(secret_service.env, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    refused = process(env, tmp_path, "methods", "add", "--kind", "paypal", "--label", "P", stdin="email=a@ex.com")
    assert refused.returncode == 2
    assert "keyring.backends.fail.Keyring" in refused.stderr
    assert "gnome-keyring" in refused.stderr  # what to install on this OS
    assert rows(tmp_path) == []


def test_check_reports_and_cleans_leftovers(
    companion: Cli,
    secret_service: SecretService,
    tmp_path: Path,
) -> None:
    added = companion(secret_service.env, tmp_path, "methods", "add", "--kind", "paypal", "--label", "P",
                      stdin="email=a@example.com")  # fmt: skip
    assert added.returncode == 0, added.stderr
    with sqlite3.connect(tmp_path / "companion.sqlite3") as con:
        con.execute("DELETE FROM payment_method")  # the row is gone, its keyring entries are not
    checked = companion(secret_service.env, tmp_path, "methods", "check")
    assert checked.stdout.startswith("1 saved secret in the keyring without a payment method")
    cleaned = companion(secret_service.env, tmp_path, "methods", "check", "--clean")
    assert "cleaned 1" in cleaned.stdout
    checked = companion(secret_service.env, tmp_path, "methods", "check")
    assert checked.stdout.strip() == "the keyring and the payment methods match"


@pytest.mark.parametrize(
    "stdin",
    [
        '{"password": ' + "9" * 5000 + "}",  # over Python's 4,300-digit limit for a JSON integer
        '{"password": ' + "[" * 100_000 + "]" * 100_000 + "}",  # nested past the recursion limit
    ],
)
def test_json_that_cannot_be_read_on_stdin_is_refused_with_exit_2(
    companion: Cli, secret_service: SecretService, tmp_path: Path, stdin: str
) -> None:
    refused = companion(secret_service.env, tmp_path, "methods", "add", "--kind", "other", "--label", "L", stdin=stdin)
    assert refused.returncode == 2  # was 1: ValueError / RecursionError
    assert "standard input is not a JSON object" in refused.stderr
    assert rows(tmp_path) == []


def test_an_other_hint_that_showed_a_secrets_tail_is_cleared(companion: Cli, tmp_path: Path) -> None:
    assert companion({}, tmp_path, "methods", "list").returncode == 0
    with sqlite3.connect(tmp_path / "companion.sqlite3") as con:  # as saved before hints were limited
        con.execute(
            "INSERT INTO payment_method (profile_id, kind, label, hint, keyring_service, keyring_ref, fields,"
            " created_at) VALUES (1, 'other', 'Vault', '•••• xyzw', 'svc', 'ref', 'password', 0),"
            " (1, 'bank', 'Savings', '•••• 3000', 'svc', 'ref2', 'holder,iban', 0)"
        )
    listed = companion({}, tmp_path, "methods", "list", "--json")
    assert [m["hint"] for m in json.loads(listed.stdout)] == ["•••• 3000", "••••"]
    assert [r[3] for r in rows(tmp_path)] == ["••••", "•••• 3000"]  # cleared in the database too
