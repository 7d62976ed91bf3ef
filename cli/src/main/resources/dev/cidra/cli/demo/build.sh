#!/usr/bin/env bash
# Rebuilds wordcount.wasm, the demo function `cidra demo` uploads, from wordcount.c.
# Needs clang with wasm32-wasi support (Debian: clang lld wasi-libc libclang-rt-14-dev-wasm32) and wasm-opt (binaryen),
# which clang runs after linking when it is on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
clang --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-debug wordcount.c -o wordcount.wasm
