#!/usr/bin/env bash
# Runs the rego module's JMH benchmarks (decision latency/throughput and canon policy compile time).
# Usage: rego/run-benchmark.sh [JMH options, e.g. AuthzBenchmark -f 1 -wi 3 -i 5]
#        rego/run-benchmark.sh cpu-time   (thread CPU time per decision, robust on a busy machine)
# Results are printed and written to rego/target/jmh-result.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
./mvnw -B -ntp -q -pl rego -am install -DskipTests -Dspotless.check.skip=true
./mvnw -B -ntp -q -pl rego test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test -Dspotless.check.skip=true
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! "$java_bin" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  for j in /usr/lib/jvm/*/bin/java; do
    if "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then java_bin="$j"; fi
  done
fi
cd "$here"
cp="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
if [ "${1:-}" = "cpu-time" ]; then
  exec "$java_bin" -Xmx1g -cp "$cp" io.maestro.rego.bench.CpuTimeReport
fi
"$java_bin" -cp "$cp" \
  org.openjdk.jmh.Main -rf text -rff target/jmh-result.txt "$@"
