#!/usr/bin/env bash
# Measures the running platform end to end (HTTP -> gateway -> Kafka -> executor -> Kafka -> gateway -> HTTP) with
# a trivial function (load-tests/jmh/src/main/resources/guests/trivial.wasm), on this machine:
#
#   load-tests/platform/run.sh [latency|peak|all]      (default: all, about 5 minutes)
#
#   peak     closed loop at 16 and 64 calls in flight: 10 s warm-up, then 20 s measured each
#   latency  open loop at 200 requests/s: 10 s warm-up, then 30 s measured (p50/p90/p99 from each request's due time);
#            run last, after the peak phases have warmed every JVM (alone: after 60 s more of closed-loop warm-up)
#
# Every run first warms the freshly started JVMs (Graal JIT of the guest, C2 of the services and the broker) with
# 30 s of closed-loop calls at 32 in flight; a platform measured cold shows the JIT, not the steady state.
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
  latency | peak | all) ;;
  *)
    echo "usage: $0 [latency|peak|all]" >&2
    exit 2
    ;;
esac
exec 9>/tmp/cidra-build.lock
flock 9

target="$here/target"
home="$target/home"
gateway=http://127.0.0.1:18080
"$root/mvnw" -B -q -f "$root/pom.xml" -pl load-tests/platform package -DskipTests
export CIDRA_HOME="$home"
"$root/cidra" up --kafka-port 19092 --kafka-controller-port 19093 --s3-port 19000 --executor-port 18081 \
  --gateway-port 18080
trap '"$root/cidra" down >&2' EXIT

cid=$(curl -sf -X POST --data-binary @"$root/load-tests/jmh/src/main/resources/guests/trivial.wasm" \
  -H 'Content-Type: application/wasm' "$gateway/v1/modules" | sed -E 's/.*"cid":"([^"]+)".*/\1/')
echo "trivial.wasm uploaded as $cid" >&2

load() {
  "$JAVA_HOME/bin/java" -Xmx512m -cp "$target/cidra-load-platform.jar" dev.cidra.load.InvokeLoad "$gateway" "$cid" "$@" |
    tee -a "$target/results.txt"
}
echo "# $(date -u +%FT%TZ) $(nproc) cores" >>"$target/results.txt"
load concurrency=32 seconds=30 warmup=0 | sed 's/^/(JIT warm-up) /'
if [ "$what" = peak ] || [ "$what" = all ]; then
  load concurrency=16 seconds=20 warmup=10
  load concurrency=64 seconds=20 warmup=10
fi
# Latency last: by now every JVM's hot paths are compiled (the JIT needs tens of thousands of calls on 2 cores).
if [ "$what" = latency ] || [ "$what" = all ]; then
  [ "$what" = latency ] && load concurrency=16 seconds=60 warmup=0 | sed 's/^/(JIT warm-up) /'
  load rate=200 seconds=30 warmup=10
fi
