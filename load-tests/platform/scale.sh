#!/usr/bin/env bash
# Scale-out of the gateways: whether the work per call of a gateway replica stays the same when a second replica is
# added (issue 13, goal 7). Starts `./cidra up --gateways 2 --executors 3` and runs, after a JIT warm-up of both:
#
#   one   closed loop at 64 connections against gateway 1 only
#   two   32 connections against each gateway at once (64 in all)
#
# For each it prints the calls/s of each gateway and the CPU each gateway process spent per call it answered (from
# /proc/PID/stat), and the same for the executors and the broker. On 2 cores the total cannot double; what must not
# grow from `one` to `two` is a gateway's CPU per call it answered: with every replica reading every reply (the design
# before per-replica reply partitions) it grows by the replies of the other replica's calls.
#
#   load-tests/platform/scale.sh [SECONDS]      (default 30 per step; about 5 minutes in all)
#
# Uses wrk when installed (apt-get install wrk), else the JDK load generator (InvokeLoad). Ports 1919x, 1910x,
# 1818x (gateways 18180, 18280; executors 18181, 18281, 18381), state in load-tests/platform/target/scale-home.
# Holds /tmp/cidra-build.lock throughout. Summary lines go to stdout and target/scale.txt.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/.mvn/jdk.sh"
seconds=${1:-30}
. "$root/load-tests/platform.sh"
cidra_load_lock

target="$here/target"
"$root/mvnw" -B -q -f "$root/pom.xml" -pl load-tests/platform package -DskipTests
cidra_load_up "$target/scale-home" 19192 19100 18181 18180 --gateways 2 --executors 3
gateways=("http://127.0.0.1:18180" "http://127.0.0.1:18280")
cid=$(cidra_load_upload "$root/load-tests/jmh/src/main/resources/guests/trivial.wasm")
echo "trivial.wasm uploaded as $cid" >&2

# cpu PIDFILE: the process's user+system CPU time in clock ticks.
cpu() { awk '{print $14 + $15}' "/proc/$(sed -n 's/^pid=//p' "$1")/stat"; }
pidfiles=("$CIDRA_HOME"/run/*.pid)

# drive URL CONNECTIONS SECONDS: closed loop; prints the number of 2xx answers.
drive() {
  if command -v wrk >/dev/null; then
    wrk -t1 -c"$2" -d"$3"s -s "$here/post.lua" "$1/v1/functions/$cid/invoke" |
      awk '/requests in/ {n=$1} /Non-2xx/ {bad=$NF} END {print n - bad}'
  else
    "$JAVA_HOME/bin/java" -Xmx512m -cp "$target/cidra-load-platform.jar" dev.cidra.load.InvokeLoad "$1" "$cid" \
      concurrency="$2" seconds="$3" warmup=0 | sed -E 's/.* requests=([0-9]+) .*/\1/'
  fi
}

# step NAME URL...: drives each URL with 64/N connections at once; prints calls/s per gateway and CPU per call.
step() {
  local name=$1
  shift
  local connections=$((64 / $#)) before=() after=() counts=() i
  for f in "${pidfiles[@]}"; do before+=("$(cpu "$f")"); done
  local outs=()
  for i in $(seq 1 $#); do outs+=("$(mktemp)"); done
  i=0
  for url in "$@"; do
    drive "$url" "$connections" "$seconds" >"${outs[$i]}" &
    i=$((i + 1))
  done
  wait
  for f in "${pidfiles[@]}"; do after+=("$(cpu "$f")"); done
  local total=0 line="$name:"
  for i in "${!outs[@]}"; do
    counts+=("$(cat "${outs[$i]}")")
    total=$((total + counts[i]))
    line+=" gateway-$((i + 1)) $((counts[i] / seconds))/s"
    rm -f "${outs[$i]}"
  done
  line+=" total $((total / seconds))/s; CPU ms per call:"
  local tick
  tick=$(getconf CLK_TCK)
  for i in "${!pidfiles[@]}"; do
    local name_of used calls
    name_of=$(basename "${pidfiles[$i]}" .pid)
    used=$((after[i] - before[i]))
    calls=$total
    case "$name_of" in gateway) calls=${counts[0]} ;; gateway-2) calls=${counts[1]:-0} ;; esac
    if [ "$calls" -gt 0 ]; then
      line+=" $name_of $(awk -v u="$used" -v t="$tick" -v c="$calls" 'BEGIN {printf "%.3f", u * 1000 / t / c}')"
    else
      line+=" $name_of $(awk -v u="$used" -v t="$tick" 'BEGIN {printf "(%.1f s, no calls)", u / t}')"
    fi
  done
  echo "$line" | tee -a "$target/scale.txt"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(git -C "$root" rev-parse --short HEAD), ${seconds} s per step" |
  tee -a "$target/scale.txt"
# The JIT of every JVM needs about a hundred thousand calls before the hot paths are compiled (run.sh): warm both.
drive "${gateways[0]}" 32 60 >/dev/null &
drive "${gateways[1]}" 32 60 >/dev/null
wait
step one "${gateways[0]}"
step two "${gateways[@]}"
