"""Which keyring backend is in use, whether it is safe to hold secrets, and what to do when it is not."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

# Backends that would lose secrets (fail, null) or write them to a file in the clear (keyrings.alt).
_UNSAFE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


@dataclass(frozen=True)
class KeyringHealth:
    backend: str  # e.g. "keyring.backends.SecretService.Keyring"
    secure: bool
    detail: str


def advice(platform: str | None = None) -> str:
    """What the user can install or unlock on their OS to get a keyring the app may use."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return (
            "Windows Credential Manager should be available: sign in to a normal (not a temporary) Windows "
            "account, and remove the keyrings.alt package if it is installed."
        )
    if platform == "darwin":
        return (
            "Unlock your login keychain in Keychain Access (Applications → Utilities), and remove the "
            "keyrings.alt package if it is installed."
        )
    return (
        "Install and unlock a Secret Service keyring — GNOME Keyring (install the gnome-keyring package, "
        "unlocked when you log in to the desktop) or KDE Wallet — and start the app from a desktop session "
        "(it needs D-Bus). Remove the keyrings.alt package if it is installed."
    )


def backend_names(backend: Any) -> list[str]:
    from keyring.backends.chainer import ChainerBackend

    backends = list(backend.backends) if isinstance(backend, ChainerBackend) else [backend]
    return [f"{type(b).__module__}.{type(b).__name__}" for b in backends]


def assess(backend: Any) -> KeyringHealth:
    """Judge a keyring backend: a fail, null or plaintext one (or a chain holding one) may not hold secrets."""
    names = backend_names(backend) or ["keyring.backends.fail.Keyring"]
    name = " + ".join(names)
    unsafe = [n for n in names if n.startswith(_UNSAFE_MODULES) or "plaintext" in n.lower()]
    if not unsafe:
        return KeyringHealth(name, True, "secrets go to the operating system's keyring")
    forced = os.environ.get("PYTHON_KEYRING_BACKEND")
    why = (
        "it writes secrets to a file in the clear"
        if any("keyrings.alt" in n or "plaintext" in n.lower() for n in unsafe)
        else "no secure keyring was found"
    )
    env = f" (PYTHON_KEYRING_BACKEND={forced} forces it)" if forced else ""
    return KeyringHealth(name, False, f"The keyring in use, {name}{env}, cannot hold secrets: {why}. {advice()}")


def keyring_health() -> KeyringHealth:
    import keyring

    return assess(keyring.get_keyring())
