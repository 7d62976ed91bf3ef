#!/usr/bin/env bash
# Builds the benchmark module and runs the executor benchmarks; results go to load-tests/jmh/target/results/.
#
#   load-tests/jmh/run.sh [hot|pool|wasi|compute|cold|breakdown|all]  (default: all, about 20 minutes on 2 cores)
#
#   hot        JMH HotInvocationBenchmark: trivial.wasm and big.wasm, 1 and 2 threads, SampleTime then Throughput
#   pool       HotInvocationBenchmark for big.wasm with and without pre-instantiated contexts (pooled=2, 0), 1 thread:
#              SampleTime, then Throughput with JMH's GC profiler (allocation per call), and the pool's memory
#   wasi       JMH WasiBenchmark: trivial.wasm, hello.wasm and the syscall-heavy syscalls.wasm with /outputs mounted
#   compute    GuestVsNative: sha256/nbody/fib built with gcc -O2 and run natively vs through the WasmRuntime, and
#              through Node.js (load-tests/node/wasi-run.mjs) when node is on PATH
#   cold       JMH ColdInvocationBenchmark: first invocation of an unseen ~2 MB module fetched from S3Proxy
#   breakdown  InvocationBreakdown: phases of a hot invocation with the polyglot API (context, eval, instance ...)
#
# Every JVM that runs wasm gets the Graal JIT flags; the benchmarks refuse to run interpreter-only.
# The machine is shared: the build and each benchmark step hold /tmp/cidra-build.lock (one step at a time, each
# under 5 minutes) so that no build competes for the cores while a benchmark measures.
# Extra JMH options (e.g. -f 2 -wi 5) can be given in JMH_OPTS.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/.mvn/jdk.sh"
java="$JAVA_HOME/bin/java"
lock=${CIDRA_BENCH_LOCK:-/tmp/cidra-build.lock} # another path measures without waiting for builds (figures under load)
target="$here/target"
results="$target/results"
classpath="$target/cidra-jmh.jar:$target/lib/*"

what=${1:-all}
case "$what" in
  hot | pool | wasi | compute | cold | breakdown | all) ;;
  *)
    echo "usage: $0 [hot|pool|wasi|compute|cold|breakdown|all]" >&2
    exit 2
    ;;
esac

jit_flags=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$target/graal-jit"
  --enable-native-access=ALL-UNNAMED)
if [ "$(cidra_java_major "$JAVA_HOME")" -ge 23 ]; then
  jit_flags+=(--sun-misc-unsafe-memory-access=allow)
fi
# Same heap for every benchmark JVM, so that results do not depend on the machine's memory size.
vm_flags=("${jit_flags[@]}" -Xms2g -Xmx2g)

echo "run.sh: building load-tests/jmh (waiting for $lock) ..." >&2
(cd "$root" && flock "$lock" ./mvnw -B -q -pl load-tests/jmh -am package -DskipTests)
mkdir -p "$results"

# Writes what the machine was doing just before a step: other engineers' processes share the 2 cores.
machine_state() {
  echo "# $(date -u +%FT%TZ) loadavg $(cut -d' ' -f1-3 /proc/loadavg); busiest other processes (%cpu, command):"
  ps -eo pcpu=,args= --sort=-pcpu | head -5 | cut -c1-120 | sed 's/^/#   /'
}

# locked COMMAND...: the machine's state, then COMMAND, both while holding the lock.
locked() {
  flock "$lock" bash -c "$(declare -f machine_state); machine_state; exec \"\$@\"" _ "$@"
}

# jmh NAME BENCHMARK-REGEX FORK-FLAGS [JMH OPTIONS...]: one JMH run, failing on any benchmark error.
# FORK-FLAGS (a space-separated string, may be empty) go to the forked JVMs after the JIT and heap flags.
# JSON into $results/NAME.json, text into $results/NAME.txt.
jmh() {
  local name=$1 pattern=$2 fork_flags=$3
  shift 3
  echo "run.sh: $name (waiting for $lock) ..." >&2
  # shellcheck disable=SC2086 # JMH_OPTS is a list of options
  locked "$java" -cp "$classpath" org.openjdk.jmh.Main "$pattern" "$@" -foe true \
    -jvmArgsAppend "${vm_flags[*]} $fork_flags" -rf json -rff "$results/$name.json" ${JMH_OPTS:-} \
    | tee "$results/$name.txt"
}

# main NAME CLASS [ARGS...]: a plain benchmark program (dev.cidra.bench.CLASS); output into $results/NAME.txt.
main() {
  local name=$1 class=$2
  shift 2
  echo "run.sh: $name (waiting for $lock) ..." >&2
  locked "$java" "${vm_flags[@]}" -cp "$classpath" "dev.cidra.bench.$class" "$@" | tee "$results/$name.txt"
}

run_hot() {
  jmh hot-sample HotInvocationBenchmark "" -bm sample -tu us
  jmh hot-throughput HotInvocationBenchmark "" -bm thrpt -tu s
}

run_pool() {
  jmh pool-sample 'HotInvocationBenchmark.oneThread' "" -p guest=big.wasm -p pooled=2,0 -bm sample -tu us
  jmh pool-throughput 'HotInvocationBenchmark.oneThread' "" -p guest=big.wasm -p pooled=2,0 -bm thrpt -tu s \
    -prof gc
}

run_wasi() {
  jmh wasi WasiBenchmark "" -bm sample -tu us
}

run_compute() {
  local native="$target/native"
  bash "$here/src/main/resources/guests/build.sh" --native "$native"
  if command -v node >/dev/null; then
    main compute GuestVsNative "$native" 20 10 15 "$root/load-tests/node/wasi-run.mjs"
  else
    echo "run.sh: node is not on PATH: the compute step runs without its Node.js column" >&2
    main compute GuestVsNative "$native" 20 10 15
  fi
}

run_cold() {
  jmh cold ColdInvocationBenchmark "-Ds3proxy.test.jar=$target/s3proxy/s3proxy.jar"
}

run_breakdown() {
  main breakdown InvocationBreakdown 20 10
}

case "$what" in
  all)
    run_hot
    run_pool
    run_wasi
    run_compute
    run_cold
    run_breakdown
    ;;
  *) "run_$what" ;;
esac
echo "run.sh: results in $results" >&2
