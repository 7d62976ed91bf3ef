#!/usr/bin/env bash
# Rebuilds every *.wasm here from its *.wat (wabt's wat2wasm; Debian package `wabt`). Deterministic.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
command -v wat2wasm >/dev/null || { echo "build.sh: wat2wasm not found (apt-get install wabt)" >&2; exit 1; }
for wat in *.wat; do
  wat2wasm "$wat" -o "${wat%.wat}.wasm"
done
