"""Where data lives: --data-dir beats COMPANION_DATA_DIR beats platformdirs; bundled resources are found
from source and from a PyInstaller bundle."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import platformdirs
import pytest

from companion import paths
from companion.paths import APP_AUTHOR, APP_DIR_NAME, ENV_DATA_DIR, AppPaths, app_paths, resource_path, resource_root


def test_data_dir_argument_wins_over_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    chosen = app_paths(tmp_path / "from-arg")
    assert chosen.data == (tmp_path / "from-arg").resolve()
    assert chosen.config == chosen.data
    assert chosen.logs == chosen.data / "logs"
    assert chosen.backups == chosen.data / "backups"
    assert chosen.database == chosen.data / "companion.sqlite3"
    assert chosen.lock_file == chosen.data / "companion.lock"


def test_environment_wins_over_platformdirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    chosen = app_paths()
    assert chosen.data == (tmp_path / "from-env").resolve()
    assert chosen.database == (tmp_path / "from-env" / "companion.sqlite3").resolve()


def test_without_override_platformdirs_folders_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)
    chosen = app_paths()
    data = Path(platformdirs.user_data_dir(APP_DIR_NAME, APP_AUTHOR))
    assert chosen.data == data
    assert chosen.config == Path(platformdirs.user_config_dir(APP_DIR_NAME, APP_AUTHOR))
    assert chosen.logs == Path(platformdirs.user_log_dir(APP_DIR_NAME, APP_AUTHOR))
    assert chosen.backups == data / "backups"
    assert chosen.database == data / "companion.sqlite3"


def test_override_is_absolute_and_user_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    assert app_paths("~/cc").data == (tmp_path / "home" / "cc").resolve()
    relative = app_paths("rel/data")
    assert relative.data.is_absolute()
    assert relative.data == (tmp_path / "rel" / "data").resolve()


def test_create_makes_every_folder_and_is_repeatable(tmp_path: Path) -> None:
    target = app_paths(tmp_path / "deep" / "data")
    assert not target.data.exists()
    assert target.create() is target
    for folder in (target.data, target.config, target.logs, target.backups):
        assert folder.is_dir()
    target.create()  # a second run finds them and does not fail
    assert target.logs.is_dir()


def test_create_with_separate_folders(tmp_path: Path) -> None:
    target = AppPaths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l", backups=tmp_path / "d" / "b")
    target.create()
    assert all(p.is_dir() for p in (tmp_path / "d", tmp_path / "c", tmp_path / "l", tmp_path / "d" / "b"))


def test_bundled_gift_catalog_is_found_from_source() -> None:
    catalog = resource_path("gifts.json")
    assert catalog.is_file()
    assert catalog.parent == resource_root()
    document = json.loads(catalog.read_text(encoding="utf-8"))
    assert any(g["name"] == "Rose" for g in document["gifts"])


def test_resource_root_points_into_pyinstaller_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "_MEI12345"
    (bundle / "resources").mkdir(parents=True)
    (bundle / "resources" / "gifts.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resource_root() == bundle / "resources"
    assert paths.resource_path("gifts.json") == bundle / "resources" / "gifts.json"
    assert resource_path("icons", "app.svg") == bundle / "resources" / "icons" / "app.svg"


def test_resource_root_from_source_is_beside_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert resource_root() == Path(paths.__file__).resolve().parent.parent / "resources"
