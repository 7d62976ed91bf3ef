# Sourced by the load tests' run.sh scripts (needs $root, the repository): a platform of their own, and modules on it.

# Holds /tmp/cidra-build.lock on fd 9 until the sourcing script exits, so no build competes for the cores while it
# measures. Maven run by that script must not take the lock again.
cidra_load_lock() {
  exec 9>/tmp/cidra-build.lock
  flock 9
}

# cidra_load_up HOME KAFKA_PORT S3_PORT EXECUTOR_PORT GATEWAY_PORT [UP-OPTION...]: `./cidra up` with its state in
# HOME (the Kafka controller on KAFKA_PORT+1) and any further options of `up` (--gateways 2 ...), then those in
# $CIDRA_UP_OPTIONS (e.g. CIDRA_UP_OPTIONS="--warm-up-calls 0" to measure a platform without the warm-up), stopped by
# `./cidra down` when the sourcing script exits. Sets CIDRA_HOME, gateway (the first gateway's URL) and CIDRA_TOKEN
# (its admin API key).
cidra_load_up() {
  export CIDRA_HOME="$1"
  gateway="http://127.0.0.1:$5"
  "$root/cidra" up --kafka-port "$2" --kafka-controller-port "$(($2 + 1))" --s3-port "$3" --executor-port "$4" \
    --gateway-port "$5" "${@:6}" ${CIDRA_UP_OPTIONS:-}
  trap '"$root/cidra" down >&2' EXIT
  # An executor without the Graal JIT would measure the interpreter, not the platform.
  if ! curl -sf "http://127.0.0.1:$4/q/health/ready" | grep -Eq '"mode" *: *"COMPILED"'; then
    echo "the executor on port $4 does not run the Graal JIT (see its /q/health/ready); not measuring" >&2
    exit 1
  fi
  # The admin API key `up` created: every call to the gateway sends it (Authorization: Bearer).
  CIDRA_TOKEN="$(cat "$CIDRA_HOME/auth/admin-token")"
  export CIDRA_TOKEN
}

# cidra_load_upload FILE: uploads a module to $gateway and prints its CID.
cidra_load_upload() {
  curl -sf -X POST --data-binary @"$1" -H "Authorization: Bearer $CIDRA_TOKEN" -H 'Content-Type: application/wasm' \
    "$gateway/v1/modules" |
    sed -E 's/.*"cid":"([^"]+)".*/\1/'
}
