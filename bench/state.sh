#!/usr/bin/env bash
# Detector state per 100,000 keys (DetectorStateBench): the flow detectors fed N interfaces or
# sources for three windows with the default parameters, their keyed state snapshotted.
#
#   bench/state.sh [N]        default 100000
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
mvn -q -B -Dstyle.color=never ${MVN_FLAGS:-} test-compile -Dspotless.check.skip=true
# shellcheck disable=SC2086
mvn -q -B -Dstyle.color=never ${MVN_FLAGS:-} dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test
java -Xmx4g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.flowtrail.bench.DetectorStateBench "${1:-100000}"
