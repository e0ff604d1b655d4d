#!/usr/bin/env bash
# Runs Flowtrail's JMH benchmarks (src/test/java/io/flowtrail/bench) on this machine.
#   bench/run-jmh.sh                       every benchmark
#   bench/run-jmh.sh FlowLineParserBenchmark -f 3   one benchmark, JMH options after it
# Prints JMH's table; the README's Performance section quotes its medians.
set -euo pipefail
cd "$(dirname "$0")/.."
# MVN_FLAGS: extra Maven flags, such as -o to stay offline.
# shellcheck disable=SC2086
mvn -q -B -Dstyle.color=never ${MVN_FLAGS:-} test-compile -Dspotless.check.skip=true
# shellcheck disable=SC2086
mvn -q -B -Dstyle.color=never ${MVN_FLAGS:-} dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
pattern="${1:-.*}"
shift || true
# Defaults: 3 forks x 5 measured iterations of 2 s after 3 warm-ups; later options win.
opts=(-f 3 -wi 3 -i 5 -w 2s -r 2s)
[ "$#" -gt 0 ] && opts=("$@")
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.openjdk.jmh.Main "$pattern" "${opts[@]}"
