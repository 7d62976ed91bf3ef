#!/usr/bin/env bash
# Fuzzes every parser of untrusted bytes for longer than the build does (the build gives each target ~10 s).
#
#   load-tests/fuzz/run.sh [MINUTES-PER-TARGET]       (default 10)
#
# Jazzer fuzzes one @FuzzTest per JVM for the maxDuration its annotation gives, so each target is run again and again
# until its time is up; every run starts from the corpus the runs before it grew (.cifuzz-corpus/ in the module,
# ignored by git), so coverage accumulates as in one long run. A finding stops the script: Jazzer writes the crashing
# input into the target's ParserFuzzTestInputs/ folder, where it becomes a regression test of the normal build.
# Executions per target are summed from Jazzer's "Done N runs" lines into target/fuzz-summary.txt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
minutes=${1:-10}
case "$minutes" in '' | *[!0-9]*) echo "usage: $0 [MINUTES-PER-TARGET]" >&2; exit 2 ;; esac
targets=(
  "module-registry-cache ParserFuzzTest cidText cidBytes multibase dagPbBlock wasmModule"
  "gateway SpecFuzzTest jobSpec jobSpecYaml triggerSpec cloudEvent"
)
summary="$root/load-tests/fuzz/target/fuzz-summary.txt"
mkdir -p "$(dirname "$summary")"
: >"$summary"
cd "$root"
./mvnw -B -q -pl "$(for t in "${targets[@]}"; do set -- $t; printf '%s,' "$1"; done | sed 's/,$//')" -am \
  test-compile -Dspotless.check.skip=true
for entry in "${targets[@]}"; do
  set -- $entry
  module=$1 class=$2
  shift 2
  for method in "$@"; do
    runs=0
    deadline=$((SECONDS + minutes * 60))
    while [ $SECONDS -lt $deadline ]; do
      log=$(mktemp)
      if ! JAZZER_FUZZ=1 ./mvnw -B -pl "$module" surefire:test -Dspotless.check.skip=true \
          -Dtest="$class#$method" -DargLine=-Xmx512m >"$log" 2>&1; then
        echo "fuzz: FINDING in $module $class#$method; see $log and $module/src/test/resources" >&2
        exit 1
      fi
      output=$(find "$module/target/surefire-reports" -name "*$class-output.txt" | head -1)
      n=$(grep -oE 'Done [0-9]+ runs' "$output" | awk '{s += $2} END {print s + 0}')
      runs=$((runs + n))
      rm -f "$log"
    done
    echo "$module $class#$method: $runs executions in $minutes min, no finding" | tee -a "$summary"
  done
done
