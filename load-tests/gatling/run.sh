#!/usr/bin/env bash
# Runs Gatling simulations (and the Kafka trigger load) against a platform of its own, on this machine:
#
#   load-tests/gatling/run.sh all | SCENARIO...      (SCENARIO: hot, zipf, jobs, ramp, kafka; on one platform, in order)
#
#   hot    HotModule: 64 virtual users calling trivial.wasm back to back (closed model)
#   zipf   ZipfMix: 64 users over 1000 distinct trivial modules, Zipf(1.0) popularity
#   jobs   AsyncJobs: 10 jobs/s (open model) published to S3, each polled every 50 ms until completed
#   ramp   OpenRamp: 50 -> 3,050 calls/s in 13 steps of 15 s (open model); per-level CSV for the knee
#   kafka  TriggerLoad: a trigger on a 4-partition topic, 300 records/s (15 s warm-up), outputs read read_committed
#   all    the five, in that order
#
# Settings from the environment: SECONDS_PER_RUN (60) for hot, zipf, jobs and kafka; WARMUP_SECONDS (60);
# GATLING_OPTS (extra -Dcidra.* or -Dgatling.* properties for the simulations, e.g. -Dcidra.modules=2000);
# TRIGGER_LOAD_OPTS (extra NAME=VALUE options of TriggerLoad, e.g. rate=1000 partitions=2).
#
# It starts its own platform (`./cidra up`) in load-tests/gatling/target/home on ports 2909x, 29000, 2808x (neither
# the defaults nor load-tests/platform's), warms the JVMs for WARMUP_SECONDS of closed-loop calls (wrk when
# installed, else HotModule), and stops the platform at exit. Holds /tmp/cidra-build.lock throughout. Each scenario
# leaves Gatling's HTML report under target/gatling/ and appends one line to target/summary.txt: throughput,
# p50/p95/p99, errors, and the executor's linked-module cache hit ratio over the run (from /q/metrics before and
# after); hot also records the CPU of each process (target/cpu-hot.txt), jobs the time per job (target/jobs-levels.csv),
# ramp the latency per level (target/ramp-levels.csv; plot-ramp.sh draws it).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/.mvn/jdk.sh"
[ "${1:-}" = all ] && set -- hot zipf jobs ramp kafka
[ $# -gt 0 ] || set -- usage
for scenario in "$@"; do
  case "$scenario" in
    hot | zipf | jobs | ramp | kafka) ;;
    *)
      echo "usage: $0 all | SCENARIO... (hot, zipf, jobs, ramp, kafka)" >&2
      exit 2
      ;;
  esac
done
seconds=${SECONDS_PER_RUN:-60}
warmup=${WARMUP_SECONDS:-60}
. "$root/load-tests/platform.sh"
cidra_load_lock

target="$here/target"
mkdir -p "$target/logs"
maven() { "$root/mvnw" -B -q -f "$root/pom.xml" -pl load-tests/gatling "$@"; }
if ! build=$(maven test-compile dependency:resolve-plugins dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test 2>&1); then
  echo "$build" >&2
  if grep -q 'io\.gatling' <<<"$build"; then
    echo "run.sh: a Gatling artifact does not resolve from the Maven repository this machine reaches; set" \
      "gatling.version and gatling-maven-plugin.version in load-tests/gatling/pom.xml to versions that do" >&2
  fi
  exit 1
fi

s3_port=29000
executor=http://127.0.0.1:28081
cidra_load_up "$target/home" 29092 "$s3_port" 28081 28080
trivial="$root/load-tests/jmh/src/main/resources/guests/trivial.wasm"
cid=$(cidra_load_upload "$trivial")
echo "trivial.wasm uploaded as $cid" >&2
bucket=cidra-load
# The bucket jobs publish to; S3Proxy answers 409 when it exists already (a second run on the same home).
status=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" \
  --user cidra-local:cidra-local-secret -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "http://127.0.0.1:$s3_port/$bucket")
case "$status" in
  200 | 409) ;;
  *)
    echo "run.sh: creating s3://$bucket on S3Proxy answered HTTP $status" >&2
    exit 1
    ;;
esac

summary="$target/summary.txt"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >>"$summary"

