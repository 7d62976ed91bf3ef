#!/usr/bin/env bash
# Measures the running platform end to end (HTTP -> gateway -> Kafka -> executor -> Kafka -> gateway -> HTTP) with
# a trivial function (load-tests/jmh/src/main/resources/guests/trivial.wasm), on this machine:
#
#   load-tests/platform/run.sh [fresh|latency|peak|all]      (default: all, about 5 minutes)
#
#   fresh    the first 500 calls of a freshly started platform, one at a time (no warm-up but the executor's own,
#            which `cidra up` waits for); also the first step of every run, before the JIT warm-up below
#   peak     closed loop at 32 and 64 connections, 30 s each (wrk when installed, else the JDK load generator)
#   latency  open loop at 200 requests/s: 10 s warm-up, then 30 s measured (p50/p90/p99 from each request's due time)
#
# Every run first warms the freshly started JVMs (Graal JIT of the guest, C2 of the services and the broker) with
# 60 s of closed-loop calls at 32 connections; a platform measured cold shows the JIT, not the steady state.
#
# It starts its own platform (`./cidra up`) in load-tests/platform/target/home on spare ports (1909x, 1900x, 1808x) so
# a platform started by hand is left alone, and stops it at the end. Holds /tmp/cidra-build.lock throughout, so no
# build competes for the 2 cores while it measures. Summary lines go to stdout and target/results.txt.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/.mvn/jdk.sh"
what=${1:-all}
case "$what" in
  fresh | latency | peak | all) ;;
  *)
    echo "usage: $0 [fresh|latency|peak|all]" >&2
    exit 2
    ;;
esac
. "$root/load-tests/platform.sh"
cidra_load_lock

target="$here/target"
"$root/mvnw" -B -q -f "$root/pom.xml" -pl load-tests/platform package -DskipTests
cidra_load_up "$target/home" 19092 19000 18081 18080

cid=$(cidra_load_upload "$root/load-tests/jmh/src/main/resources/guests/trivial.wasm")
echo "trivial.wasm uploaded as $cid" >&2

load() {
  "$JAVA_HOME/bin/java" -Xmx512m -cp "$target/cidra-load-platform.jar" dev.cidra.load.InvokeLoad "$gateway" "$cid" "$@" |
    tee -a "$target/results.txt"
}
# peak CONNECTIONS SECONDS: closed loop. wrk (C, a tenth of the JDK client's CPU, which would otherwise take a third of
# these 2 cores) when installed (apt-get install wrk), else InvokeLoad.
peak() {
  if command -v wrk >/dev/null; then
    wrk -t1 -c"$1" -d"$2"s --latency -s "$here/post.lua" "$gateway/v1/functions/$cid/invoke" |
      awk -v c="$1" '/requests in/ {n=$1} /Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 90%/ {p90=$2} / 99%/ {p99=$2}
        /Non-2xx|Socket errors/ {e=e $0} END {printf "wrk connections=%s requests=%s throughput=%.0f/s p50=%s p90=%s p99=%s errors={%s}\n", c, n, r, p50, p90, p99, e}' |
      tee -a "$target/results.txt"
  else
    load concurrency="$1" seconds="$2" warmup=0
  fi
}
echo "# $(date -u +%FT%TZ) $(nproc) cores" >>"$target/results.txt"
# A fresh platform: the first calls (goal: p50 <= 5 ms, p99 <= 20 ms). The load generator's own JVM is fresh too.
load concurrency=1 requests=500 seconds=600 warmup=0 | sed 's/^/(fresh platform, first 500 calls) /'
[ "$what" = fresh ] && exit 0
# The JIT of four JVMs on 2 busy cores needs about a hundred thousand calls before the hot paths are compiled.
peak 32 60 | sed 's/^/(JIT warm-up) /'
if [ "$what" = peak ] || [ "$what" = all ]; then
  peak 32 30
  peak 64 30
fi
if [ "$what" = latency ] || [ "$what" = all ]; then
  load rate=200 seconds=30 warmup=10
fi
