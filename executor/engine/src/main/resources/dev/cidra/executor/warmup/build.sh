#!/usr/bin/env bash
# Rebuilds warmup.wasm, the executor's built-in warm-up corpus, from warmup.c: clang for wasm32-wasi with Debian's
# wasi-libc (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32 binaryen). wasm-opt must be on PATH: clang
# runs it after linking whenever it is there, so builds differ without it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
command -v wasm-opt >/dev/null || { echo "build.sh: wasm-opt (binaryen) is needed" >&2; exit 1; }
clang --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-debug warmup.c -o warmup.wasm -lm
