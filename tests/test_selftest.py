"""`--self-test`: each check on its own (resources, migrations, the build manifest, icons, the keyring probe,
logged errors), and the whole self-test in a real process: it fails on the fail keyring backend and on a page
that cannot be built, and passes with a real Secret Service, leaving nothing in the keyring."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from companion import __version__
from companion.credentials.keyring_store import KeyringCredentialStore
from companion.credentials.memory import InMemoryCredentialStore
from companion.paths import ENV_DATA_DIR
from companion.services import diagnostics
from companion.store.db import MIGRATIONS_DIR
from companion.ui import selftest
from companion.ui.pages import PAGES
from tests.keyring_fixture import SecretService

pytestmark = pytest.mark.usefixtures("qapp")  # QImage needs Qt's image plugins loaded by an application

TIMEOUT = 90
MIGRATIONS = sorted(p.relative_to(MIGRATIONS_DIR).as_posix() for p in MIGRATIONS_DIR.rglob("*.py"))


@pytest.fixture
def resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A resources folder holding exactly the required files, copied from the real one."""
    folder = tmp_path / "resources"
    real = diagnostics.resource_path()
    for name in diagnostics.REQUIRED_RESOURCES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes((real / name).read_bytes())
    for module in (diagnostics, selftest):  # the resources' check and the images' check
        monkeypatch.setattr(module, "resource_path", lambda *parts: folder.joinpath(*parts))
    return folder


# --- resources, migrations, manifest ---------------------------------------------------------------------------


def test_the_real_resources_pass() -> None:
    assert diagnostics.resource_problems(None) == []
    assert selftest.image_problems() == []


def test_a_missing_or_empty_resource_fails(resources: Path) -> None:
    assert diagnostics.resource_problems(None) == []
    (resources / "style.qss").unlink()
    (resources / "icons" / "app.png").write_bytes(b"")
    assert diagnostics.resource_problems(None) == [
        "resource empty: icons/app.png",
        f"resource missing: style.qss (looked in {resources})",
    ]


def test_every_resource_the_build_listed_is_checked(resources: Path) -> None:
    manifest = {"resources": ["reward_schemes.json", "gifts.json"], "migrations": []}
    assert diagnostics.resource_problems(manifest) == [f"resource missing: reward_schemes.json (looked in {resources})"]
    (resources / "reward_schemes.json").write_text("{not json", encoding="utf-8")
    (problem,) = diagnostics.resource_problems(manifest)
    assert problem.startswith("resource reward_schemes.json is not valid JSON")


def test_an_undrawable_icon_fails(resources: Path) -> None:
    (resources / "icons" / "app.svg").write_text("<svg this is not", encoding="utf-8")
    assert selftest.image_problems() == ["cannot draw icons/app.svg: Qt's image plugin for .svg is missing"]


def test_migrations_are_checked_only_against_a_build_manifest() -> None:
    assert diagnostics.migration_problems(None) == []
    assert diagnostics.migration_problems({"version": __version__, "migrations": MIGRATIONS}) == []
    extra = {"version": __version__, "migrations": [*MIGRATIONS, "versions/0099_x.py"]}
    assert diagnostics.migration_problems(extra) == [
        f"migration missing: versions/0099_x.py (looked in {MIGRATIONS_DIR})"
    ]
    assert diagnostics.migration_problems({"version": "0.0.1", "migrations": []}) == [
        f"build manifest is for version 0.0.1, the app is {__version__}"
    ]


def test_the_manifest_is_read_from_a_frozen_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diagnostics.build_manifest() is None  # from source
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    missing = diagnostics.build_manifest()
    assert missing is not None and "cannot read the build manifest" in missing["error"]
    assert diagnostics.migration_problems(missing)[0] == missing["error"]
    written = {"version": __version__, "resources": ["gifts.json"], "migrations": MIGRATIONS}
    (tmp_path / diagnostics.BUILD_MANIFEST).write_text(json.dumps(written), encoding="utf-8")
    assert diagnostics.build_manifest() == written


# --- keyring probe and logged errors ---------------------------------------------------------------------------


def test_keyring_probe_round_trips_and_leaves_nothing() -> None:
    store = InMemoryCredentialStore()
    assert diagnostics.keyring_round_trip(store) is None
    assert store.sets >= 2  # the probe really went in
    assert store.entries == {}


def test_keyring_probe_reports_an_insecure_or_lying_store() -> None:
    refused = diagnostics.keyring_round_trip(InMemoryCredentialStore(secure=False))
    assert refused is not None and refused.startswith("the keyring could not store a test secret: Not saved.")

    class Forgetful(InMemoryCredentialStore):
        def _get(self, service: str, user: str) -> str | None:
            value = super()._get(service, user)
            return "something else" if user.endswith("/token") and value else value

    assert diagnostics.keyring_round_trip(Forgetful()) == (
        "the keyring gave back a different test secret than it was given"
    )


def test_error_log_collects_errors_while_attached() -> None:
    log = logging.getLogger("companion.test")
    with selftest.ErrorLog.attached() as errors:
        log.warning("only a warning")
        log.error("background task failed\nTraceback ...")
    log.error("after the self-test")
    assert errors.problems() == ["error logged: background task failed"]


# --- the whole self-test in a process --------------------------------------------------------------------------


def run_self_test(tmp_path: Path, env: dict[str, str], *code: str) -> subprocess.CompletedProcess[str]:
    """`companion --self-test` in a fresh process; `code` runs before it (to break something on purpose)."""
    script = "\n".join([*code, "from companion.app import run", "raise SystemExit(run(__import__('sys').argv[1:]))"])
    return subprocess.run(
        [sys.executable, "-c", script, "--data-dir", str(tmp_path / "data"), "--self-test"],
        capture_output=True, text=True, timeout=TIMEOUT, cwd=tmp_path,
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip


def _plain_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop(ENV_DATA_DIR, None)
    return env


def test_self_test_fails_on_the_fail_keyring_backend(tmp_path: Path) -> None:
    done = run_self_test(tmp_path, {**_plain_env(), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "keyring:   keyring.backends.fail.Keyring (NOT secure" in done.stdout
    assert "FAILED: keyring keyring.backends.fail.Keyring cannot hold secrets" in done.stderr
    assert done.stdout.rstrip().endswith("self-test failed")


def test_self_test_passes_with_a_real_keyring_and_leaves_no_probe(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    service: SecretService = request.getfixturevalue("secret_service")
    done = run_self_test(tmp_path, service.env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "keyring:   keyring.backends.SecretService.Keyring (secure" in done.stdout
    assert f"pages:     {', '.join(spec.title for spec in PAGES)}" in done.stdout
    assert "(from source)" in done.stdout
    assert done.stdout.rstrip().endswith("self-test passed")
    assert KeyringCredentialStore().refs(diagnostics.KEYRING_PROBE_SERVICE) == set()
    log = (tmp_path / "data" / "logs" / "companion.log").read_text(encoding="utf-8")
    assert "self-test: keyring:" in log and "self-test passed" in log  # a windowed app's report is its log


def test_self_test_fails_on_a_page_that_cannot_be_built(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    service: SecretService = request.getfixturevalue("secret_service")
    done = run_self_test(
        tmp_path,
        service.env,
        "from companion.ui.pages import PAGES, PageSpec",
        "PAGES.append(PageSpec('gone', 'Gone page', 'companion.ui.pages.not_bundled', 'GonePage'))",
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAILED: page 'Gone page' could not be built: ModuleNotFoundError" in done.stderr
    assert "self-test failed" in done.stdout
