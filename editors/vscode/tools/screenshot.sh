#!/usr/bin/env bash
# Regenerates docs/images/vscode-diagnostics.png: tools/shop.vnet (one misspelt subnet name)
# highlighted by the extension's TextMate grammar, with the diagnostics `vnetc check
# --format json` reports, rendered to HTML (render-html.js) and photographed by headless
# Chromium. Needs `npm ci` here, vnetc on PATH (or $VNETC) and chromium.
set -euo pipefail
cd "$(dirname "$0")"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cp shop.vnet "$out/shop.vnet"
(cd "$out" && "${VNETC:-vnetc}" check --format json shop.vnet > diagnostics.json || true)
node render-html.js "$out/shop.vnet" "$out/diagnostics.json" "$out/shop.html"
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-dev-shm-usage --hide-scrollbars --window-size=860,540 \
  --screenshot="$(cd ../../.. && pwd)/docs/images/vscode-diagnostics.png" "file://$out/shop.html"
