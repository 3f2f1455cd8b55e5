"""Credentials tests run against a real Secret Service (see secret_service.py)."""

from tests.credentials.secret_service import secret_service  # noqa: F401  (the fixture)
