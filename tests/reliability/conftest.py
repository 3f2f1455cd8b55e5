"""Shared by the hostile-input tests: one database for many generated imports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from companion.services import Services, build_services
from companion.store.db import open_database
from tests.conftest import CATALOG


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """One database per module for many generated imports (hypothesis runs each example inside one test call)."""
    folder = tmp_path_factory.mktemp("hostile-db")
    db = open_database(folder / "companion.sqlite3", folder / "backups")
    yield build_services(db, CATALOG)
    db.dispose()
