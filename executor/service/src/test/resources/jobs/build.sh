#!/usr/bin/env bash
# Rebuilds copy.wasm from copy.c, entropy.wasm from entropy.wat and spew.wasm from spew.wat, exactly as committed (Debian: clang lld wasi-libc
# libclang-rt-14-dev-wasm32 binaryen wabt; clang runs wasm-opt after linking whenever it is on PATH, so binaryen must
# be installed for identical bytes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
clang --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-debug copy.c -o copy.wasm
wat2wasm entropy.wat -o entropy.wasm
wat2wasm spew.wat -o spew.wasm
