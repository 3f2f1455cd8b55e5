"""The installer recipes, checked without building: the PyInstaller spec (run against recording stand-ins for
PyInstaller), the Linux desktop entry and AppStream metadata, and one version number everywhere."""

from __future__ import annotations

import configparser
import json
import re
import shutil
import subprocess
import sys
import tomllib
import types
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from companion import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
SPEC = BUILD / "companion.spec"
DESKTOP = BUILD / "linux" / f"{APP_ID}.desktop"
METAINFO = BUILD / "linux" / f"{APP_ID}.metainfo.xml"
ISS = BUILD / "windows" / "companion.iss"
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
SHELL_SCRIPTS = [
    ROOT / ".ci" / "run",
    BUILD / "linux" / "package.sh",
    BUILD / "linux" / "with-secret-service.sh",
    BUILD / "macos" / "make_dmg.sh",
]


# --- the spec, run with stand-ins ------------------------------------------------------------------------------


@dataclass
class Target:
    """What the spec handed to one PyInstaller build step."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    binaries: list[tuple[str, str, str]] = field(default_factory=list)
    datas: list[tuple[str, str, str]] = field(default_factory=list)
    pure: list[Any] = field(default_factory=list)
    scripts: list[Any] = field(default_factory=list)


@dataclass
class SpecRun:
    namespace: dict[str, Any]
    targets: dict[str, list[Target]]
    collected: list[str]
    workpath: Path

    def one(self, kind: str) -> Target:
        (target,) = self.targets[kind]
        return target


def run_spec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str) -> SpecRun:
    targets: dict[str, list[Target]] = {}
    collected: list[str] = []

    def recorder(kind: str) -> Any:
        def make(*args: Any, **kwargs: Any) -> Target:
            target = Target(args, kwargs)
            targets.setdefault(kind, []).append(target)
            return target

        return make

    def collect_submodules(package: str) -> list[str]:
        collected.append(package)
        return [package]

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = collect_submodules  # type: ignore[attr-defined]
    hooks.copy_metadata = lambda name: [(f"/site-packages/{name}-1.0.dist-info", f"{name}-1.0.dist-info")]  # type: ignore[attr-defined]
    hooks.collect_data_files = lambda name: [(f"/site-packages/{name}/data.dat", name)]  # type: ignore[attr-defined]
    bindepend = types.ModuleType("PyInstaller.depend.bindepend")
    bindepend.get_imports = lambda filename: set()  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils", "PyInstaller.depend"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setitem(sys.modules, "PyInstaller.depend.bindepend", bindepend)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(sys, "path", list(sys.path))
    workpath = tmp_path / "work"
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "SPECPATH": str(BUILD),
        "workpath": str(workpath),
        **{kind: recorder(kind) for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")},
    }
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return SpecRun(namespace, targets, collected, workpath)


@pytest.fixture
def linux_spec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> SpecRun:
    return run_spec(monkeypatch, tmp_path, "linux")


def test_spec_bundles_every_resource_and_migration_as_data(linux_spec: SpecRun) -> None:
    datas = linux_spec.one("Analysis").kwargs["datas"]
    assert ("/site-packages/keyring-1.0.dist-info", "keyring-1.0.dist-info") in datas  # keyring's entry points
    assert {("/site-packages/babel/data.dat", "babel"), ("/site-packages/stdnum/data.dat", "stdnum")} <= set(datas)
    for source, _ in datas:
        assert source.startswith("/site-packages/") or Path(source).exists(), source
    placed = {(Path(source).name, Path(dest).as_posix()) for source, dest in datas}
    for name in ("gifts.json", "style.qss"):
        assert (name, "resources") in placed
    for name in ("app.svg", "app.png"):
        assert (name, "resources/icons") in placed
    for revision in (ROOT / "companion" / "store" / "migrations" / "versions").glob("*.py"):
        assert (revision.name, "companion/store/migrations/versions") in placed
    assert ("env.py", "companion/store/migrations") in placed
    assert ("companion_build.json", ".") in placed


def test_spec_writes_the_manifest_the_self_test_checks(linux_spec: SpecRun) -> None:
    manifest = json.loads((linux_spec.workpath / "companion_build.json").read_text(encoding="utf-8"))
    assert manifest["version"] == __version__
    resources = {p.relative_to(ROOT / "resources").as_posix() for p in (ROOT / "resources").rglob("*") if p.is_file()}
    assert set(manifest["resources"]) == resources
    assert "versions/0001_baseline.py" in manifest["migrations"] and "env.py" in manifest["migrations"]


def test_spec_finds_keyring_backends_and_the_lazily_imported_app_modules(linux_spec: SpecRun) -> None:
    analysis = linux_spec.one("Analysis").kwargs
    assert {"companion", "keyring.backends", "jeepney"} <= set(linux_spec.collected)
    assert {"companion", "keyring.backends", "secretstorage", "alembic.op"} <= set(analysis["hiddenimports"])
    assert {"PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.Qt3DCore", "tkinter"} <= set(analysis["excludes"])
    for used in ("PySide6.QtCharts", "PySide6.QtSvg", "PySide6.QtPrintSupport", "PySide6.QtGui"):
        assert used not in analysis["excludes"]


def test_spec_builds_a_windowed_one_folder_app(linux_spec: SpecRun) -> None:
    exe = linux_spec.one("EXE").kwargs
    assert exe["console"] is False
    assert exe["exclude_binaries"] is True  # one folder: the libraries sit beside the executable
    assert linux_spec.one("COLLECT").kwargs["name"] == "creator-companion"
    assert "BUNDLE" not in linux_spec.targets


def test_spec_on_macos_makes_an_app_bundle_with_id_and_version(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    spec = run_spec(monkeypatch, tmp_path, "darwin")
    bundle = spec.one("BUNDLE").kwargs
    assert bundle["name"] == f"{APP_NAME}.app"
    assert bundle["bundle_identifier"] == APP_ID
    assert bundle["info_plist"]["CFBundleShortVersionString"] == __version__
    assert bundle["info_plist"]["CFBundleVersion"] == __version__
    assert Path(bundle["icon"]).is_file() and bundle["icon"].endswith(".icns")


def test_dropping_plugins_also_drops_the_libraries_only_they_linked(linux_spec: SpecRun) -> None:
    dropped = linux_spec.namespace["_dropped_plugin"]
    assert dropped("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    assert dropped("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so")
    assert not dropped("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert not dropped("PySide6/Qt/plugins/imageformats/libqsvg.so")

    links = {"/src/libqxcb.so": {("libQt6XcbQpa.so.6", "/src/libQt6XcbQpa.so.6")}, "/src/libQt6XcbQpa.so.6": set()}
    sys.modules["PyInstaller.depend.bindepend"].get_imports = lambda filename: links.get(filename, set())  # type: ignore[attr-defined]
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/src/libQt6XcbQpa.so.6", "BINARY"),
        ("libgtk-3.so.0", "/src/libgtk-3.so.0", "BINARY"),  # only the dropped GTK theme linked it
        ("libQt6XcbQpa.so.6", "PySide6/Qt/lib/libQt6XcbQpa.so.6", "SYMLINK"),
    ]
    kept = linux_spec.namespace["_linked_closure"](binaries)
    assert [dest for dest, _, _ in kept] == ["PySide6/Qt/plugins/platforms/libqxcb.so",
                                              "PySide6/Qt/lib/libQt6XcbQpa.so.6", "libQt6XcbQpa.so.6"]  # fmt: skip
    files = {"PySide6/Qt/plugins/platforms/libqxcb.so"}
    assert linux_spec.namespace["_without_dangling_links"](kept, files) == kept[:2]


# --- Linux desktop integration ---------------------------------------------------------------------------------


def test_desktop_entry_launches_the_packaged_app_with_its_icon() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  (keys are case-sensitive)
    parser.read(DESKTOP, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    assert entry["Exec"].split()[0] == "creator-companion"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";") and "Office" in entry["Categories"].split(";")
    package = (BUILD / "linux" / "package.sh").read_text(encoding="utf-8")
    assert "name=creator-companion" in package and '"$pkg/usr/bin/$name"' in package
    assert "hicolor/256x256/apps/$app_id.png" in package and f"app_id={APP_ID}" in package


def test_metainfo_names_the_app_its_launcher_and_the_current_version() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("name") == APP_NAME
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("provides/binary") == "creator-companion"
    releases = component.findall("releases/release")
    assert releases and releases[0].get("version") == __version__, "add a <release> for the new version on top"


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed (CI installs it)")
def test_metainfo_passes_appstream_validation() -> None:
    done = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_desktop_entry_passes_desktop_file_validate() -> None:
    done = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


# --- one version -----------------------------------------------------------------------------------------------


def test_pyproject_reads_the_version_from_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "companion.__version__"}


def test_inno_setup_takes_the_version_it_is_given_and_the_release_gives_the_package_version() -> None:
    iss = ISS.read_text(encoding="utf-8")
    assert "#ifndef AppVersion" in iss and "#error" in iss
    for key in ("AppVersion", "VersionInfoVersion", "VersionInfoProductVersion"):
        assert re.search(rf"^{key}={{#AppVersion}}$", iss, re.MULTILINE), key
    assert not re.search(r"\b\d+\.\d+\.\d+\b", iss), "no version written into the script"
    assert "PrivilegesRequired=lowest" in iss and "{autoprograms}" in iss
    release = RELEASE.read_text(encoding="utf-8")
    assert "companion.__version__" in release
    assert "iscc /DAppVersion=${{ steps.version.outputs.version }} build\\windows\\companion.iss" in release


def test_release_workflow_self_tests_the_frozen_app_on_every_os() -> None:
    release = RELEASE.read_text(encoding="utf-8")
    assert re.search(r"on:\n  push:\n    tags: \[\"v\*\"\]", release)
    jobs = re.split(r"\n  (?=\w+:\n    runs-on:)", release)
    runners = {job.split(":")[0]: job for job in jobs[1:]}
    assert {"linux", "windows", "macos"} <= set(runners)
    assert "--self-test" in runners["linux"] and "--self-test" in runners["macos"]
    assert "selftest.ps1" in runners["windows"] and "--self-test" in (BUILD / "windows" / "selftest.ps1").read_text()


# --- scripts and icons -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda p: p.name)
def test_shell_scripts_parse(script: Path) -> None:
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_make_dist_builds_outside_the_tracked_build_folder() -> None:
    done = subprocess.run(["make", "-n", "dist", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert re.search(r"-m PyInstaller .*--workpath \.build-work/\S+ --distpath dist", done.stdout)
    assert "build/companion.spec" in done.stdout and "build/linux/package.sh" in done.stdout
    assert re.search(r"\.venv/bin/python -m bench\b", done.stdout)


def test_raster_icons_hold_the_sizes_installers_use() -> None:
    icons = ROOT / "resources" / "icons"
    png = (icons / "app.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[16:24] == (256).to_bytes(4, "big") * 2
    ico = (icons / "app.ico").read_bytes()
    count = int.from_bytes(ico[4:6], "little")
    assert ico[:4] == b"\0\0\1\0" and count >= 5
    assert 0 in {ico[6 + 16 * i] for i in range(count)}  # 0 means 256 px
    icns = (icons / "app.icns").read_bytes()
    assert icns[:4] == b"icns" and int.from_bytes(icns[4:8], "big") == len(icns) and b"ic08" in icns
