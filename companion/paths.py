"""Where things live: platformdirs folders, the --data-dir / COMPANION_DATA_DIR override, bundled resources."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

APP_DIR_NAME = "CreatorCompanion"
APP_AUTHOR = "CreatorCompanion"
ENV_DATA_DIR = "COMPANION_DATA_DIR"
PRIVATE_DIR = 0o700  # on POSIX: other local users cannot list or read the data (a shared computer)
PRIVATE_FILE = 0o600


@dataclass(frozen=True)
class AppPaths:
    """All folders the app writes to. With an override, everything lives under that one folder."""

    data: Path
    config: Path
    logs: Path
    backups: Path

    @property
    def database(self) -> Path:
        return self.data / "companion.sqlite3"

    @property
    def lock_file(self) -> Path:
        return self.data / "companion.lock"

    def create(self) -> AppPaths:
        """Make the folders, readable by this user only (on POSIX), and tighten what an older version left
        readable by others: the folders, the database with its -wal/-shm, backups and logs."""
        for folder in (self.data, self.config, self.logs, self.backups):
            folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        if os.name == "posix":
            for folder in {self.data, self.config, self.logs, self.backups}:
                _tighten(folder, PRIVATE_DIR)
            for suffix in ("", "-wal", "-shm"):
                _tighten(self.database.with_name(self.database.name + suffix), PRIVATE_FILE)
            for folder, pattern in ((self.backups, "companion-*"), (self.logs, "*.log*")):
                for path in folder.glob(pattern):
                    _tighten(path, PRIVATE_FILE)
        return self


def _tighten(path: Path, mode: int) -> None:
    """chmod `path` to `mode` when it allows more; leaves it alone when it is missing or cannot be changed
    (a read-only folder says so later, in its own words)."""
    with contextlib.suppress(OSError):
        info = path.lstat()
        if stat.S_IMODE(info.st_mode) & ~mode and not stat.S_ISLNK(info.st_mode):
            path.chmod(stat.S_IMODE(info.st_mode) & mode)


def app_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """--data-dir wins, then COMPANION_DATA_DIR, then the OS's user folders."""
    override = data_dir or os.environ.get(ENV_DATA_DIR)
    if override:
        root = Path(override).expanduser().resolve()
        return AppPaths(data=root, config=root, logs=root / "logs", backups=root / "backups")
    import platformdirs

    data = Path(platformdirs.user_data_dir(APP_DIR_NAME, APP_AUTHOR))
    return AppPaths(
        data=data,
        config=Path(platformdirs.user_config_dir(APP_DIR_NAME, APP_AUTHOR)),
        logs=Path(platformdirs.user_log_dir(APP_DIR_NAME, APP_AUTHOR)),
        backups=data / "backups",
    )


def resource_root() -> Path:
    """The `resources/` folder: beside the package from source, inside the bundle when frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)
