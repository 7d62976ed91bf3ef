#!/usr/bin/env bash
# The runtime layer of the service images, built on the host: Jib starts from `scratch` (no base image is pulled)
# and adds this directory at /. Run by the `images` profile of gateway/pom.xml and executor/service/pom.xml.
#
#   rootfs.sh JDK_HOME OUT_DIR MODULES
#
# OUT_DIR (emptied first) receives:
#   opt/java/            a runtime linked with jlink from JDK_HOME (JDK 25 links without jmods, JEP 493)
#   lib/, lib64/, usr/   the host's shared libraries that runtime loads (glibc, libz, ...), at the paths ldd reports
#   etc/passwd, group    root and the service user cidra (uid/gid 10001, the runAsUser of k8s/base), home /tmp
#   etc/nsswitch.conf    files for users, files then DNS for hosts
#   tmp/                 (k8s mounts an emptyDir over it)
# MODULES is a comma-separated jlink --add-modules list.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 JDK_HOME OUT_DIR MODULES" >&2
  exit 2
fi
jdk=$1
out=$2
modules=$3
uid=10001

[ -x "$jdk/bin/jlink" ] || { echo "rootfs.sh: no jlink in $jdk (need a JDK, not a JRE)" >&2; exit 1; }
command -v ldd >/dev/null || { echo "rootfs.sh: ldd not found (glibc Linux host needed)" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
java_dir="$out/opt/java"

"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --output "$java_dir"

# Headless services: drop the AWT/X11, sound and splash-screen libraries (they need X11 and ALSA libraries);
# java.desktop's classes stay (java.beans), libawt_headless serves java.awt in headless mode.
rm -f "$java_dir"/lib/libawt_xawt.so "$java_dir"/lib/libjawt.so "$java_dir"/lib/libjsound.so \
  "$java_dir"/lib/libsplashscreen.so

# Every ELF file of the runtime, and the libraries outside the runtime they need (transitively: ldd lists all).
mapfile -t elves < <(find "$java_dir" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper -o -name jexec \) \
  -exec sh -c 'head -c 4 "$1" | grep -q "ELF" && echo "$1"' _ {} \;)
libs=$(
  for elf in "${elves[@]}"; do
    LD_LIBRARY_PATH="$java_dir/lib:$java_dir/lib/server" ldd "$elf" 2>/dev/null || true
  done | awk '
    /not found/ { print "MISSING " $1; next }
    $2 == "=>" && $3 ~ /^\// { print $3; next }
    $1 ~ /^\// { print $1 }
  ' | sort -u
)
if grep -q '^MISSING' <<<"$libs"; then
  echo "rootfs.sh: libraries not found on this host:" >&2
  grep '^MISSING' <<<"$libs" >&2
  exit 1
fi
# glibc dlopens libgcc_s for pthread_exit/pthread_cancel unwinding; ldd does not show it.
gcc_s=$(ldconfig -p 2>/dev/null | awk '/libgcc_s.so.1 .*x86-64|libgcc_s.so.1 .*AArch64/ { print $NF; exit }')
count=0
for lib in $libs ${gcc_s:-}; do
  case "$lib" in "$java_dir"/*) continue ;; esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
  count=$((count + 1))
done

mkdir -p "$out/etc" "$out/tmp"
chmod 1777 "$out/tmp"
cat >"$out/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
cidra:x:$uid:$uid:cidra:/tmp:/sbin/nologin
EOF
cat >"$out/etc/group" <<EOF
root:x:0:
cidra:x:$uid:
EOF
cat >"$out/etc/nsswitch.conf" <<EOF
passwd: files
group: files
hosts: files dns
EOF

echo "rootfs.sh: $out: jlink ($modules), $count host libraries, $(du -sh "$out" | cut -f1) in all"
