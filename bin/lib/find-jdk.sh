# Finds a JDK >= 21 and exports JAVA_HOME. Sourced (POSIX sh) by mvnw, bin/maestro and .ci/run.
# Order: $JAVA_HOME, the javac on $PATH, then /usr/lib/jvm/*, /usr/local/lib/jvm/* and
# /Library/Java/JavaVirtualMachines/*/Contents/Home, newest version first.

maestro_jdk_major() {
  # Prints the feature version of the JDK at $1 (e.g. 21), or nothing if it is not a JDK.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
  fi
}

maestro_find_jdk() {
  maestro_min=21
  if [ -n "${JAVA_HOME-}" ]; then
    v=$(maestro_jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$maestro_min" ]; then return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(maestro_jdk_major "$candidate")
    if [ -n "$v" ] && [ "$v" -ge "$maestro_min" ]; then JAVA_HOME=$candidate; export JAVA_HOME; return 0; fi
  fi
  best= best_v=0
  # The caller may run with `set -f` (mvnw does); the directory scan needs globbing.
  case $- in *f*) maestro_noglob=1; set +f ;; *) maestro_noglob= ;; esac
  for candidate in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] || continue
    v=$(maestro_jdk_major "$candidate")
    if [ -n "$v" ] && [ "$v" -ge "$maestro_min" ] && [ "$v" -gt "$best_v" ]; then best=$candidate best_v=$v; fi
  done
  [ -z "$maestro_noglob" ] || set -f
  if [ -n "$best" ]; then JAVA_HOME=$best; export JAVA_HOME; return 0; fi
  echo "maestro: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
  echo "maestro: install one, e.g. 'apt-get install openjdk-21-jdk' or https://adoptium.net, or set JAVA_HOME." >&2
  return 1
}
