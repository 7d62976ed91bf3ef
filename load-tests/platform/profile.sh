#!/usr/bin/env bash
# Where a hot trivial call's CPU goes (issue 13, goal 4): JFR on the gateway, the executor and the broker while the
# platform runs at 64 connections, plus the Kafka clients' batching and the CPU per call of each process.
#
#   load-tests/platform/profile.sh [SECONDS]     (default 30 s profiled, after a 60 s JIT warm-up; about 3 minutes)
#
# Starts its own platform (ports 1929x, 1920x, 1828x; state in load-tests/platform/target/profile-home), records
# target/profile/{gateway,executor,kafka}.jfr (jcmd JFR.start, the `profile` settings), and prints for each process
# its CPU ms per call (/proc/PID/stat), its hottest methods and its allocation by class (`jfr view`), and the
# producers' and consumers' records per request (the services' Kafka client meters). Holds /tmp/cidra-build.lock.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/.mvn/jdk.sh"
seconds=${1:-30}
. "$root/load-tests/platform.sh"
cidra_load_lock

target="$here/target"
out="$target/profile"
rm -rf "$out"
mkdir -p "$out"
"$root/mvnw" -B -q -f "$root/pom.xml" -pl load-tests/platform package -DskipTests
cidra_load_up "$target/profile-home" 19292 19200 18281 18280
cid=$(cidra_load_upload "$root/load-tests/jmh/src/main/resources/guests/trivial.wasm")

pid_of() { sed -n 's/^pid=//p' "$CIDRA_HOME/run/$1.pid"; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# drive CONNECTIONS SECONDS: closed loop against the gateway; prints the number of calls answered.
drive() {
  if command -v wrk >/dev/null; then
    wrk -t1 -c"$1" -d"$2"s -s "$here/post.lua" "$gateway/v1/functions/$cid/invoke" |
      awk '/requests in/ {n=$1} /Non-2xx/ {bad=$NF} END {print n - bad}'
  else
    "$JAVA_HOME/bin/java" -Xmx512m -cp "$target/cidra-load-platform.jar" dev.cidra.load.InvokeLoad "$gateway" "$cid" \
      concurrency="$1" seconds="$2" warmup=0 | sed -E 's/.* requests=([0-9]+) .*/\1/'
  fi
}

drive 32 60 >/dev/null
processes=(gateway executor kafka)
declare -A before
for p in "${processes[@]}"; do
  "$JAVA_HOME/bin/jcmd" "$(pid_of "$p")" JFR.start name=perf settings=profile filename="$out/$p.jfr" >/dev/null
  before[$p]=$(cpu "$(pid_of "$p")")
done
calls=$(drive 64 "$seconds")
for p in "${processes[@]}"; do
  used=$(($(cpu "$(pid_of "$p")") - before[$p]))
  "$JAVA_HOME/bin/jcmd" "$(pid_of "$p")" JFR.stop name=perf >/dev/null
  awk -v p="$p" -v u="$used" -v t="$(getconf CLK_TCK)" -v c="$calls" \
    'BEGIN {printf "%s: %.3f ms CPU per call\n", p, u * 1000 / t / c}' | tee -a "$out/summary.txt"
done
echo "calls: $calls in ${seconds} s ($((calls / seconds))/s) at 64 connections" | tee -a "$out/summary.txt"
for p in "${processes[@]}"; do
  {
    echo "== $p: hot methods"
    "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$out/$p.jfr" | head -30
    echo "== $p: allocation by class"
    "$JAVA_HOME/bin/jfr" view --width 160 allocation-by-class "$out/$p.jfr" | head -20
  } >>"$out/summary.txt"
done
for port in 18280 18281; do
  curl -sf -H "Authorization: Bearer $CIDRA_TOKEN" "http://127.0.0.1:$port/q/metrics" |
    grep -E '^kafka_(producer_records_per_request_avg|consumer_fetch_manager_records_per_request_avg)\{' |
    sed "s/^/port $port: /" >>"$out/summary.txt" || true
done
cat "$out/summary.txt"
