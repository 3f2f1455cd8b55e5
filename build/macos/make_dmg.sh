#!/usr/bin/env bash
# Make dist/CreatorCompanion-<version>-macos-<arch>.dmg from "dist/Creator Companion.app" (the spec's BUNDLE,
# built by `make dist` on macOS). The disk image holds the app and a link to /Applications to drag it onto.
# Unsigned unless you sign first: see build/README.md ("macOS: signing and notarisation").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
app="dist/Creator Companion.app"
version=$(sed -n 's/^__version__ = "\([^"]*\)"$/\1/p' companion/__init__.py)
[[ -d "$app" ]] || { echo "error: $app is missing: run make dist on macOS first" >&2; exit 1; }
bundled=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist")
if [[ "$bundled" != "$version" ]]; then
  echo "error: $app is version $bundled, companion/__init__.py says $version: rebuild it" >&2
  exit 1
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="dist/CreatorCompanion-$version-macos-$(uname -m).dmg"
rm -f "$dmg"
hdiutil create -volname "Creator Companion $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
hdiutil verify "$dmg"
echo "built $dmg ($(du -h "$dmg" | cut -f1))"
