package io.flowtrail.generate;

import io.flowtrail.generate.Topology.Eni;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One labelled incident: what, when, against whom, and (once generated) how many records it took.
 * Its label is the category, the detector, the entity the detector's alert is keyed by, and the
 * time range; {@code related} names the other keys an alert caused by it may carry (the subnet and
 * VPC of a rejected-traffic spike, the target of a scan), so a scorer does not count those as false
 * alarms.
 */
final class Incident {
    final IncidentKind kind;

    /** The n-th incident of its kind, from 0. */
    int index;

    /** Start of the first five-minute window, epoch seconds. */
    long windowStart;

    /** Five-minute windows it lasts. */
    int windows = 1;

    /** For configuration and CloudTrail incidents: the exact time, epoch seconds. */
    long time;

    boolean explicitTime;

    String entity;

    /** CloudTrail records it wrote (its flow-log records are {@link #records}). */
    long trailRecords;

    final List<String> related = new ArrayList<>();
    final Map<String, Object> evidence = new LinkedHashMap<>();
    long records;

    // What the generator bound it to.
    Eni target;
    Eni source;
    long sourceV4;
    final List<Eni> targets = new ArrayList<>();
    int port;
    long destinationV4;
    String groupId;
    String keyArn;
    String principalArn;
    String session;

    Incident(IncidentKind kind) {
        this.kind = kind;
    }

    long windowEnd() {
        return windowStart + 300L * windows;
    }

    boolean covers(long ws) {
        return ws >= windowStart && ws < windowEnd();
    }

    /** The label's time range: the windows, or the instant a configuration change took effect. */
    long labelStart() {
        return kind.source == IncidentKind.Source.CONFIG ? time : windowStart;
    }

    long labelEnd() {
        return kind.source == IncidentKind.Source.CONFIG ? time : windowEnd();
    }

    String id() {
        return kind.detector().replace('_', '-') + "-" + (index + 1);
    }
}
