"""Health of the installation: schema revision, catalog, database round trip, keyring backend, and the bundled
resources and migrations — the Qt-free half of `--self-test` (ui/selftest.py adds the window, pages and images)."""

from __future__ import annotations

import json
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion import __version__
from companion.credentials.health import KeyringHealth, keyring_health
from companion.credentials.store import SERVICE_PREFIX, CredentialStore
from companion.domain.bank_details import iban_countries, iban_is_valid
from companion.domain.iso4217 import active_codes, currency_name
from companion.paths import resource_path
from companion.services.catalog import CatalogService
from companion.services.profiles import ProfileService
from companion.store.db import MIGRATIONS_DIR, Database, current_revision, head_revision

MIN_CATALOG = 40
BUILD_MANIFEST = "companion_build.json"
#: Needed by every build, frozen or not; a frozen build also needs everything its manifest lists.
REQUIRED_RESOURCES = ("gifts.json", "style.qss", "icons/app.svg", "icons/app.png")
KEYRING_PROBE_SERVICE = SERVICE_PREFIX + "self-test"


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


def build_manifest() -> dict[str, Any] | None:
    """What a frozen build bundled (None when running from source)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is None:
        return None
    path = Path(bundle) / BUILD_MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {"error": f"cannot read the build manifest {path}: {exc}", "resources": [], "migrations": []}
    return manifest


def resource_problems(manifest: dict[str, Any] | None) -> list[str]:
    """Every required (and, frozen, every bundled) resource exists, is not empty, and JSON ones parse."""
    names = sorted({*REQUIRED_RESOURCES, *(manifest or {}).get("resources", [])})
    found = []
    for name in names:
        path = resource_path(*name.split("/"))
        if not path.is_file():
            found.append(f"resource missing: {name} (looked in {path.parent})")
        elif path.stat().st_size == 0:
            found.append(f"resource empty: {name}")
        elif path.suffix == ".json":
            try:
                json.loads(path.read_text(encoding="utf-8"))
            except ValueError as exc:
                found.append(f"resource {name} is not valid JSON: {exc}")
    return found


def migration_problems(manifest: dict[str, Any] | None) -> list[str]:
    if manifest is None:
        return []
    found = [manifest["error"]] if "error" in manifest else []
    found += [
        f"migration missing: {name} (looked in {MIGRATIONS_DIR})"
        for name in manifest.get("migrations", [])
        if not (MIGRATIONS_DIR / name).is_file()
    ]
    if manifest.get("version") not in (None, __version__):
        found.append(f"build manifest is for version {manifest['version']}, the app is {__version__}")
    return found


def keyring_round_trip(store: CredentialStore) -> str | None:
    """Save, read back and delete a random probe: the backend is not just named right but works. None if ok."""
    token = secrets.token_hex(16)
    try:
        store.put(KEYRING_PROBE_SERVICE, "probe", {"token": token})
        try:
            back = store.get(KEYRING_PROBE_SERVICE, "probe", ["token"]).get("token")
        finally:
            store.delete(KEYRING_PROBE_SERVICE, "probe", ["token"])
    except Exception as exc:  # CredentialsUnavailable / CredentialsError carry a message for the user
        return f"the keyring could not store a test secret: {exc}"
    if back != token:
        return "the keyring gave back a different test secret than it was given"
    return None


def library_data() -> tuple[str, list[str]]:
    """Babel's CLDR locale data and stdnum's IBAN registry are data files a bundle must carry (PyInstaller's hooks
    for both collect them): use each once. Returns a summary line and the problems."""
    problems: list[str] = []
    name = countries = "?"
    try:
        name = currency_name("JPY", "de")
        if name != "Japanischer Yen" or len(active_codes()) < 150:
            problems.append(f"Babel's locale data looks wrong (JPY in German: {name})")
    except Exception as exc:  # a missing data file is an OSError, a damaged one anything
        problems.append(f"Babel's locale data is missing: {exc!r}")
    try:
        countries = str(len(iban_countries()))
        if not iban_is_valid("DE89370400440532013000") or iban_is_valid("DE893704004405320130"):
            problems.append("stdnum's IBAN check gives wrong answers")
    except Exception as exc:
        problems.append(f"stdnum's data files are missing: {exc!r}")
    return f"Babel (JPY in German: {name}), stdnum (IBAN registry: {countries} countries)", problems
