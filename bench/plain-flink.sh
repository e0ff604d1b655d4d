#!/usr/bin/env bash
# The issue's "plain Flink" reference on the bench input (bench/data/, written by bench/run.sh):
# text lines, String.split, keyBy on a string key, reduce, discard, parallelism 2, defaults
# (bench/PlainFlink.java). Runs it REPEAT times after a build and prints each wall time, the median
# and peak RSS, to compare with bench/results.md (Flowtrail's flow_summary-only replay does the same
# grouping, with more key columns and exact distinct counts, and writes it as Parquet).
#
#   bench/plain-flink.sh          REPEAT (3), RECORDS (10000000), MVN_FLAGS as for bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT="${REPEAT:-3}"
RECORDS="${RECORDS:-10000000}"
DATA="bench/data/flows-${RECORDS}"
[ -f "$DATA/labels.json" ] || { echo "plain-flink: no $DATA; run bench/run.sh first" >&2; exit 1; }
[ -f target/flowtrail.jar ] || mvn -q -B -Dstyle.color=never ${MVN_FLAGS:-} package -DskipTests -Dspotless.check.skip=true
mkdir -p target/bench
javac -d target/bench -cp target/flowtrail.jar bench/PlainFlink.java
walls=()
for i in $(seq 1 "$REPEAT"); do
  /usr/bin/time -f "%e %M" -o target/bench/plain-flink.time \
    java -Xmx2g -cp target/flowtrail.jar:target/bench PlainFlink "$DATA/flow-logs" > target/bench/plain-flink.log 2>&1 \
    || { tail -20 target/bench/plain-flink.log >&2; exit 1; }
  read -r wall rss < target/bench/plain-flink.time
  echo "plain flink run $i: $wall s wall, peak RSS $((rss / 1024)) MB"
  walls+=("$wall")
done
printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print "plain flink median: " a[int((NR+1)/2)] " s (" NR " runs)"}'
