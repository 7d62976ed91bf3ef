#!/usr/bin/env bash
# Builds the committed benchmark guests (*.wasm) from their sources, deterministically for a given toolchain.
#
#   bash build.sh               build every .wasm here (clang for wasm32-wasi, wasm-opt, wat2wasm, python3)
#   bash build.sh --native DIR  build only the native twins of the self-timing guests into DIR/<name>-native (gcc)
#
# Environment: CLANG (default clang), CC (default gcc), WASI_SYSROOT (optional --sysroot for clang).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF_TIMING=(fib nbody sha256)

die() {
    echo "build.sh: $*" >&2
    exit 1
}

require() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null || die "required tool '$tool' is not on PATH"
    done
}

if [[ ${1:-} == --native ]]; then
    [[ -n ${2:-} ]] || die "usage: build.sh --native DIR"
    CC=${CC:-gcc}
    require "$CC"
    mkdir -p "$2"
    for name in "${SELF_TIMING[@]}"; do
        "$CC" -O2 -Wall -Wextra -o "$2/$name-native" "$here/$name.c" -lm
    done
    exit 0
fi

CLANG=${CLANG:-clang}
# wasm-opt is required because clang silently runs it after linking whenever it is on PATH:
# without it the modules would come out different.
require "$CLANG" wasm-opt wat2wasm python3
cd "$here"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm_cc() {
    "$CLANG" --target=wasm32-wasi ${WASI_SYSROOT:+--sysroot="$WASI_SYSROOT"} -O2 -Wall -Wextra -Wl,--strip-debug "$@" \
        || die "$CLANG failed for wasm32-wasi: are wasi-libc and libclang-rt-14-dev-wasm32 installed (or WASI_SYSROOT set)?"
}

wat2wasm trivial.wat -o trivial.wasm
wasm_cc hello.c -o hello.wasm
wasm_cc syscalls.c -o syscalls.wasm
for name in "${SELF_TIMING[@]}"; do
    wasm_cc "$name.c" -o "$name.wasm" -lm
done

# big.wasm: 1,900,000 pseudo-random bytes (xorshift32, fixed seed) as one initialised array.
python3 - "$work/big-data.c" <<'PY'
import sys
size, x, data = 1_900_000, 2463534242, bytearray()
while len(data) < size:
    x ^= (x << 13) & 0xFFFFFFFF
    x ^= x >> 17
    x ^= (x << 5) & 0xFFFFFFFF
    data.append(x & 0xFF)
with open(sys.argv[1], "w") as out:
    out.write("const unsigned long big_data_size = %d;\nconst unsigned char big_data[%d] =\n" % (size, size))
    for i in range(0, size, 64):
        out.write('"' + "".join("\\x%02x" % b for b in data[i:i + 64]) + '"\n')
    out.write(";\n")
PY
wasm_cc big.c "$work/big-data.c" -o big.wasm

chmod 644 ./*.wasm
ls -l ./*.wasm
