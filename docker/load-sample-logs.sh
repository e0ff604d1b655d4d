#!/bin/sh
# Produces sample-logs/flow-logs to Kafka the way flow logs arrive there in production, one object
# after the other in the order of the times in their names (as S3 delivers them):
#   default/     the default-format objects: one record per message, without the header line,
#                keyed by interface id (field 3), so an interface's records share a partition;
#   v5/          the version-5 (custom format) objects: whole, as the gzip bytes S3 received,
#                header included (the job reads each object's format from its header);
#   cloudwatch/  the CloudWatch Logs subscription payload Firehose wrote: whole, gzip.
# Runs in the edenhill/kcat image (kcat, busybox sh, zcat, awk, sed, sort).
set -eu

BROKERS=${BOOTSTRAP_SERVERS:-kafka:9092}
TOPIC=${FLOW_TOPIC:-flow-logs}
ROOT=${SAMPLE_LOGS:-/sample-logs}/flow-logs

# "<time> <path>" per object; the time from ..._20261102T1005Z_... (S3 delivery) or
# ...-2026-11-02-10-01-37-... (Firehose).
object_times() {
    find "$ROOT" -type f -name '*.gz' | while read -r f; do
        t=$(basename "$f" | sed -n \
            -e 's/.*_\([0-9]\{8\}T[0-9]\{4\}\)Z_.*/\1/p' \
            -e 's/.*-\(20[0-9][0-9]\)-\([0-9][0-9]\)-\([0-9][0-9]\)-\([0-9][0-9]\)-\([0-9][0-9]\)-[0-9][0-9]-.*/\1\2\3T\4\5/p')
        echo "${t:-0} $f"
    done | sort
}

objects=0
object_times | while read -r t f; do
    case "$f" in
        */default/*)
            zcat "$f" | tail -n +2 | awk 'NF { print $3 "|" $0 }' \
                | kcat -P -b "$BROKERS" -t "$TOPIC" -K '|'
            ;;
        *)
            kcat -P -b "$BROKERS" -t "$TOPIC" "$f"
            ;;
    esac
    objects=$((objects + 1))
    echo "load-sample-logs: $objects ${f#"$ROOT"/} -> $TOPIC"
done
echo "load-sample-logs: done"
