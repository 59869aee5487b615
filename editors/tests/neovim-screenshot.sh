#!/usr/bin/env bash
# Regenerates docs/images/neovim-diagnostics.png: Neovim (headless, in tmux) with the plugin
# in editors/neovim and the real language server ($VNET_LSP, else vnet-lsp on PATH) on
# editors/vscode/tools/shop.vnet, its diagnostic float open; the terminal is captured with
# its colours, converted to HTML by aha and photographed by headless Chromium.
# Needs: apt-get install neovim tmux aha chromium fonts-dejavu-core.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export VNET_EDITORS="$(dirname "$here")"
export VNET_LSP="${VNET_LSP:-$(command -v vnet-lsp)}"
work="$(mktemp -d)"
session="vnet-shot-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/project"
cp "$VNET_EDITORS/vscode/tools/shop.vnet" "$work/project/shop.vnet"
: > "$work/project/vnet.toml"
cd "$work"
XDG_CONFIG_HOME="$work" XDG_DATA_HOME="$work" XDG_STATE_HOME="$work" TERM=xterm-256color \
  tmux new-session -d -s "$session" -x 132 -y 25 \
  "nvim --clean -u $here/screenshot-init.lua -i NONE -n project/shop.vnet"
sleep 4                                   # the server's first diagnostics
tmux send-keys -t "$session" '18G' '0' '5w'
sleep 0.5
tmux send-keys -t "$session" ':lua vim.diagnostic.open_float()' Enter
sleep 1
tmux capture-pane -t "$session" -p -e > screen.ansi
# aha washes out bright colours with a CSS filter; keep them as they are.
aha --black --title "Neovim + vnet-lsp" < screen.ansi \
  | sed 's/filter: contrast(70%) brightness(190%);//g; s/color:blue;/color:#6c9ef8;/g' \
  | sed "s|<pre>|<pre style=\"font-family:'DejaVu Sans Mono',monospace;font-size:14px;line-height:1.25;margin:8px\">|" \
  > screen.html
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-dev-shm-usage --hide-scrollbars --window-size=1140,470 \
  --screenshot="$VNET_EDITORS/../docs/images/neovim-diagnostics.png" "file://$work/screen.html"
