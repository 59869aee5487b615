#!/usr/bin/env bash
# Headless checks of the editor configurations in editors/: Neovim 0.7+ (without
# nvim-lspconfig), Emacs 28 + eglot with vnet-mode, and Vim 9 + ALE. Each opens broken.vnet,
# checks filetype detection, highlighting groups/faces and indentation, starts the language
# server through the configuration, and waits for an E0001 diagnostic on line 3 among those
# the server publishes.
#
# The server is $VNET_LSP, else `vnet-lsp` from PATH, else fake_vnet_lsp.py (a stand-in that
# only publishes that one diagnostic). Needs: apt-get install neovim emacs-nox elpa-eglot
# vim vim-ale python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
editors="$(dirname "$here")"
if [ -z "${VNET_LSP:-}" ]; then
  if command -v vnet-lsp >/dev/null; then
    VNET_LSP="$(command -v vnet-lsp)"
  else
    VNET_LSP="$here/fake_vnet_lsp.py"
    echo "note: vnet-lsp is not on PATH; using the stand-in $VNET_LSP"
  fi
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# A project of its own (vnet.toml marks its root), so that the server sees only this file.
mkdir -p "$scratch/project"
cp "$here/broken.vnet" "$scratch/project/broken.vnet"
: > "$scratch/project/vnet.toml"
export VNET_LSP VNET_TEST_FILE="$scratch/project/broken.vnet"
export XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" XDG_STATE_HOME="$scratch" XDG_CACHE_HOME="$scratch"

status=0
cd "$editors"
timeout 30 nvim --headless --clean -i NONE -n --cmd "set rtp^=$editors/neovim" \
  -c "luafile $here/nvim.lua" || { echo "neovim: failed"; status=1; }
timeout 30 emacs --batch -Q -l "$here/emacs.el" 2>"$scratch/emacs.log" \
  || { cat "$scratch/emacs.log"; echo "emacs: failed"; status=1; }
timeout 30 vim -Nu "$here/vim-ale.vim" -i NONE -n -es || { echo "vim: failed"; status=1; }
exit $status
