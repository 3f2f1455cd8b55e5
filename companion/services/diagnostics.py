"""Health of the installation: schema revision, catalog, database round trip, keyring backend."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from companion.credentials.health import KeyringHealth, keyring_health
from companion.services.catalog import CatalogService
from companion.services.profiles import ProfileService
from companion.store.db import Database, current_revision, head_revision

MIN_CATALOG = 40


@dataclass(frozen=True)
class Diagnosis:
    database: Path
    schema: str | None
    schema_head: str
    wrote_and_read: str
    catalog_gifts: int
    keyring: KeyringHealth

    def problems(self) -> list[str]:
        found = []
        if self.schema != self.schema_head:
            found.append(f"database schema at {self.schema}, expected {self.schema_head}")
        if self.catalog_gifts < MIN_CATALOG:
            found.append(f"gift catalog has {self.catalog_gifts} gifts, expected at least {MIN_CATALOG}")
        return found


def diagnose(db: Database, profiles: ProfileService, catalog: CatalogService) -> Diagnosis:
    """Writes one setting and reads it back; everything else only reads."""
    stored = profiles.write_check("self_test.last_run")
    return Diagnosis(
        database=db.path,
        schema=current_revision(db.engine),
        schema_head=head_revision(),
        wrote_and_read=stored,
        catalog_gifts=len(catalog.all()),
        keyring=keyring_health(),
    )
