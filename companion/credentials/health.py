"""Which keyring backend is in use, and whether it is safe to hold secrets."""

from __future__ import annotations

from dataclasses import dataclass

# Backends that would lose secrets (fail, null) or write them to a file in the clear (keyrings.alt).
_UNSAFE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


@dataclass(frozen=True)
class KeyringHealth:
    backend: str  # e.g. "keyring.backends.SecretService.Keyring"
    secure: bool
    detail: str


def keyring_health() -> KeyringHealth:
    import keyring
    from keyring.backends.chainer import ChainerBackend

    backend = keyring.get_keyring()
    backends = list(backend.backends) if isinstance(backend, ChainerBackend) else [backend]
    names = [f"{type(b).__module__}.{type(b).__name__}" for b in backends] or ["keyring.backends.fail.Keyring"]
    name = " + ".join(names) if isinstance(backend, ChainerBackend) else names[0]
    unsafe = [n for n in names if n.startswith(_UNSAFE_MODULES) or "Plaintext" in n]
    if unsafe or not backends:
        return KeyringHealth(name, False, "no secure keyring is available; secrets cannot be saved")
    return KeyringHealth(name, True, "secrets go to the operating system's keyring")
