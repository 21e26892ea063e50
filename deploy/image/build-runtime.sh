#!/bin/sh
# Builds the container image's runtime root (ADR 0036): a jlinked Java runtime from the JDK that
# runs the build, the glibc shared libraries it links against (copied from the build machine),
# and /etc/passwd + /etc/group naming the unprivileged user 10001. Jib adds this directory to a
# `scratch` base image, so no base image is pulled from a registry.
#   build-runtime.sh JAVA_HOME OUT_DIR MODULES
set -eu
java_home=$1 out=$2 modules=$3
if [ ! -x "$java_home/bin/jlink" ]; then
  echo "build-runtime: $java_home has no jlink (a full JDK >= 21 is needed)" >&2
  exit 1
fi
if ! command -v ldd >/dev/null 2>&1; then
  echo "build-runtime: ldd is missing (Debian package libc-bin)" >&2
  exit 1
fi
stamp="$out.stamp"
# Up to date when the JDK, the modules and this script are the same as last time.
key="$java_home $modules $(cksum <"$0")"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] && [ -x "$out/opt/java/bin/java" ]; then
  exit 0
fi
rm -rf "$out"
# Mount points: the data and tmp volumes, the release gate's release directory and keys (the Helm
# chart's paths), and the kernel file systems; a read-only root cannot grow them at run time.
mkdir -p "$out/opt" "$out/etc" "$out/tmp" "$out/var/lib/maestro" "$out/var/run/maestro/release" \
  "$out/var/run/maestro/release-keys" "$out/proc" "$out/dev" "$out/sys"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress zip-6 --output "$out/opt/java"
# A headless server: drop the desktop's X11, sound and splash-screen bindings (and their X11
# libraries with them); java.desktop stays for java.beans, which Jackson uses.
rm -f "$out/opt/java/lib/libawt_xawt.so" "$out/opt/java/lib/libjsound.so" \
  "$out/opt/java/lib/libsplashscreen.so"
# Every shared library the runtime's executables and libraries need from outside the runtime,
# plus the dynamic loader itself, at the paths the loader looks for them.
find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) | while read -r elf; do
  ldd "$elf" 2>/dev/null || true
done | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' | sort -u |
  while read -r lib; do
    case $lib in "$out"/*) continue ;; esac
    mkdir -p "$out$(dirname "$lib")"
    cp -L "$lib" "$out$lib"
  done
if [ ! -f "$out/lib64/ld-linux-x86-64.so.2" ] && [ ! -f "$out/lib/ld-linux-aarch64.so.1" ]; then
  echo "build-runtime: found no dynamic loader for $java_home/bin/java" >&2
  exit 1
fi
# The JVM options of the image's entrypoint (`java @/opt/java/maestro.args …`): nothing written
# outside the volumes (no perf data file; temporary files in /tmp), headless, UTF-8 output, and
# on JDK 24+ the Unsafe memory access protobuf still uses (an unknown option to older JDKs).
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$java_home/release")
{
  printf '%s\n' -XX:-UsePerfData -XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/tmp \
    -Djava.awt.headless=true -Dstdout.encoding=UTF-8 -Dstderr.encoding=UTF-8 \
    --enable-native-access=ALL-UNNAMED
  if [ "${major:-0}" -ge 24 ]; then
    echo --sun-misc-unsafe-memory-access=allow
  fi
} >"$out/opt/java/maestro.args"
printf 'root:x:0:0:root:/root:/sbin/nologin\nmaestro:x:10001:10001:maestro:/var/lib/maestro:/sbin/nologin\n' >"$out/etc/passwd"
printf 'root:x:0:\nmaestro:x:10001:\n' >"$out/etc/group"
echo "$key" >"$stamp"
