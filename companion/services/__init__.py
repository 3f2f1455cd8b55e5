"""Use cases the GUI and the CLI both call. No Qt here; each call is one short transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from companion.credentials.keyring_store import KeyringCredentialStore
from companion.domain.timeutil import utc_now
from companion.services.backups import BackupService
from companion.services.catalog import CatalogService
from companion.services.dashboard import DashboardService
from companion.services.economics import EconomicsService
from companion.services.exports import ExportService
from companion.services.gifts import GiftService
from companion.services.history import HistoryService
from companion.services.methods import MethodService
from companion.services.payouts import PayoutService
from companion.services.profiles import ProfileService
from companion.services.projections import ProjectionService
from companion.services.reports import ReportService
from companion.services.stability import StabilityService
from companion.services.tracking import StreamService
from companion.store.db import Database

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Services:
    """Everything a page or command needs, built once by the composition root (or a test)."""

    db: Database
    profile_id: int
    profiles: ProfileService
    catalog: CatalogService
    streams: StreamService
    gifts: GiftService
    reports: ReportService
    history: HistoryService
    methods: MethodService
    dashboard: DashboardService
    stability: StabilityService
    exports: ExportService
    backups: BackupService
    economics: EconomicsService
    projections: ProjectionService
    payouts: PayoutService


def build_services(
    db: Database,
    catalog_file: Path | None = None,
    clock: Clock = utc_now,
    profile_id: int | None = None,
    backup_dir: Path | None = None,
) -> Services:
    """Wire services for a profile (default: the one opened last; the first is created on first run) and
    sync the bundled gift catalog. Backups go to `backup_dir` (default: `backups/` beside the database)."""
    profiles = ProfileService(db, clock)
    profile = profiles.get(profile_id) if profile_id is not None else profiles.current()
    catalog = CatalogService(db, clock)
    if catalog_file is not None:
        catalog.sync_from_file(catalog_file)
    economics = EconomicsService(db, profile.id, clock)
    # reward-scheme presets live beside the gift catalog in resources/
    schemes_file = catalog_file.with_name("reward_schemes.json") if catalog_file is not None else None
    if schemes_file is not None and schemes_file.exists():
        economics.sync_presets(schemes_file)
    projections = ProjectionService(db, profile.id, clock, economics)
    return Services(
        db=db,
        profile_id=profile.id,
        profiles=profiles,
        catalog=catalog,
        streams=StreamService(db, profile.id, clock),
        gifts=GiftService(db, profile.id, clock),
        reports=ReportService(db, profile.id),
        history=HistoryService(db, profile.id),
        methods=MethodService(db, profile.id, KeyringCredentialStore(), clock),
        dashboard=DashboardService(db, profile.id, clock),
        stability=StabilityService(db, profile.id, clock),
        exports=ExportService(db, profile.id, clock),
        backups=BackupService(db, backup_dir or db.path.parent / "backups", clock),
        economics=economics,
        projections=projections,
        payouts=PayoutService(db, profile.id, clock, economics, projections),
    )
