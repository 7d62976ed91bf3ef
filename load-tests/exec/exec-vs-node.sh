#!/usr/bin/env bash
# `cidra exec` of a module in a fresh process beside Node.js (V8) on the same .wasm (issue 13, goal 2: <= 3x Node):
#
#   load-tests/exec/exec-vs-node.sh [-n RUNS] [--mount HOST:GUEST]... FILE.wasm [ARG...]
#
# Runs each variant RUNS times (default 3), each in a fresh process, and prints the median and best wall time and the
# ratio to Node's median. Variants of the CLI JVM: `default` (as ./cidra runs it), `latency`
# (polyglot.engine.Mode=latency), `interpreter` (polyglot.engine.Compilation=false: no Graal compilation at all) and
# `aot` (the JDK's AOT cache, trained by one run of the same command first: -XX:AOTCacheOutput, then -XX:AOTCache).
# The guest's stdout goes to /dev/null; a run that exits non-zero is reported. Holds /tmp/cidra-build.lock while it
# measures. Example (the lifecycle branch's seam-carving program):
#
#   load-tests/exec/exec-vs-node.sh --mount cli/src/test/resources/seam-carving:/data \
#     cli/src/test/resources/seam-carving/seam.wasm /data/in.ppm /data/out.ppm
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=3
mounts=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    --mount) mounts+=(--mount "$2"); shift 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: $0 [-n RUNS] [--mount HOST:GUEST]... FILE.wasm [ARG...]" >&2; exit 2; }
command -v node >/dev/null || { echo "$0: needs node >= 20 on PATH" >&2; exit 2; }
wasm=$1
shift
"$root/cidra" --version >/dev/null # builds the CLI first when stale, outside the measurement
. "$root/load-tests/platform.sh"
cidra_load_lock
aot="$here/target/cidra-cli.aot"
mkdir -p "$here/target"

# seconds VARIANT: one fresh run of VARIANT; prints its wall time in seconds.
seconds() {
  local start end status=0
  start=$(date +%s.%N)
  case "$1" in
    node) node --no-warnings "$here/wasi-run.mjs" "${mounts[@]}" "$wasm" "${args[@]}" >/dev/null || status=$? ;;
    default) "$root/cidra" exec "${mounts[@]}" "$wasm" -- "${args[@]}" >/dev/null || status=$? ;;
    latency) CIDRA_JAVA_OPTS="-Dpolyglot.engine.Mode=latency" "$root/cidra" exec "${mounts[@]}" "$wasm" -- "${args[@]}" >/dev/null || status=$? ;;
    interpreter) CIDRA_JAVA_OPTS="-Dpolyglot.engine.Compilation=false" "$root/cidra" exec "${mounts[@]}" "$wasm" -- "${args[@]}" >/dev/null || status=$? ;;
    aot) CIDRA_JAVA_OPTS="-XX:AOTCache=$aot" "$root/cidra" exec "${mounts[@]}" "$wasm" -- "${args[@]}" >/dev/null || status=$? ;;
  esac
  end=$(date +%s.%N)
  [ "$status" = 0 ] || echo "($1 exited $status)" >&2
  awk -v s="$start" -v e="$end" 'BEGIN {printf "%.3f\n", e - s}'
}
args=("$@")
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(basename "$wasm") ${args[*]}, $runs runs each"
CIDRA_JAVA_OPTS="-XX:AOTCacheOutput=$aot" "$root/cidra" exec "${mounts[@]}" "$wasm" -- "${args[@]}" >/dev/null 2>&1 ||
  echo "(the AOT training run failed)" >&2
node_median=
for variant in node default latency interpreter aot; do
  times=()
  for _ in $(seq 1 "$runs"); do times+=("$(seconds "$variant")"); done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
  best=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
  [ -n "$node_median" ] || node_median=$median
  awk -v v="$variant" -v m="$median" -v b="$best" -v n="$node_median" \
    'BEGIN {printf "%-12s median %7.3f s  best %7.3f s  %5.1fx node\n", v, m, b, m / n}'
done
