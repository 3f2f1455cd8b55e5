"""A real Secret Service for tests: a private D-Bus session bus with gnome-keyring unlocked, in a temporary
home, so the user's own keyring is never touched. One daemon serves the whole run (session scope); each test that
asks for `secret_service` gets keyring's backend pointed at it and the previous backend back afterwards.
In CI (`CI=true`) a missing gnome-keyring fails the run; elsewhere the tests that need it are skipped with the reason.
Registered for every test module by `pytest_plugins` in tests/conftest.py."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = b"test-keyring-password"


@dataclass(frozen=True)
class SecretService:
    address: str  # DBUS_SESSION_BUS_ADDRESS of the private bus
    env: dict[str, str]  # what a child process needs to use it (bus address, temporary home)
    keyring_dir: Path  # where gnome-keyring keeps its (encrypted) files


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}: install dbus and gnome-keyring (.ci/run does)", pytrace=False)
    pytest.skip(reason)


def _wait_for_secrets(env: dict[str, str], timeout: float = 10.0) -> None:
    """Until org.freedesktop.secrets answers on the private bus."""
    deadline = time.monotonic() + timeout
    probe = (
        "import secretstorage, sys; c = secretstorage.dbus_init(); "
        "sys.exit(0 if secretstorage.check_service_availability(c) else 1)"
    )
    while time.monotonic() < deadline:
        if subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True).returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError("gnome-keyring did not appear on the private D-Bus session")


def _check_tools() -> None:
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            _missing(f"{tool} is not installed")
    try:
        import secretstorage  # noqa: F401
        from keyring.backends.SecretService import Keyring  # noqa: F401
    except ImportError as exc:
        _missing(f"keyring's Secret Service backend cannot be imported ({exc})")


@contextlib.contextmanager
def _running_service() -> Iterator[SecretService]:
    """dbus-daemon + gnome-keyring-daemon (unlocked) in a temporary home; both stopped and the home removed on exit."""
    root = Path(tempfile.mkdtemp(prefix="companion-keyring-"))
    home, data, runtime = root / "home", root / "data", root / "run"
    for folder in (home, data, runtime):
        folder.mkdir(mode=0o700)
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(data), XDG_RUNTIME_DIR=str(runtime),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"))  # fmt: skip
    env.pop("PYTHON_KEYRING_BACKEND", None)
    bus = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--nopidfile", "--print-address=1", "--print-pid=1"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    address, pid = bus.stdout.split()[:2]
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    keyring_daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert keyring_daemon.stdin is not None
        keyring_daemon.stdin.write(PASSWORD)
        keyring_daemon.stdin.close()
        _wait_for_secrets(env)
        yield SecretService(address, env, data / "keyrings")
    finally:
        keyring_daemon.terminate()
        keyring_daemon.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGTERM)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def secret_service_daemon() -> Iterator[SecretService]:
    """The one private Secret Service of this test run, started by the first test that needs it."""
    _check_tools()
    with _running_service() as running:
        yield running


@pytest.fixture
def secret_service(secret_service_daemon: SecretService) -> Iterator[SecretService]:
    """A real, unlocked Secret Service for this test: keyring's default backend and the D-Bus address point at
    it until the test ends (then the previous backend is back, so other tests see the machine's default)."""
    import keyring
    from keyring.backends.SecretService import Keyring as SecretServiceKeyring

    saved_backend = keyring.get_keyring()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service_daemon.address)
        patch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
        keyring.set_keyring(SecretServiceKeyring())
        try:
            yield secret_service_daemon
        finally:
            keyring.set_keyring(saved_backend)
