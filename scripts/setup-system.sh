#!/usr/bin/env bash
# System packages Keyway's tests and headless mode need on Debian: a Secret Service
# (gnome-keyring + D-Bus) for the OS keychain, and Chromium for the browser tests. Recommended
# packages are kept: they bring the fonts Chromium renders the UI screenshots with.
set -euo pipefail
need=()
command -v dbus-run-session >/dev/null || need+=(dbus)
command -v gnome-keyring-daemon >/dev/null || need+=(gnome-keyring)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
