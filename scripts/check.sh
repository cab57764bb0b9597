#!/usr/bin/env bash
# The one check script: what a developer runs before committing and exactly what CI runs.
# Every step can fail the run; nothing here is allowed to be skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "Rust formatting"
cargo fmt --all --check

step "Clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust tests: unit, Tauri commands, and integration against a private Dovecot"
cargo test --workspace --locked

step "UI type check"
npm run check -w ui

step "UI component tests"
npm run test -w ui

step "Desktop binary with the UI embedded, and the test mail server"
npx tauri build --debug --no-bundle
cargo build --locked -p mailhound-tests --bin test-mail-server

step "End to end: the real window under Xvfb, against Dovecot"
xvfb-run -a -s "-screen 0 1280x800x24" npm test -w tests/e2e
