#!/usr/bin/env bash
# Tests the tree-sitter grammar: regenerates the parser (and fails if the committed one in
# src/ was stale), runs the corpus and highlight tests (test/), and parses every example and
# every fixture that the compiler parses, failing on any error node.
#
# Needs the tree-sitter CLI (`cargo install --locked tree-sitter-cli`: about 11 minutes to
# build, hence not part of the default CI run), Node.js (for grammar.js) and a C compiler.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v tree-sitter >/dev/null; then
  echo "error: the tree-sitter CLI is not installed (cargo install --locked tree-sitter-cli)" >&2
  exit 2
fi
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-${TMPDIR:-/tmp}/vnet-tree-sitter-cache}"

before=$(cat src/parser.c src/grammar.json src/node-types.json | sha256sum)
tree-sitter generate
after=$(cat src/parser.c src/grammar.json src/node-types.json | sha256sum)
if [ "$before" != "$after" ]; then
  echo "error: src/ was stale; commit the regenerated parser" >&2
  exit 1
fi

tree-sitter test

# Files with syntax errors (E0001 fixtures) are meant not to parse.
mapfile -t files < <(find ../../examples ../../tests/fixtures -name '*.vnet' ! -name 'E0001-*' | sort)
tree-sitter parse --quiet "${files[@]}"
echo "parsed ${#files[@]} files without an error node"
