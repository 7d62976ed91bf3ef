#!/usr/bin/env bash
# Rebuilds the runtime-test modules: wabt's wat2wasm and clang for wasm32-wasi with Debian's wasi-libc
# (apt-get install wabt clang lld wasi-libc libclang-rt-14-dev-wasm32).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
command -v wasm-opt >/dev/null || { echo "build.sh: wasm-opt (binaryen) is needed: clang runs it when present, so builds differ without it" >&2; exit 1; }
wat2wasm counter.wat -o counter.wasm
wat2wasm start-counter.wat -o start-counter.wasm
clang --target=wasm32-wasi -O2 -s -o fd-leak.wasm fd-leak.c
clang --target=wasm32-wasi -O2 -s -o deterministic.wasm deterministic.c
