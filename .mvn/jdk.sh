# Sourced by ./mvnw and ./cidra: exports JAVA_HOME as a JDK >= 21, or exits with one line.
# Order: $JAVA_HOME if it is >= 21, then Temurin 25 at its Debian path, then any >= 21 under /usr/lib/jvm.
# The JDK's major version: from its `release` file (JAVA_VERSION="25.0.3"; 1.8.0 is 1), else by asking it (about
# 70 ms, paid by every command).
cidra_java_major() {
  local major
  major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  [ -n "$major" ] && { echo "$major"; return; }
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}
cidra_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(cidra_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "cidra: no JDK >= 21 found (JAVA_HOME=${JAVA_HOME:-unset}); install Temurin 25 or set JAVA_HOME to a JDK >= 21" >&2
  exit 1
}
cidra_find_jdk
