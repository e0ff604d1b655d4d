#!/usr/bin/env bash
# Flowtrail's detection-quality bench:
#
#   bench/quality.sh
#
# generates a day of input with three labelled incidents of every detector (bench/data/, reused
# while the options match; both flow-log formats, gzip, CloudTrail and configuration snapshots),
# replays it with every detector, and scores the alerts against labels.json
# (io.flowtrail.generate.Scorer): recall and precision per category, and false alerts per million
# benign records. Prints the Markdown and writes it to bench/quality.md.
#
# Environment: QUALITY_RECORDS=2000000, QUALITY_SEEDS="20261128" (several seeds: one table each),
# HEAP=2g, MVN_FLAGS= (-o offline), SKIP_BUILD=1 (use target/flowtrail.jar as it is).
set -euo pipefail
cd "$(dirname "$0")/.."

RECORDS="${QUALITY_RECORDS:-2000000}"
SEEDS="${QUALITY_SEEDS:-20261128}"
HEAP="${HEAP:-2g}"
MVN_FLAGS="${MVN_FLAGS:-}"
JAR=target/flowtrail.jar
WORK=target/bench-quality

if [ "${SKIP_BUILD:-}" != 1 ] || [ ! -f "$JAR" ]; then
  # shellcheck disable=SC2086
  mvn -q -B -Dstyle.color=never $MVN_FLAGS package -DskipTests -Dspotless.check.skip=true >&2
fi
mkdir -p "$WORK"
{
  echo "## Detection quality"
  echo
  echo "Generated incidents (\`generate --records $RECORDS --incidents all*3\`: a day, both flow-log formats, gzip), replayed with every detector (parallelism 2), alerts scored against \`labels.json\`. An alert is true when its category, time and entity (or a related key, such as the subnet and VPC of a rejected-traffic spike) match a label."
} > "$WORK/quality.md"
for seed in $SEEDS; do
  data="bench/data/quality-$RECORDS-$seed"
  args=(--records "$RECORDS" --seed "$seed" --hours 24 --incidents 'all*3')
  if [ ! -f "$data/labels.json" ] || [ "$(cat "$data/.generated-with" 2>/dev/null)" != "${args[*]}" ]; then
    echo "quality: generating $data" >&2
    java -jar "$JAR" generate --out "$data" --overwrite "${args[@]}" >&2
    echo "${args[*]}" > "$data/.generated-with"
  fi
  echo "quality: replaying $data" >&2
  java "-Xmx$HEAP" -jar "$JAR" replay "$data" --out "$WORK/out" --overwrite --quiet \
    --parallelism 2 --alerts-jsonl "$WORK/alerts-$seed.jsonl" > "$WORK/replay-$seed.log" 2>&1 ||
    { tail -30 "$WORK/replay-$seed.log" >&2; exit 1; }
  {
    echo
    echo "Seed $seed:"
    echo
    java -cp "$JAR" io.flowtrail.generate.QualityReport "$data/labels.json" "$WORK/alerts-$seed.jsonl"
  } >> "$WORK/quality.md"
  rm -rf "$WORK/out"
done
cp "$WORK/quality.md" bench/quality.md
cat bench/quality.md
