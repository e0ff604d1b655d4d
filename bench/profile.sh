#!/usr/bin/env bash
# Where replay's time goes: one replay with every table and detector of the bench input
# (bench/data/, written by bench/run.sh) under Java Flight Recorder (settings=profile), then the
# hottest frames, threads and Flowtrail methods (bench/jfr_top.py), and the CPU time of every thread
# from /proc (bench/thread_cpu.py: JFR does not sample the JIT compiler and GC threads), written to
# bench/profile.md.
#
#   bench/profile.sh [PARALLELISM]      default 2; RECORDS, HEAP, JAVA_OPTS as for bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
P="${1:-2}"
RECORDS="${RECORDS:-10000000}"
HEAP="${HEAP:-2g}"
DATA="bench/data/flows-${RECORDS}"
WORK=target/bench-profile
[ -f "$DATA/labels.json" ] || { echo "profile: no $DATA; run bench/run.sh first" >&2; exit 1; }
rm -rf "$WORK"
mkdir -p "$WORK"
# The replay's own JVM tuning (see ReplayJvm), applied here in the recorded JVM itself: a relaunched
# child would not be the JVM that JFR records.
TUNING="${FLOWTRAIL_REPLAY_JVM_OPTIONS-$(java -cp target/flowtrail.jar io.flowtrail.cli.ReplayJvm)}"
# shellcheck disable=SC2086
python3 bench/thread_cpu.py "$WORK/threads.md" java "-Xmx$HEAP" $TUNING -Dflowtrail.replay.jvm=here ${JAVA_OPTS:-} "-XX:StartFlightRecording=filename=$WORK/replay.jfr,settings=profile" \
  -jar target/flowtrail.jar replay "$DATA" --out "$WORK/out" --quiet --parallelism "$P" \
  > "$WORK/replay.log" 2>&1 || { tail -30 "$WORK/replay.log" >&2; exit 1; }
jfr print --stack-depth 64 --events jdk.ExecutionSample "$WORK/replay.jfr" > "$WORK/samples.txt"
jfr print --events jdk.GarbageCollection "$WORK/replay.jfr" > "$WORK/gc.txt"
{
  echo "# Where replay's time goes"
  echo
  echo "\`bench/profile.sh $P\` on $(date -u +%Y-%m-%dT%H:%MZ): $(grep 'done in' "$WORK/replay.log"), parallelism $P, \`-Xmx$HEAP${JAVA_OPTS:+ $JAVA_OPTS}\`, JFR \`settings=profile\` (execution samples every 10-20 ms of running Java threads)."
  echo
  echo "### CPU time by thread (from /proc: every thread, the JIT compilers and GC included)"
  echo
  cat "$WORK/threads.md"
  echo
  python3 bench/jfr_top.py "$WORK/samples.txt" "$WORK/gc.txt"
} > bench/profile.md
rm -rf "$WORK/out"
cat bench/profile.md
