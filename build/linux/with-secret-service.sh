#!/usr/bin/env bash
# Run a command with a real Secret Service: a private D-Bus session bus and gnome-keyring, unlocked, keeping its
# files in a fresh temporary folder (an old keyring with another password would stay locked). The user's own
# session and keyring are never touched. Needs the Debian packages dbus and gnome-keyring.
#
#   build/linux/with-secret-service.sh dist/creator-companion/creator-companion --self-test
set -euo pipefail
if (($# == 0)); then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing (apt-get install dbus gnome-keyring)" >&2; exit 1; }
done
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
mkdir -m 700 "$keyring_home/data" "$keyring_home/run"
# The daemon forks and stays on the private bus; dbus-run-session ends the bus (and with it the daemon) when
# the command exits. Without --unlock it would ask for a password in a dialog.
XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/run" dbus-run-session -- bash -c '
  printf %s companion-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  "$@"' with-secret-service "$@"
