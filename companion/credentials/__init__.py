"""Payment-method secrets in the OS keyring, and nowhere else."""

from companion.credentials.store import (
    SERVICE_PREFIX,
    CredentialsError,
    CredentialStore,
    CredentialsUnavailable,
)

__all__ = ["SERVICE_PREFIX", "CredentialStore", "CredentialsError", "CredentialsUnavailable"]