# The linked-module cache's hit and miss counters on the executor, as "HITS MISSES".
cache_counters() {
  curl -sf "$executor/q/metrics" | awk '
    /^cidra_module_cache_requests_total\{/ && /cache="linked"/ && /result="hit"/ {h=$NF}
    /^cidra_module_cache_requests_total\{/ && /cache="linked"/ && /result="miss"/ {m=$NF}
    END {printf "%d %d\n", h, m}'
}
# hit_ratio "H0 M0" "H1 M1": hits over lookups between the two readings.
hit_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {split(a, x, " "); split(b, y, " "); h=y[1]-x[1]; m=y[2]-x[2];
    if (h + m == 0) print "n/a (no lookups)"; else printf "%.4f (%d hits, %d misses)\n", h / (h + m), h, m}'
}

# simulate NAME CLASS [-Dproperty=value...]: one Gatling simulation, then its summary line.
simulate() {
  local name=$1 class=$2 before after report
  shift 2
  before=$(cache_counters)
  # shellcheck disable=SC2086 # GATLING_OPTS is a list of options
  maven gatling:test -Dgatling.simulationClass="dev.cidra.load.gatling.$class" \
    -Dcidra.gateway="$gateway" -Dcidra.cid="$cid" -Dcidra.seconds="$seconds" "$@" ${GATLING_OPTS:-} \
    >"$target/logs/$name.log" 2>&1 || {
    tail -40 "$target/logs/$name.log" >&2
    return 1
  }
  after=$(cache_counters)
  report=$(ls -td "$target/gatling/$(tr '[:upper:]' '[:lower:]' <<<"$class")"-* | head -1)
  # The report's statistics table, row "All Requests".
  awk -v row='All Requests' -v name="$name" -v report="$report" \
    -v ratio="$(hit_ratio "$before" "$after")" '
    index($0, "class=\"ellipsed-name\">" row "</span>") {found = 1; next}
    found && match($0, /col-[0-9]+">[^<]*</) {
      split(substr($0, RSTART, RLENGTH), cell, /[">]/); col = substr(cell[1], 5) + 0; v[col] = cell[3]
      sub(/<$/, "", v[col]); if (col == 14) found = 0
    }
    END {if (v[4] == "-") v[4] = 0
      printf "%s requests=%s errors=%s throughput=%s/s p50=%sms p95=%sms p99=%sms max=%sms" \
      " linked-cache-hit-ratio=%s report=%s/index.html\n", name, v[2], v[4], v[6], v[8], v[10], v[11], v[12], ratio, report}
  ' "$report/index.html" | tee -a "$summary"
}

# cpu_sample DELAY SPAN FILE: after DELAY s, the CPU each platform process, the Gatling JVM and the Maven JVM that
# forked it used over SPAN s, in percent of one core (from utime + stime in /proc/PID/stat).
cpu_sample() {
  local delay=$1 span=$2 file=$3 pids=() names=() pid component gatling
  sleep "$delay"
  for component in kafka s3proxy gateway executor; do
    pid=$(sed -n 's/^pid=//p' "$CIDRA_HOME/run/$component.pid" 2>/dev/null || true)
    [ -n "$pid" ] && pids+=("$pid") && names+=("$component")
  done
  gatling=$(pgrep -f 'io.gatling.app.Gatling' | head -1 || true)
  if [ -n "$gatling" ]; then
    pids+=("$gatling" "$(ps -o ppid= -p "$gatling" | tr -d ' ')")
    names+=(gatling "maven")
  fi
  ticks() { for pid in "${pids[@]}"; do awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0; done; }
  mapfile -t t0 < <(ticks)
  read -r _ u n s i rest </proc/stat
  local busy0=$((u + n + s)) all0=$((u + n + s + i))
  sleep "$span"
  mapfile -t t1 < <(ticks)
  read -r _ u n s i rest </proc/stat
  local hz
  hz=$(getconf CLK_TCK)
  {
    echo "# CPU over ${span}s from $(date -u -d "-$span sec" +%TZ), percent of one core ($(nproc) cores = $(($(nproc) * 100))%)"
    for k in "${!pids[@]}"; do
      awk -v n="${names[$k]}" -v p="${pids[$k]}" -v a="${t0[$k]}" -v b="${t1[$k]}" -v hz="$hz" -v s="$span" \
        'BEGIN {printf "%-9s pid %-7s %5.1f%%\n", n, p, (b - a) * 100 / hz / s}'
    done
    awk -v b=$((u + n + s - busy0)) -v a=$((u + n + s + i - all0)) -v c="$(nproc)" \
      'BEGIN {printf "machine   user+nice+system %5.1f%% of %d%%\n", b * 100 * c / a, c * 100}'
  } >"$file"
}

# Closed-loop calls of the hot module until the JIT of every JVM has settled.
if command -v wrk >/dev/null; then
  wrk -t1 -c32 -d"$warmup"s -s "$root/load-tests/platform/post.lua" "$gateway/v1/functions/$cid/invoke" |
    grep -E 'Requests/sec|Non-2xx|Socket errors' | sed 's/^/(JIT warm-up, wrk) /' >&2
else
  seconds=$warmup simulate warmup HotModule -Dcidra.concurrency=32 >&2
fi

run() {
  case "$1" in
    hot)
      cpu_sample 15 $((seconds / 2)) "$target/cpu-hot.txt" &
      simulate hot HotModule
      wait
      sed 's/^/  /' "$target/cpu-hot.txt" | tee -a "$summary"
      ;;
    zipf) simulate zipf ZipfMix -Dcidra.trivial="$trivial" ;;
    jobs)
      simulate jobs AsyncJobs -Dcidra.bucket="$bucket" -Dcidra.levels-file="$target/jobs-levels.csv"
      sed 's/^/  job time: /' "$target/jobs-levels.csv" | tee -a "$summary"
      ;;
    ramp)
      simulate ramp OpenRamp -Dcidra.levels-file="$target/ramp-levels.csv" -Dgatling.http.requestTimeout=10000
      sed 's/^/  /' "$target/ramp-levels.csv" | tee -a "$summary"
      ;;
    kafka)
      "$JAVA_HOME/bin/java" -Xmx512m -cp "$here/target/classes:$(cat "$target/classpath.txt")" \
        dev.cidra.load.kafka.TriggerLoad bootstrap=127.0.0.1:29092 gateway="$gateway" cid="$cid" \
        seconds="$seconds" ${TRIGGER_LOAD_OPTS:-} 2>"$target/logs/kafka.log" | tee -a "$summary"
      ;;
  esac
}
for scenario in "$@"; do run "$scenario"; done
