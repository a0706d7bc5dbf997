#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with its own unlocked gnome-keyring, so tests use
# a real Secret Service without ever touching the developer's own keychain.
set -euo pipefail
if [ "${KEYWAY_IN_PRIVATE_KEYRING:-}" = 1 ]; then exec "$@"; fi
home=$(mktemp -d /tmp/keyway-keyring.XXXXXX)
mkdir -p "$home/run" && chmod 700 "$home/run"
trap 'rm -rf "$home"' EXIT
env KEYWAY_IN_PRIVATE_KEYRING=1 HOME="$home" XDG_DATA_HOME="$home/.local/share" \
  XDG_RUNTIME_DIR="$home/run" XDG_CONFIG_HOME="$home/.config" \
  dbus-run-session -- bash -c '
    # Unlocking with a throwaway password creates the "login" collection, which the Secret
    # Service uses as its default; --start then registers the daemon on this private bus.
    eval "$(printf "keyway-tests" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
    eval "$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)"
    exec "$@"
  ' keyring "$@"
