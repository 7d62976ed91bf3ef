#!/usr/bin/env bash
# Runs an image tarball of the `images` profile without a container runtime. Linux, as root; needs tar, jq and
# util-linux (unshare, nsenter), coreutils (chroot, timeout).
#
#   images/check.sh gateway/target/jib-image.tar [SECONDS]
#   images/check.sh executor/service/target/jib-image.tar [SECONDS]
#
# It unpacks the tarball (manifest.json, config.json, one .tar.gz per layer), applies the layers in order into a root
# file system in a temporary directory and, in a private mount namespace with /proc and /dev mounted there as a
# container runtime would:
#   1. runs `chroot ROOTFS /opt/java/bin/java -version`;
#   2. runs the image's entrypoint with only the image's environment, its working directory and its user
#      (config.json), Kafka pointed at a closed port (CIDRA_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1), for SECONDS
#      (default 40), and shows its output.
# It passes when `java -version` works and the service logs the Quarkus start line ("started in") or a Kafka error,
# and logs no missing class, module or library; for an image whose JAVA_TOOL_OPTIONS turn on JVMCI (the executor's),
# also the executor's "guest code compiled by the Graal JIT". Layer whiteouts are not handled (Jib writes none).
set -euo pipefail

if [ "${1:-}" = "--inside" ]; then
  # In the private mount namespace: $2 the unpacked image, $3 the seconds.
  root=$2/rootfs
  config=$2/image/$(jq -r '.[0].Config' "$2/image/manifest.json")
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  echo "== chroot ROOTFS /opt/java/bin/java -version"
  env -i "$(command -v chroot)" "$root" /opt/java/bin/java -version
  user=$(jq -r '.config.User // "0:0"' "$config")
  workdir=$(jq -r '.config.WorkingDir // "/"' "$config")
  mapfile -t entrypoint < <(jq -r '(.config.Entrypoint // []) + (.config.Cmd // []) | .[]' "$config")
  mapfile -t environment < <(jq -r '.config.Env // [] | .[]' "$config")
  environment+=(CIDRA_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1)
  echo "== as $user in $workdir, for ${3}s: ${environment[*]} ${entrypoint[*]}"
  status=0
  env -i "${environment[@]}" "$(command -v timeout)" -k 10 "$3" \
    "$(command -v nsenter)" --target $$ --root="$root" --wd="$root$workdir" --setuid "${user%%:*}" --setgid "${user#*:}" \
    "${entrypoint[@]}" || status=$?
  echo "== exit status $status (124: still running after ${3}s, stopped by the check)"
  exit 0
fi

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 IMAGE_TAR [SECONDS]" >&2
  exit 2
fi
image_tar=$(readlink -f "$1")
seconds=${2:-40}
[ "$(id -u)" -eq 0 ] || { echo "check.sh: run as root (chroot, mounts)" >&2; exit 1; }
for tool in tar jq unshare nsenter chroot timeout; do
  command -v "$tool" >/dev/null || { echo "check.sh: $tool not found" >&2; exit 1; }
done

work=$(mktemp -d /tmp/cidra-image-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/image" "$work/rootfs"
tar -xf "$image_tar" -C "$work/image"
echo "== $image_tar ($(stat -c %s "$image_tar") bytes): $(jq -r '.[0].RepoTags | join(" ")' "$work/image/manifest.json")"
while read -r layer; do
  echo "   layer $layer ($(stat -c %s "$work/image/$layer") bytes)"
  tar --warning=no-unknown-keyword -xzf "$work/image/$layer" -C "$work/rootfs"
done < <(jq -r '.[0].Layers[]' "$work/image/manifest.json")
echo "   root file system: $(du -sh "$work/rootfs" | cut -f1)"
mkdir -p "$work/rootfs/proc" "$work/rootfs/dev"

log=$work/run.log
unshare --mount --propagation private -- "$0" --inside "$work" "$seconds" 2>&1 | tee "$log"

failed=0
if ! grep -q '^openjdk version' "$log"; then
  echo "check.sh: FAILED: java -version did not run in the chroot"; failed=1
fi
if grep -E -q 'NoClassDefFoundError|ClassNotFoundException|UnsatisfiedLinkError|error while loading shared libraries|FindException|Module .* not found|Error occurred during initialization of boot layer' "$log"; then
  echo "check.sh: FAILED: a class, module or library is missing"; failed=1
fi
if ! grep -E -q 'started in [0-9.]+s|[Kk]afka' "$log"; then
  echo "check.sh: FAILED: no Quarkus start line and no Kafka error"; failed=1
fi
if grep -q -- '-XX:+EnableJVMCI' "$log" && ! grep -q 'compiled by the Graal JIT' "$log"; then
  echo "check.sh: FAILED: the image turns on JVMCI but the executor did not report the Graal JIT"; failed=1
fi
[ "$failed" -eq 0 ] && echo "check.sh: OK: $image_tar"
exit "$failed"
