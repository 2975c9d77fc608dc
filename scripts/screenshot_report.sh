#!/usr/bin/env bash
# Renders a danseg HTML report in headless Chromium (Debian package `chromium`) to a PNG, as a user sees it.
# Usage: scripts/screenshot_report.sh REPORT.html OUT.png [HEIGHT]
set -euo pipefail
report="$(realpath "$1")"
out="$(realpath -m "$2")"
height="${3:-3000}"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
  --window-size=1400,"$height" --screenshot="$out" "file://$report" 2>/dev/null
test -s "$out"
echo "wrote $out"
