#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test Mailhound.
# Safe to run again: every step is skipped when its result is already there.
set -euo pipefail

packages=(
  # Tauri build: WebKitGTK 4.1, GTK 3, OpenSSL for native-tls
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev
  libxdo-dev libssl-dev build-essential pkg-config curl file
  # the real window under Xvfb and its WebDriver
  xvfb xauth webkit2gtk-driver x11-utils
  # the keychain (Secret Service)
  dbus gnome-keyring libsecret-tools libdbus-1-dev
  # the IMAP test server
  dovecot-imapd dovecot-managesieved dovecot-sieve openssl iproute2
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  while fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1; do sleep 2; done
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end test.
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  cargo install tauri-driver --version '^2' --locked
fi

# JavaScript dependencies for the UI and the end-to-end suite, exactly as locked.
npm ci --no-audit --no-fund
