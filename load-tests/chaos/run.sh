#!/usr/bin/env bash
# The fault suite: starts its own platform with replicas (`./cidra up --gateways 2 --executors 2`, state in a fresh
# directory under load-tests/chaos/target, ports 27092-27212), drives synchronous calls, jobs and trigger records at a
# bounded rate, and injects each fault in turn: SIGKILL and restart of an executor (the other alive), of both
# executors, of a gateway and of the broker; S3Proxy killed for 30 s; S3Proxy answering after up to 5 s for 30 s. Then
# counts from S3, Kafka (read_committed) and the API what was lost, duplicated, stuck or failed, and how long calls
# failed; appends the table to load-tests/chaos/RESULTS.md.
#
#   load-tests/chaos/run.sh [full|reduced]      (default: full, about 10 minutes; reduced: what the build runs)
#
# Exits 1 if a job or record was lost, duplicated or stuck. Holds /tmp/cidra-build.lock throughout.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/.mvn/jdk.sh"
scale=${1:-full}
case "$scale" in
  full | reduced) ;;
  *)
    echo "usage: $0 [full|reduced]" >&2
    exit 2
    ;;
esac
. "$root/load-tests/platform.sh"
cidra_load_lock

# The suite and what ./cidra runs (the CLI, the services), built in one reactor so the jars match the sources.
"$root/mvnw" -B -q -f "$root/pom.xml" -pl gateway,load-tests/chaos -am package -DskipTests -Dfuzzing.skip
"$JAVA_HOME/bin/java" -cp "$here/target/cidra-load-chaos.jar:$(cat "$here/target/classpath.txt")" \
  dev.cidra.load.chaos.Chaos "$scale" 27092 "$here/RESULTS.md" "$here/target" -- "$root/cidra"
