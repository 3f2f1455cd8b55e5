"""Tests for companion.qtdeps: naming the Debian packages Qt's missing libraries come from."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion import qtdeps

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd and sonames are Linux")
needs_ldd = pytest.mark.skipif(shutil.which("ldd") is None, reason="ldd is not installed")
needs_pyside6 = pytest.mark.skipif(not qtdeps.qt_binaries(display=False), reason="PySide6 Linux wheel not installed")


def test_explain_names_the_debian_packages() -> None:
    message = qtdeps.explain(["libEGL.so.1", "libxcb-cursor.so.0"])

    assert message == (
        "Qt cannot start: these system libraries are missing: libEGL.so.1, libxcb-cursor.so.0.\n"
        "On Debian/Ubuntu install them with:\n"
        "  sudo apt-get install libegl1 libxcb-cursor0"
    )


def test_explain_installs_a_package_once_for_several_of_its_libraries() -> None:
    message = qtdeps.explain(["libglib-2.0.so.0", "libgthread-2.0.so.0", "libGL.so.1"])

    assert message.endswith("  sudo apt-get install libglib2.0-0 libgl1")


def test_explain_lists_unknown_libraries_as_is_with_a_search_hint() -> None:
    message = qtdeps.explain(["libEGL.so.1", "libmystery.so.7"])

    assert "missing: libEGL.so.1, libmystery.so.7." in message
    assert "sudo apt-get install libegl1\n" in message
    assert "No known package for: libmystery.so.7." in message
    assert "apt-file search libmystery.so.7" in message


def test_explain_without_known_packages_has_no_install_command() -> None:
    message = qtdeps.explain(["libmystery.so.7"])

    assert "apt-get install" not in message
    assert "libmystery.so.7" in message


def test_explain_of_nothing_is_empty() -> None:
    assert qtdeps.explain([]) == ""


def test_every_mapped_package_is_a_plausible_debian_name() -> None:
    for soname, package in qtdeps.LIB_TO_DEBIAN.items():
        assert ".so" in soname, soname
        assert package == package.lower() and " " not in package, package


def test_explain_import_error_parses_a_loader_message() -> None:
    exc = ImportError(
        "libEGL.so.1: cannot open shared object file: No such file or directory",
        name="PySide6.QtGui",
    )

    message = qtdeps.explain_import_error(exc)

    assert message is not None
    assert "libEGL.so.1" in message
    assert "sudo apt-get install libegl1" in message


def test_explain_import_error_finds_a_library_named_by_full_path() -> None:
    exc = ImportError("/usr/lib/x86_64-linux-gnu/libxkbcommon.so.0: cannot open shared object file")

    message = qtdeps.explain_import_error(exc)

    assert message is not None
    assert "missing: libxkbcommon.so.0." in message
    assert "sudo apt-get install libxkbcommon0" in message


def test_explain_import_error_ignores_unrelated_errors() -> None:
    assert qtdeps.explain_import_error(ImportError("No module named 'PySide6'")) is None
    assert qtdeps.explain_import_error(ModuleNotFoundError("No module named 'sqlmodel'")) is None


FAKE_LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibEGL.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f00)
\tlibxcb-cursor.so.0 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f11)
"""


@linux_only
def test_missing_libraries_collects_sorted_unique_not_found_sonames(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def fake_run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, stdout=FAKE_LDD_OUTPUT, stderr="")

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/ldd")
    monkeypatch.setattr(subprocess, "run", fake_run)

    found = qtdeps.missing_libraries([Path("/a/libone.so"), Path("/b/libtwo.so")])

    assert found == ["libEGL.so.1", "libxcb-cursor.so.0"]
    assert calls == [["/usr/bin/ldd", "/a/libone.so"], ["/usr/bin/ldd", "/b/libtwo.so"]]


def test_missing_libraries_is_empty_without_ldd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)

    assert qtdeps.missing_libraries([Path("/bin/ls")]) == []


