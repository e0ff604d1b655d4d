#!/usr/bin/env bash
# Flowtrail's end-to-end benchmark, one command on a fresh clone (Java 17, Maven, python3):
#
#   bench/run.sh
#
# 1. builds target/flowtrail.jar;
# 2. generates the input once into bench/data/ (gitignored; reused while the options match):
#    10 million version-2 records, one day, plain text (about 1.1 GB), with labelled incidents;
# 3. measures side by side, REPEAT times each, interleaved so that the machine's noise falls on
#    every row alike:
#      - the parser alone (JMH FlowLineParserBenchmark, via bench/run-jmh.sh),
#      - replay with flow_summary only (bench/jobs/summary-only.yaml: detectors and rejects off;
#        no config),
#      - replay with every table and detector, parallelism 1 and 2,
#      - the start-up floor: replay with flow_summary only of the first 5-minute file alone,
#      - the DuckDB reference aggregation (bench/DuckDbReference.java, JDBC, 2 threads);
# 4. prints the medians, records/s, peak memory and ratios to DuckDB as a Markdown table and writes
#    it to bench/results.md, followed by the detection-quality table (bench/quality.sh).
#
# Environment:
#   REPEAT=3          repetitions of each replay and DuckDB run
#   RECORDS=10000000  records of the input
#   HEAP=2g           -Xmx of the replay runs (the issue's memory target)
#   JAVA_OPTS=        extra JVM options for the replay runs (GC settings, ...)
#   MVN_FLAGS=        extra Maven flags (-o to stay offline)
#   SKIP_JMH=1        leave out the parser benchmark
#   SKIP_QUALITY=1    leave out the detection-quality bench
# Replays and DuckDB write under target/bench-out/ (deleted after each run).
set -euo pipefail
cd "$(dirname "$0")/.."

REPEAT="${REPEAT:-3}"
RECORDS="${RECORDS:-10000000}"
HEAP="${HEAP:-2g}"
JAVA_OPTS="${JAVA_OPTS:-}"
MVN_FLAGS="${MVN_FLAGS:-}"
SEED=20261128
DATA="bench/data/flows-${RECORDS}"
WORK="target/bench-out"
RAW="$WORK/raw.tsv"
JAR=target/flowtrail.jar

log() { printf 'bench: %s\n' "$*" >&2; }

# ---- 1. build
log "building"
# shellcheck disable=SC2086
mvn -q -B -Dstyle.color=never $MVN_FLAGS package -DskipTests -Dspotless.check.skip=true
# shellcheck disable=SC2086
mvn -q -B -Dstyle.color=never $MVN_FLAGS dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test
DUCKDB_JAR="$(tr ':' '\n' < target/bench-classpath.txt | grep -m1 'duckdb_jdbc')"
[ -f "$DUCKDB_JAR" ] || { echo "bench: no DuckDB JDBC jar on the test classpath" >&2; exit 1; }
mkdir -p target/bench
javac -d target/bench -cp "$DUCKDB_JAR" bench/DuckDbReference.java

# ---- 2. input
GEN_ARGS=(--records "$RECORDS" --format default --plain --seed "$SEED" --hours 24 --incidents all)
if [ ! -f "$DATA/labels.json" ] || [ "$(cat "$DATA/.generated-with" 2>/dev/null)" != "${GEN_ARGS[*]}" ]; then
  log "generating $RECORDS records into $DATA"
  java -jar "$JAR" generate --out "$DATA" --overwrite "${GEN_ARGS[@]}"
  echo "${GEN_ARGS[*]}" > "$DATA/.generated-with"
else
  log "reusing $DATA"
fi
TEXT_BYTES="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['counts']['text_bytes'])" "$DATA/labels.json")"
FILES="$(find "$DATA/flow-logs" -name '*.log' | wc -l)"
# Read the input once so that every measured run finds it in the page cache alike.
find "$DATA/flow-logs" -name '*.log' -exec cat {} + > /dev/null

# ---- 3. measurements
rm -rf "$WORK"
mkdir -p "$WORK"
: > "$RAW"

# measure NAME REP COMMAND...: runs it under /usr/bin/time, appends "name rep wall rss" to RAW.
measure() {
  local name="$1" rep="$2"
  shift 2
  local out="$WORK/$name-$rep.log"
  log "run $rep/$REPEAT: $name"
  mkdir -p "$WORK/out"
  if ! /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" > "$out" 2>&1; then
    echo "bench: $name failed, see $out" >&2
    tail -20 "$out" >&2
    exit 1
  fi
  read -r wall rss < "$WORK/time"
  printf '%s\t%s\t%s\t%s\n' "$name" "$rep" "$wall" "$rss" >> "$RAW"
  check "$name" "$out"
  rm -rf "$WORK/out"
}

