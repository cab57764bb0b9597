#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, i.e. a real
# Secret Service like a desktop has. Use as: dbus-run-session -- sh tests/keychain.sh CMD...
# HOME points at a throw-away directory so no real keyring is touched.
HOME=$(mktemp -d)
export HOME
printf 'mailhound-test-keyring' | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
keyring=$!
for _ in $(seq 50); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
    string:org.freedesktop.secrets 2>/dev/null | grep -q true && break
  sleep 0.1
done
"$@"
status=$?
kill "$keyring"
rm -rf "$HOME"
exit $status
