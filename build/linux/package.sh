#!/usr/bin/env bash
# Package the PyInstaller bundle (dist/creator-companion, made by `make dist`) as a .deb and a .tar.gz:
#   dist/creator-companion_<version>_<arch>.deb        app in /opt/creator-companion, launcher /usr/bin/creator-companion,
#                                                       .desktop file, icons, AppStream metadata
#   dist/creator-companion-<version>-linux-<machine>.tar.gz   the same app folder, with share/ beside it
# The version comes from companion/__init__.py (the one source). Needs dpkg-deb (Debian: dpkg); validates the
# .desktop and metainfo files when desktop-file-validate / appstreamcli are installed (CI installs them).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
name=creator-companion
app_id=io.creatorcompanion.CreatorCompanion
bundle=dist/$name
here=build/linux
work=.build-work/linux

version=$(sed -n 's/^__version__ = "\([^"]*\)"$/\1/p' companion/__init__.py)
[[ -n "$version" ]] || { echo "error: no __version__ in companion/__init__.py" >&2; exit 1; }
[[ -x "$bundle/$name" ]] || { echo "error: $bundle/$name is missing: run make dist (PyInstaller) first" >&2; exit 1; }
newest_release=$(sed -n 's/.*<release version="\([^"]*\)".*/\1/p' "$here/$app_id.metainfo.xml" | head -n 1)
if [[ "$newest_release" != "$version" ]]; then
  echo "error: the newest <release> in $here/$app_id.metainfo.xml is '$newest_release', the app is $version" >&2
  exit 1
fi
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$here/$app_id.desktop"; fi
if command -v appstreamcli >/dev/null; then appstreamcli validate --no-net "$here/$app_id.metainfo.xml"; fi

# ---- the .deb ----------------------------------------------------------------------------------------------
arch=$(dpkg --print-architecture)
glibc=$(dpkg-query -W -f='${Version}' libc6 | sed 's/-.*//')  # the bundle's libraries were linked against it
pkg=$work/deb
rm -rf "$pkg"
install -d "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" "$pkg/usr/share/metainfo" \
  "$pkg/usr/share/icons/hicolor/256x256/apps" "$pkg/usr/share/icons/hicolor/scalable/apps" "$pkg/usr/share/doc/$name"
cp -a "$bundle" "$pkg/opt/$name"
cat >"$pkg/usr/bin/$name" <<LAUNCHER
#!/bin/sh
exec /opt/$name/$name "\$@"
LAUNCHER
install -m 644 "$here/$app_id.desktop" "$pkg/usr/share/applications/$app_id.desktop"
install -m 644 "$here/$app_id.metainfo.xml" "$pkg/usr/share/metainfo/$app_id.metainfo.xml"
install -m 644 resources/icons/app.png "$pkg/usr/share/icons/hicolor/256x256/apps/$app_id.png"
install -m 644 resources/icons/app.svg "$pkg/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
cat >"$pkg/usr/share/doc/$name/copyright" <<COPYRIGHT
Creator Companion $version. Bundles Python, Qt for Python (PySide6, LGPLv3) and other libraries under their own
licences; see /opt/$name/_internal for their files.
COPYRIGHT
# Packaged files are root-owned (--root-owner-group), readable by all; programs and folders executable.
find "$pkg" -type d -exec chmod 755 {} +
find "$pkg" -type f -exec chmod go-w,a+r {} +
chmod 755 "$pkg/usr/bin/$name" "$pkg/opt/$name/$name"
installed_kb=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
# What the bundle does not carry: OpenGL/EGL, the X11 connection libraries Qt's xcb plugin loads, a font.
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: $arch
Maintainer: Creator Companion <maintainers@creatorcompanion.invalid>
Installed-Size: $installed_kb
Depends: libc6 (>= $glibc), libgl1, libegl1, libfontconfig1, libxkbcommon0, libxkbcommon-x11-0, libxcb1,
 libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-render-util0, libxcb-shape0,
 libdbus-1-3, fonts-dejavu-core | fonts-liberation2 | fonts-noto-core
Recommends: gnome-keyring | kwalletmanager
Section: utils
Priority: optional
Description: streams, gifts, diamonds and payouts for TikTok LIVE creators
 Creator Companion times your LIVE streams, logs the gifts you receive and shows
 what they add up to in coins, diamonds and cash. Everything stays on your
 computer; payment details are kept in the system keyring (GNOME Keyring or
 KDE Wallet).
CONTROL
deb=dist/${name}_${version}_${arch}.deb
# zstd: a few seconds instead of minutes for xz, 25 % larger; dpkg reads it since 1.21.18 (Debian 12, Ubuntu 22.04),
# and the libc6 dependency above already asks for Debian 12 or newer.
dpkg-deb --root-owner-group -Zzstd -z9 --build "$pkg" "$deb" >/dev/null
echo "built $deb ($(du -h "$deb" | cut -f1))"

# ---- the .tar.gz ------------------------------------------------------------------------------------------
folder=$name-$version
tree=$work/tar
rm -rf "$tree"
install -d "$tree/$folder/share/applications" "$tree/$folder/share/metainfo" "$tree/$folder/share/icons"
cp -a "$bundle/." "$tree/$folder/"
install -m 644 "$here/$app_id.desktop" "$tree/$folder/share/applications/"
install -m 644 "$here/$app_id.metainfo.xml" "$tree/$folder/share/metainfo/"
install -m 644 resources/icons/app.png "$tree/$folder/share/icons/$app_id.png"
tarball=dist/$folder-linux-$(uname -m).tar.gz
tar -C "$tree" --owner=0 --group=0 --numeric-owner -czf "$tarball" "$folder"
echo "built $tarball ($(du -h "$tarball" | cut -f1))"
