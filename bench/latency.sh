#!/usr/bin/env bash
# Alert latency of `stream`: from the watermark passing a window's end to the alert on the alerts
# topic, with a real Kafka broker and the job on a MiniCluster.
#   bench/latency.sh [rounds]      (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile -Dspotless.check.skip=true
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.flowtrail.bench.StreamLatencyBench "${1:-30}"
