#!/usr/bin/env bash
# Rebuilds transform.wasm from transform.c, exactly as committed (Debian: clang lld wasi-libc
# libclang-rt-14-dev-wasm32 binaryen; clang runs wasm-opt after linking whenever it is on PATH, so binaryen must be
# installed for identical bytes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
clang --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-debug transform.c -o transform.wasm
