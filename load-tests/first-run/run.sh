#!/usr/bin/env bash
# First runs of a module an executor has never seen: Cidra (FirstRun: a running executor's engine, warmed with its
# built-in corpus, then the module) beside Node.js (V8) on the same .wasm, with the same arguments and mounts, in one
# run of this script. Results go to load-tests/first-run/target/results/.
#
#   load-tests/first-run/run.sh yosys                                   Yosys (npm @yowasp/yosys, 30 MB) synthesising counter.v
#   load-tests/first-run/run.sh wasm FILE [--mount HOST:GUEST[:ro]]... -- ARGS...     any WASI command
#
# Each engine runs RUNS times (default 3) in one process; every Cidra variant and every Node.js run is a fresh
# process. Variants (each a fresh JVM): warm-up rounds 0 and the executor's default 3 (WARMUP_ROUNDS="0 3"), and each
# JVM option set in VARIANTS (separated by '|', e.g. VARIANTS="-Dpolyglot.engine.Mode=latency|-Dpolyglot.engine.CompilerThreads=2").
# Yosys is fetched with npm into target/npm once (pinned version below); the machine is shared, so every step holds
# /tmp/cidra-build.lock as load-tests/jmh/run.sh does.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/.mvn/jdk.sh"
java="$JAVA_HOME/bin/java"
lock=${CIDRA_BENCH_LOCK:-/tmp/cidra-build.lock} # another path measures without waiting for builds (figures under load)
target="$here/target"
results="$target/results"
jmh="$root/load-tests/jmh/target"
classpath="$jmh/cidra-jmh.jar:$jmh/lib/*"
yosys_version=0.55.944
runs=${RUNS:-3}
warmups=${WARMUP_ROUNDS:-0 3}

command -v node >/dev/null || { echo "run.sh: node (Node.js >= 20) is needed as the reference" >&2; exit 1; }
case "${1:-}" in
  yosys)
    name=yosys
    if [ ! -f "$target/npm/node_modules/@yowasp/yosys/gen/yosys.core.wasm" ]; then
      echo "run.sh: fetching @yowasp/yosys@$yosys_version with npm into $target/npm ..." >&2
      mkdir -p "$target/npm"
      npm install --prefix "$target/npm" --no-audit --no-fund --silent "@yowasp/yosys@$yosys_version" >&2
    fi
    gen="$target/npm/node_modules/@yowasp/yosys/gen"
    [ -d "$target/yosys-fs/share" ] || node "$here/extract-share.mjs" "$gen/resources-yosys.js" "$target/yosys-fs"
    work="$target/yosys-work"
    rm -rf "$work" "$target/yosys-tmp" && mkdir -p "$work" "$target/yosys-tmp" && cp "$here/counter.v" "$work/"
    wasm="$gen/yosys.core.wasm"
    spec=(--mount "$target/yosys-fs/share:/share:ro" --mount "$work:/work" --mount "$target/yosys-tmp:/tmp"
      -- -q -p "read_verilog /work/counter.v; synth -top counter -noabc; tee -q -o /work/stat.txt stat")
    ;;
  wasm)
    [ $# -ge 3 ] || { echo "usage: $0 wasm FILE [--mount HOST:GUEST[:ro]]... -- ARGS..." >&2; exit 2; }
    wasm=$(realpath "$2")
    name=$(basename "$wasm" .wasm)
    shift 2
    spec=("$@")
    ;;
  *)
    echo "usage: $0 yosys | $0 wasm FILE [--mount HOST:GUEST[:ro]]... -- ARGS..." >&2
    exit 2
    ;;
esac

echo "run.sh: building load-tests/jmh (waiting for $lock) ..." >&2
(cd "$root" && flock "$lock" ./mvnw -B -q -pl load-tests/jmh -am package -DskipTests)
mkdir -p "$results"
out="$results/$name.txt"
: >"$out"

jit_flags=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$jmh/graal-jit"
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xms2g -Xmx2g)

# step LABEL COMMAND...: one fresh process under the lock; its lines (prefixed with LABEL) into $out and stdout.
step() {
  local label=$1
  shift
  echo "run.sh: $label (waiting for $lock) ..." >&2
  flock "$lock" bash -c 'echo "# $(date -u +%FT%TZ) loadavg $(cut -d" " -f1-3 /proc/loadavg)"; /usr/bin/time -f "process wall_s=%e max_rss_kb=%M" "$@" 2>&1' _ "$@" \
    | grep -E '^(#|first-run|node run|process)' | sed "s/^/$label: /" | tee -a "$out"
}

echo "# $name: $wasm ($(stat -c %s "$wasm") bytes), $runs runs per process; node $(node --version)" | tee -a "$out"
for i in 1 2 3; do
  step "node process $i" node --no-warnings "$root/load-tests/node/wasi-run.mjs" "$runs" "$wasm" "${spec[@]}"
done
for rounds in $warmups; do
  step "cidra warmup=$rounds" "$java" "${jit_flags[@]}" -cp "$classpath" dev.cidra.bench.FirstRun "$rounds" "$runs" "$wasm" "${spec[@]}"
done
IFS='|' read -r -a variants <<<"${VARIANTS:-}"
for flags in "${variants[@]}"; do
  # shellcheck disable=SC2086 # a variant is a list of JVM options
  step "cidra warmup=3 $flags" "$java" "${jit_flags[@]}" $flags -cp "$classpath" dev.cidra.bench.FirstRun 3 "$runs" "$wasm" "${spec[@]}"
done
echo "run.sh: results in $out" >&2
