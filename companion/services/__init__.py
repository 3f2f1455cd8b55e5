"""Use cases the GUI and the CLI both call. No Qt here; each call is one short transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from companion.credentials.store import CredentialStore
from companion.domain.currency import DisplayRate
from companion.domain.timeutil import resolved_zone, utc_now
from companion.services.backups import BackupService
from companion.services.catalog import CatalogService
from companion.services.context import ProfileContext
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
from companion.services.tiktok_import import TikTokService
from companion.services.tracking import StreamService
from companion.store.db import Database

Clock = Callable[[], datetime]
#: The services of a profile (None: the one remembered as current, e.g. after a restore), on the database, clock,
#: credential store, folders and locale the composition root chose. The profile switcher calls it (off the GUI
#: thread: it runs SQL); a given id is remembered as the profile to open next.
ServicesFactory = Callable[[int | None], "Services"]


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
    tiktok: TikTokService  # TikTok's data download and the per-LIVE check
    #: The profile's zone, share, display rate, locale and clock as they were when the bundle was built. A page
    #: holds the context it was handed; after a write that changes it, `fresh_context()` reads a new one.
    context: ProfileContext
    #: The composition root's way to build this bundle again for another profile (see `ServicesFactory`).
    reopen: ServicesFactory

    def fresh_context(self) -> ProfileContext:
        """The profile's context read again (after a rate is noted, a level or the zone changed). Runs SQL."""
        return load_context(self.profiles, self.economics, self.profile_id, self.context.clock, self.context.locale)


def load_context(
    profiles: ProfileService, economics: EconomicsService, profile_id: int, clock: Clock, locale: str
) -> ProfileContext:
    profile = profiles.get(profile_id)
    shown = economics.display()
    return ProfileContext(
        profile_id=profile_id,
        zone=resolved_zone(profile.time_zone),
        share_bps=profile.share_bps,
        display=DisplayRate(shown.currency, shown.per_usd, shown.note),
        locale=locale,
        clock=clock,
    )


def build_services(
    db: Database,
    catalog_file: Path | None = None,
    clock: Clock = utc_now,
    profile_id: int | None = None,
    backup_dir: Path | None = None,
    credentials: CredentialStore | None = None,
    locale: str = "C",
) -> Services:
    """Wire services for a profile (default: the one opened last; the first is created on first run) and
    sync the bundled gift catalog. Backups go to `backup_dir` (default: `backups/` beside the database).
    Secrets go to `credentials` (the app passes the OS keyring; tests an in-memory store). `locale` is how
    typed and shown numbers read: QLocale's name in the GUI, "C" on the command line."""
    if credentials is None:
        from companion.credentials.keyring_store import KeyringCredentialStore

        credentials = KeyringCredentialStore()
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
        reports=ReportService(db, profile.id, clock),
        history=HistoryService(db, profile.id),
        methods=MethodService(db, profile.id, credentials, clock),
        dashboard=DashboardService(db, profile.id, clock),
        stability=StabilityService(db, profile.id, clock),
        exports=ExportService(db, profile.id, clock, projections),
        backups=BackupService(db, backup_dir or db.path.parent / "backups", clock),
        economics=economics,
        projections=projections,
        payouts=PayoutService(db, profile.id, clock, economics, projections),
        tiktok=TikTokService(db, profile.id, clock),
        context=load_context(profiles, economics, profile.id, clock, locale),
        reopen=lambda other: _reopen(db, clock, other, backup_dir, credentials, locale),
    )


def _reopen(
    db: Database,
    clock: Clock,
    profile_id: int | None,
    backup_dir: Path | None,
    credentials: CredentialStore,
    locale: str,
) -> Services:
    if profile_id is not None:
        ProfileService(db, clock).switch(profile_id)
    return build_services(db, None, clock, profile_id, backup_dir, credentials, locale)