def test_missing_libraries_is_empty_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")

    assert qtdeps.missing_libraries([Path("/bin/ls")]) == []


@linux_only
@needs_ldd
def test_missing_libraries_of_a_complete_binary_is_empty() -> None:
    assert qtdeps.missing_libraries([Path("/bin/ls")]) == []


@linux_only
@needs_ldd
def test_missing_libraries_skips_a_path_ldd_cannot_read(tmp_path: Path) -> None:
    assert qtdeps.missing_libraries([tmp_path / "absent.so", Path("/bin/ls")]) == []


@linux_only
@needs_ldd
@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler to build a broken library")
def test_missing_libraries_finds_a_really_missing_dependency(tmp_path: Path) -> None:
    # Link libuser.so against libgone.so.3, then delete libgone: the loader can no longer find it.
    (tmp_path / "gone.c").write_text("int gone(void) { return 1; }\n")
    (tmp_path / "user.c").write_text("int gone(void);\nint user(void) { return gone(); }\n")
    gone = tmp_path / "libgone.so"
    user = tmp_path / "libuser.so"
    cc = ["cc", "-shared", "-fPIC"]
    subprocess.run([*cc, "-Wl,-soname,libgone.so.3", "-o", str(gone), str(tmp_path / "gone.c")], check=True)
    subprocess.run([*cc, "-o", str(user), str(tmp_path / "user.c"), f"-L{tmp_path}", "-lgone"], check=True)
    gone.unlink()

    assert qtdeps.missing_libraries([user, Path("/bin/ls")]) == ["libgone.so.3"]


@linux_only
@needs_pyside6
def test_qt_binaries_point_into_the_pyside6_wheel() -> None:
    headless = qtdeps.qt_binaries(display=False)
    with_display = qtdeps.qt_binaries(display=True)

    assert [path.name for path in headless] == ["libQt6Widgets.so.6", "libQt6Gui.so.6"]
    assert all(path.parent.parent.parent.name == "PySide6" for path in headless)
    assert [path.name for path in with_display] == [
        "libQt6Widgets.so.6",
        "libQt6Gui.so.6",
        "libqxcb.so",
        "libQt6XcbQpa.so.6",
    ]


@linux_only
@needs_pyside6
def test_qt_binaries_does_not_import_pyside6() -> None:
    # pytest-qt may already have imported PySide6 here, so look from a fresh interpreter.
    module = Path(qtdeps.__file__)
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('qtdeps', {str(module)!r})\n"
        "mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)\n"
        "assert mod.qt_binaries(True), 'no Qt binaries found'\n"
        "print(sorted(name for name in sys.modules if name.startswith('PySide6')))\n"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, False),
        ({"DISPLAY": ":0"}, True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, False),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "minimal"}, False),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, True),
        ({"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "wayland;xcb"}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, False),
    ],
)
def test_display_wanted(environ: dict[str, str], expected: bool) -> None:
    assert qtdeps.display_wanted(environ) is expected


@linux_only
@needs_ldd
@needs_pyside6
def test_main_passes_on_this_machine(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")

    assert qtdeps.main() == 0
    assert capsys.readouterr().err == ""


@linux_only
def test_main_reports_missing_libraries(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(qtdeps, "missing_libraries", lambda paths: ["libxcb-cursor.so.0"])

    assert qtdeps.main() == 1
    assert "sudo apt-get install libxcb-cursor0" in capsys.readouterr().err


@linux_only
@needs_pyside6
def test_running_the_module_exits_zero_when_nothing_is_missing() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    result = subprocess.run([sys.executable, str(Path(qtdeps.__file__))], capture_output=True, text=True, env=env)

    assert (result.returncode, result.stderr) == (0, "")


def test_main_does_nothing_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(qtdeps, "missing_libraries", lambda paths: ["libEGL.so.1"])

    assert qtdeps.main() == 0
