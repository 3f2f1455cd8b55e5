"""Name the Debian packages to install when Qt's system libraries are missing on Linux."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# Sonames the PySide6 wheels link against (or their xcb platform plugin does), and the Debian 12 /
# Ubuntu package that ships each one. Libraries every Debian system has (libc, libstdc++, libz...) are
# listed too so a message about them still names a package instead of guessing.
LIB_TO_DEBIAN: dict[str, str] = {
    # OpenGL / EGL through glvnd
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libOpenGL.so.0": "libopengl0",
    "libgbm.so.1": "libgbm1",
    "libdrm.so.2": "libdrm2",
    # GLib, D-Bus, fonts, images
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libpng16.so.16": "libpng16-16",
    "libharfbuzz.so.0": "libharfbuzz0b",
    "libexpat.so.1": "libexpat1",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
    "libsystemd.so.0": "libsystemd0",
    # keyboard handling
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    # X11 and the xcb platform plugin
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libXext.so.6": "libxext6",
    "libXrender.so.1": "libxrender1",
    "libXi.so.6": "libxi6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    # Wayland
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}

# What the dynamic loader prints for a dependency it cannot find, e.g. "\tlibEGL.so.1 => not found".
_LDD_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)
# The dlopen() error Python wraps in ImportError when a dependency of an extension module is missing.
_CANNOT_OPEN = re.compile(r"([\w.+-]+\.so(?:\.[\w]+)*): cannot open shared object file")

# Platform plugins that draw nowhere and so need no X11 or Wayland libraries.
_HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal"})


def _is_linux() -> bool:
    return sys.platform.startswith("linux")


def missing_libraries(paths: list[Path]) -> list[str]:
    """Return the sorted, unique sonames `ldd` reports as "not found" for the given shared objects.

    Returns [] when not on Linux or when `ldd` is not installed. A path `ldd` cannot read is skipped.
    """
    if not _is_linux():
        return []
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    env = {**os.environ, "LC_ALL": "C"}
    missing: set[str] = set()
    for path in paths:
        try:
            result = subprocess.run([ldd, str(path)], capture_output=True, text=True, check=False, timeout=60, env=env)
        except (OSError, subprocess.SubprocessError):
            continue
        missing.update(_LDD_NOT_FOUND.findall(result.stdout))
    return sorted(missing)


def qt_binaries(display: bool) -> list[Path]:
    """Return the Qt libraries of the installed PySide6 wheel whose dependencies decide if Qt can start.

    Finds PySide6 without importing it (importing is what fails when a library is missing). With
    `display` the xcb platform plugin is included: Qt loads it at run time, so a missing xcb library
    only shows up there. Paths that do not exist (no PySide6, another OS, another layout) are left out.
    """
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return []
    qt = Path(next(iter(spec.submodule_search_locations))) / "Qt"
    candidates = [qt / "lib" / "libQt6Widgets.so.6", qt / "lib" / "libQt6Gui.so.6"]
    if display:
        candidates += [qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"]
    return [path for path in candidates if path.is_file()]


def explain(missing: list[str]) -> str:
    """Return a message naming the missing sonames and the apt-get command that installs them.

    Returns "" when nothing is missing.
    """
    if not missing:
        return ""
    names = list(dict.fromkeys(missing))
    packages = list(dict.fromkeys(LIB_TO_DEBIAN[name] for name in names if name in LIB_TO_DEBIAN))
    unknown = [name for name in names if name not in LIB_TO_DEBIAN]
    lines = [f"Qt cannot start: these system libraries are missing: {', '.join(names)}."]
    if packages:
        lines += ["On Debian/Ubuntu install them with:", f"  sudo apt-get install {' '.join(packages)}"]
    if unknown:
        example = unknown[0]
        hint = f"`apt-file search {example}` or `dnf provides '*/{example}'`"
        lines += [
            f"No known package for: {', '.join(unknown)}.",
            f"Search your distribution's packages for the file, e.g. {hint}.",
        ]
    return "\n".join(lines)


def explain_import_error(exc: ImportError) -> str | None:
    """Return explain() for an ImportError caused by a missing shared library, else None."""
    names = list(dict.fromkeys(_CANNOT_OPEN.findall(str(exc))))
    return explain(names) if names else None


def display_wanted(environ: Mapping[str, str]) -> bool:
    """Tell whether Qt will try to open a real display (X11 or Wayland) in this environment."""
    if not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
        return False
    # QT_QPA_PLATFORM may be a fallback list ("wayland;xcb") and carry options ("offscreen:x=y").
    first = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    return first not in _HEADLESS_PLATFORMS


def main() -> int:
    """Print which packages to install and return 1 if Qt's libraries are missing, else return 0."""
    if not _is_linux():
        return 0
    missing = missing_libraries(qt_binaries(display_wanted(os.environ)))
    if not missing:
        return 0
    print(explain(missing), file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
