#!/usr/bin/env bash
# Renders `vnetc diagram --format mermaid` (and `--flows`) of every example with
# mermaid-cli in headless Chromium, to check that Mermaid accepts what vnet writes.
#
# Not part of `cargo test`: it needs npm and Chromium. On Debian 12:
#   apt-get install -y --no-install-recommends chromium fonts-dejavu-core npm
#   tests/mermaid/check.sh
# mermaid-cli is installed once into $VNET_MERMAID_TOOLS (default ~/.cache/vnet-mermaid),
# with PUPPETEER_SKIP_DOWNLOAD=1 so that it uses the system's Chromium. Rendered files are
# kept in $VNET_MERMAID_OUT when set. Exit 0 when every diagram renders, 1 when one does
# not, 2 when a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium" ]; then
  echo "error: Chromium is not installed (apt-get install chromium fonts-dejavu-core)" >&2
  exit 2
fi
if ! command -v npm >/dev/null; then
  echo "error: npm is not installed (apt-get install npm)" >&2
  exit 2
fi

tools="${VNET_MERMAID_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/vnet-mermaid}"
mmdc="$tools/node_modules/.bin/mmdc"
if [ ! -x "$mmdc" ]; then
  echo "installing @mermaid-js/mermaid-cli into $tools"
  mkdir -p "$tools"
  (cd "$tools" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund @mermaid-js/mermaid-cli >/dev/null)
fi

out="${VNET_MERMAID_OUT:-}"
if [ -z "$out" ]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
printf '{"executablePath": "%s", "args": ["--no-sandbox", "--disable-gpu"]}\n' "$chromium" \
  >"$out/puppeteer.json"

cargo build --quiet --bin vnetc
status=0
for example in examples/*.vnet; do
  for flows in "" "--flows"; do
    name="$(basename "$example" .vnet)${flows:+-flows}"
    cargo run --quiet --bin vnetc -- diagram --format mermaid $flows "$example" >"$out/$name.mmd"
    if timeout 120 "$mmdc" -q -p "$out/puppeteer.json" -i "$out/$name.mmd" -o "$out/$name.svg" \
        >"$out/$name.log" 2>&1 && ! grep -q "Syntax error" "$out/$name.svg"; then
      echo "ok   $name"
    else
      echo "FAIL $name"
      sed 's/^/     /' "$out/$name.log"
      status=1
    fi
  done
done
exit "$status"
