#!/usr/bin/env bash
# The CLI's own overhead on `cidra wasm run` of a 30 MB module the gateway already has (issue 13, goal 5: <= 0.5 s over
# the job's time):
#
#   load-tests/exec/wasm-run-overhead.sh [RUNS] [MODULE.wasm]     (default 3 runs; about 3 minutes with the platform)
#
# Without MODULE, a 30 MB module is made from the conformance suite's hello.wasm plus a 30 MB custom section (a new
# CID each time). Starts its own platform (ports 1939x, 1930x, 1838x; state in load-tests/exec/target/overhead-home),
# runs `cidra wasm run MODULE` once to upload it, then RUNS times more, and prints for each run the whole command's
# wall time, the job's time on the gateway (its last update minus its creation, from GET /v1/jobs/{id}) and the
# difference: what the CLI adds. Holds /tmp/cidra-build.lock while it measures.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/.mvn/jdk.sh"
runs=${1:-3}
module=${2:-}
command -v node >/dev/null || { echo "$0: needs node on PATH" >&2; exit 2; }
"$root/cidra" --version >/dev/null # builds the CLI first when stale, outside the measurement
. "$root/load-tests/platform.sh"
cidra_load_lock
target="$here/target"
mkdir -p "$target"
cidra_load_up "$target/overhead-home" 19392 19300 18381 18380
export CIDRA_API="$gateway"
if [ -z "$module" ]; then
  module="$target/big.wasm"
  node -e '
    const fs = require("fs"), crypto = require("crypto");
    const hello = fs.readFileSync(process.argv[1]);
    const name = Buffer.from("padding"), payload = crypto.randomBytes(30 << 20);
    const size = name.length + 1 + payload.length, leb = [];
    for (let v = size; ; ) { const b = v & 0x7f; v >>>= 7; if (v) leb.push(b | 0x80); else { leb.push(b); break; } }
    fs.writeFileSync(process.argv[2], Buffer.concat([hello, Buffer.from([0, ...leb, name.length]), name, payload]));
  ' "$root/executor/engine/src/test/resources/conformance/hello/module.wasm" "$module"
fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(basename "$module") $(stat -c %s "$module") bytes"

# run LABEL: one `cidra wasm run`; prints the whole time, the job's time and the difference.
run() {
  local start end err job
  err=$(mktemp)
  start=$(date +%s.%N)
  "$root/cidra" wasm run "$module" >/dev/null 2>"$err"
  end=$(date +%s.%N)
  job=$(grep -oE 'job j-[0-9a-f-]+' "$err" | head -1 | cut -d' ' -f2)
  curl -sf -H "Authorization: Bearer $CIDRA_TOKEN" "$gateway/v1/jobs/$job" |
    node -e '
      let body = ""; process.stdin.on("data", d => body += d).on("end", () => {
        const job = JSON.parse(body), [label, start, end] = process.argv.slice(1);
        const whole = end - start, ran = (Date.parse(job.updatedAt) - Date.parse(job.createdAt)) / 1000;
        console.log(`${label}: whole ${whole.toFixed(2)} s, job ${ran.toFixed(2)} s, CLI overhead ${(whole - ran).toFixed(2)} s`);
      });' "$1" "$start" "$end"
  if grep -q "unchanged and stored already" "$err"; then
    echo "  (file not read: its CID was remembered, and the gateway had it)"
  elif grep -q "stored already" "$err"; then
    echo "  (upload skipped: the gateway had it)"
  fi
  rm -f "$err"
}
run "first (uploads)"
# The platform has just started: its JIT compilers are still busy on both cores for a while, which the CLI's figures
# would include.
sleep 20
echo "# load $(cut -d' ' -f1 /proc/loadavg) after 20 s"
for i in $(seq 1 "$runs"); do run "again $i"; done