# check NAME LOG: every run must have read every record (counts close), or the numbers mean nothing.
check() {
  case "$1" in
    duckdb)
      grep -q "flows" "$2" || { echo "bench: $1 printed no result" >&2; exit 1; } ;;
    floor-*)
      grep -q "counts close *yes" "$2" || { echo "bench: $1: counts do not close" >&2; exit 1; } ;;
    *)
      grep -q "counts close *yes" "$2" || { echo "bench: $1: counts do not close" >&2; exit 1; }
      local read_
      read_="$(grep 'records read' "$2" | tr -dc '0-9')"
      [ "$read_" = "$RECORDS" ] || { echo "bench: $1 read $read_ records, expected $RECORDS" >&2; exit 1; } ;;
  esac
}

REPLAY=(java "-Xmx$HEAP")
# shellcheck disable=SC2206
[ -n "$JAVA_OPTS" ] && REPLAY+=($JAVA_OPTS)
REPLAY+=(-jar "$JAR" replay --quiet --overwrite)

# The start-up floor: the same replay of one 5-minute file, so that what start-up costs (two JVMs,
# the MiniCluster, compiling Flink's code) and what the records cost can be told apart.
FIRST_FILE="$(find "$DATA/flow-logs" -name '*.log' | sort | sed -n 1p)"
FLOOR_RECORDS="$(($(wc -l < "$FIRST_FILE") - 1))"
echo "$FLOOR_RECORDS" > "$WORK/floor-records"

for rep in $(seq 1 "$REPEAT"); do
  measure duckdb "$rep" java -cp "target/bench:$DUCKDB_JAR" DuckDbReference \
    "$PWD/$DATA/flow-logs/**/*.log" "$PWD/$WORK/out/duck.parquet" 2
  measure summary-p2 "$rep" "${REPLAY[@]}" --flow-logs "$DATA/flow-logs" --out "$WORK/out" \
    --job bench/jobs/summary-only.yaml --parallelism 2
  measure floor-p2 "$rep" "${REPLAY[@]}" --flow-logs "$FIRST_FILE" --out "$WORK/out" \
    --job bench/jobs/summary-only.yaml --parallelism 2
  measure full-p2 "$rep" "${REPLAY[@]}" "$DATA" --out "$WORK/out" --parallelism 2 \
    --alerts-jsonl "$WORK/alerts-p2-$rep.jsonl"
  measure full-p1 "$rep" "${REPLAY[@]}" "$DATA" --out "$WORK/out" --parallelism 1 \
    --alerts-jsonl "$WORK/alerts-p1-$rep.jsonl"
done

JMH_JSON="$WORK/jmh-parser.json"
if [ "${SKIP_JMH:-}" != 1 ]; then
  log "parser benchmark (JMH)"
  MVN_FLAGS="$MVN_FLAGS" bench/run-jmh.sh FlowLineParserBenchmark -f 3 -wi 3 -i 5 -w 2s -r 2s \
    -rf json -rff "$JMH_JSON" > "$WORK/jmh.log" 2>&1 || { tail -30 "$WORK/jmh.log" >&2; exit 1; }
fi

# ---- 4. the table
META="$WORK/meta.txt"
{
  echo "# Flowtrail benchmark"
  echo
  echo "Measured by \`bench/run.sh\` on $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with local changes)')."
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(java -version 2>&1 | head -1)."
  echo "Input: \`generate ${GEN_ARGS[*]}\`: $(printf "%'d" "$RECORDS") version-2 records, $((TEXT_BYTES / 1000000)) MB of text in $FILES files, one day. Replays with \`-Xmx$HEAP${JAVA_OPTS:+ $JAVA_OPTS}\` (\`java -jar\`, so the replay runs in its child JVM with \`${FLOWTRAIL_REPLAY_JVM_OPTIONS-$(java -cp "$JAR" io.flowtrail.cli.ReplayJvm)}\`); $REPEAT runs each, medians."
  echo "Shared 2-core machines are noisy: compare the ratios of one run, not absolute numbers across runs."
} > "$META"
TABLE="$(python3 bench/report.py "$RAW" "$JMH_JSON" "$RECORDS" "$META" "$(cat "$WORK/floor-records")")"

QUALITY=""
if [ "${SKIP_QUALITY:-}" != 1 ]; then
  QUALITY="$(MVN_FLAGS="$MVN_FLAGS" SKIP_BUILD=1 bench/quality.sh)"
fi
{
  echo "$TABLE"
  echo
  echo "Alerts of the measured runs on this input, scored against its labels (\`full-p2\`, run 1):"
  echo
  java -cp "$JAR" io.flowtrail.generate.QualityReport "$DATA/labels.json" "$WORK/alerts-p2-1.jsonl"
  if [ -n "$QUALITY" ]; then
    echo
    echo "$QUALITY"
  fi
} > bench/results.md
cat bench/results.md
