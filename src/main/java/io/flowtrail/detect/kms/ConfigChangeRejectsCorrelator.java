package io.flowtrail.detect.kms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.detect.Evidence;
import io.flowtrail.model.Alert;
import io.flowtrail.model.NetworkChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A configuration change that explains rejects (category {@code correlated_incident}, detector
 * {@code config_change_then_rejects}, MEDIUM): an EC2 call changed a network ACL, a security group
 * or an interface's groups, and a rejected-traffic spike that names that resource started within
 * {@code correlation-window} after it (or in the window of the change). Not an attack: the answer
 * to "why is this being rejected all of a sudden", with who made the change.
 *
 * <p>Keyed by resource id ({@link ConfigChangeRejectsInput.Key}). Spikes of one window are
 * evaluated together on an event-time timer at the end of their window, when every change before
 * them has arrived, so both modes agree. Each change explains one incident at most. The incident's
 * window is the spike's ({@code rejected_traffic_spike} reports an ongoing spike once), its entity
 * the resource; the evidence lists the changes and the spikes. State: the changes (dropped by a
 * timer once no spike can follow them, or when used) and the spikes (dropped when evaluated); a
 * state TTL is the backstop.
 *
 * <p>Limit: a rejecting security group is attributed {@code sg:no-matching-rule}, which names no
 * group, so a security-group change correlates only when the pipeline supplies the groups of the
 * spike's interface (see {@link ConfigChangeRejectsInput#ofSpike}).
 */
public final class ConfigChangeRejectsCorrelator
        extends KeyedProcessFunction<String, ConfigChangeRejectsInput, Alert> {
    public static final String CATEGORY = "correlated_incident";
    public static final String DETECTOR = "config_change_then_rejects";

    static final MapStateDescriptor<String, ConfigChangeRejectsInput> CHANGES =
            new MapStateDescriptor<>(
                    "correlation-config-changes",
                    Types.STRING,
                    TypeInformation.of(ConfigChangeRejectsInput.class));
    static final MapStateDescriptor<String, ConfigChangeRejectsInput> SPIKES =
            new MapStateDescriptor<>(
                    "correlation-reject-spikes",
                    Types.STRING,
                    TypeInformation.of(ConfigChangeRejectsInput.class));

    private final long withinMillis;
    private final long windowMillis;

    private transient MapState<String, ConfigChangeRejectsInput> changes;
    private transient MapState<String, ConfigChangeRejectsInput> spikes;

    /**
     * @param within {@code correlation-window}: how long after a change a spike may start
     * @param window the window of the spike alerts (the job's {@code window})
     */
    public ConfigChangeRejectsCorrelator(Duration within, Duration window) {
        this.withinMillis = within.toMillis();
        this.windowMillis = window.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        // A backstop in processing time, with room for a watermark that lags: the timers clear.
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(
                                Duration.ofMillis(withinMillis + 2 * windowMillis)
                                        .plus(Duration.ofHours(2)))
                        .build();
        CHANGES.enableTimeToLive(ttl);
        SPIKES.enableTimeToLive(ttl);
        changes = getRuntimeContext().getMapState(CHANGES);
        spikes = getRuntimeContext().getMapState(SPIKES);
    }

    private long expiry(ConfigChangeRejectsInput change) {
        return change.change.eventTimeMillis + withinMillis + windowMillis - 1;
    }

    private long evaluation(ConfigChangeRejectsInput spike) {
        return Math.max(spike.alert.windowEnd, spike.alert.windowStart + windowMillis) - 1;
    }

    private static String changeId(NetworkChangeEvent e) {
        return e.eventId != null ? e.eventId : e.eventTimeMillis + " " + e.eventName;
    }

    @Override
    public void processElement(ConfigChangeRejectsInput in, Context ctx, Collector<Alert> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (in.kind == ConfigChangeRejectsInput.CHANGE) {
            if (expiry(in) <= watermark) {
                return;
            }
            changes.put(changeId(in.change), in);
            ctx.timerService().registerEventTimeTimer(expiry(in));
        } else {
            if (evaluation(in) <= watermark) {
                return;
            }
            spikes.put(in.alert.alertId, in);
            ctx.timerService().registerEventTimeTimer(evaluation(in));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<ConfigChangeRejectsInput> due = new ArrayList<>();
        for (Map.Entry<String, ConfigChangeRejectsInput> e : spikes.entries()) {
            if (evaluation(e.getValue()) <= timestamp) {
                due.add(e.getValue());
            }
        }
        if (!due.isEmpty()) {
            due.sort(
                    Comparator.comparingLong((ConfigChangeRejectsInput in) -> in.alert.windowStart)
                            .thenComparing(in -> in.alert.alertId));
            List<ConfigChangeRejectsInput> known = new ArrayList<>();
            for (ConfigChangeRejectsInput c : changes.values()) {
                known.add(c);
            }
            known.sort(
                    Comparator.comparingLong(
                                    (ConfigChangeRejectsInput in) -> in.change.eventTimeMillis)
                            .thenComparing(in -> changeId(in.change)));
            int from = 0;
            while (from < due.size()) {
                long start = due.get(from).alert.windowStart;
                long end = start;
                int to = from;
                while (to < due.size() && due.get(to).alert.windowStart == start) {
                    end = Math.max(end, due.get(to).alert.windowEnd);
                    to++;
                }
                List<ConfigChangeRejectsInput> matched = new ArrayList<>();
                for (ConfigChangeRejectsInput c : known) {
                    long t = c.change.eventTimeMillis;
                    if (t < end && t > start - withinMillis) {
                        matched.add(c);
                    }
                }
                if (!matched.isEmpty()) {
                    out.collect(incident(ctx.getCurrentKey(), matched, due.subList(from, to)));
                    for (ConfigChangeRejectsInput c : matched) {
                        changes.remove(changeId(c.change));
                    }
                    known.removeAll(matched);
                }
                from = to;
            }
            for (ConfigChangeRejectsInput s : due) {
                spikes.remove(s.alert.alertId);
            }
        }
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, ConfigChangeRejectsInput> e : changes.entries()) {
            if (expiry(e.getValue()) <= timestamp) {
                expired.add(e.getKey());
            }
        }
        for (String id : expired) {
            changes.remove(id);
        }
    }

    private Alert incident(
            String resource,
            List<ConfigChangeRejectsInput> matched,
            List<ConfigChangeRejectsInput> spikeGroup) {
        Alert spike = spikeGroup.get(0).alert;
        long end = spike.windowEnd;
        for (ConfigChangeRejectsInput s : spikeGroup) {
            end = Math.max(end, s.alert.windowEnd);
        }
        NetworkChangeEvent last = matched.get(matched.size() - 1).change;
        NetworkChangeEvent firstChange = matched.get(0).change;
        Alert a = DetectorSupport.alert(CATEGORY, DETECTOR, resource, spike.windowStart, end);
        a.severity = "MEDIUM";
        for (ConfigChangeRejectsInput s : spikeGroup) {
            a.accountId = DetectorSupport.pick(a.accountId, s.alert.accountId);
            a.region = DetectorSupport.pick(a.region, s.alert.region);
        }
        for (ConfigChangeRejectsInput c : matched) {
            a.accountId = DetectorSupport.pick(a.accountId, c.change.accountId);
            a.region = DetectorSupport.pick(a.region, c.change.region);
        }
        a.interfaceId = spike.interfaceId;
        a.srcAddr = spike.srcAddr;
        a.principalArn = last.principalArn;
        a.observed = spike.observed;
        long seconds = Math.max(0, (spike.windowStart - firstChange.eventTimeMillis) / 1000);
        a.title =
                describe(resource, firstChange)
                        + " by "
                        + KmsCalls.shortPrincipal(firstChange.principalArn)
                        + " at "
                        + DetectorSupport.iso(firstChange.eventTimeMillis)
                        + (matched.size() > 1 ? " (and " + (matched.size() - 1) + " more)" : "")
                        + ", then rejected-traffic spike on "
                        + (spike.interfaceId != null ? spike.interfaceId : "its traffic")
                        + (Double.isNaN(spike.observed)
                                ? ""
                                : " (" + (long) spike.observed + " rejected flows)");
        Evidence e =
                new Evidence()
                        .put("resource_id", resource)
                        .put("correlation_window_minutes", withinMillis / 60_000)
                        .put("seconds_from_change_to_spike_window", seconds);
        ArrayNode list = e.array("changes");
        for (ConfigChangeRejectsInput c : matched) {
            NetworkChangeEvent n = c.change;
            ObjectNode o = list.addObject();
            o.put("event_time", DetectorSupport.iso(n.eventTimeMillis));
            o.put("event_id", n.eventId);
            o.put("event_name", n.eventName);
            o.put("principal_arn", n.principalArn);
            o.put("source_ip", n.sourceIp);
            if (n.networkAclId != null) {
                o.put("network_acl_id", n.networkAclId);
            }
            if (n.groupId != null) {
                o.put("group_id", n.groupId);
            }
            if (n.networkInterfaceId != null) {
                o.put("network_interface_id", n.networkInterfaceId);
            }
            if (n.ruleNumber != NetworkChangeEvent.ABSENT) {
                o.put("rule_number", n.ruleNumber);
            }
            if (n.egress != null) {
                o.put("egress", n.egress);
            }
            if (n.ruleAction != null) {
                o.put("rule_action", n.ruleAction);
            }
            if (n.protocol != null) {
                o.put("protocol", n.protocol);
            }
            if (n.cidrBlock != null) {
                o.put("cidr_block", n.cidrBlock);
            }
            if (n.fromPort != NetworkChangeEvent.ABSENT) {
                o.put("from_port", n.fromPort);
                o.put("to_port", n.toPort);
            }
        }
        ArrayNode spikesNode = e.array("spikes");
        for (ConfigChangeRejectsInput s : spikeGroup) {
            ObjectNode o = KeyUsageEgressCorrelator.summary(spikesNode.addObject(), s.alert);
            if (s.alert.interfaceId != null) {
                o.put("interface_id", s.alert.interfaceId);
            }
        }
        a.evidence = e.json();
        return a;
    }

    private static String describe(String resource, NetworkChangeEvent n) {
        StringBuilder s = new StringBuilder();
        s.append(
                resource.startsWith("acl-")
                        ? "Network ACL "
                        : resource.startsWith("sg-") ? "Security group " : "Interface ");
        s.append(resource).append(" changed: ").append(n.eventName);
        if (n.ruleNumber != NetworkChangeEvent.ABSENT) {
            s.append(" rule ").append(n.ruleNumber);
        }
        if (n.ruleAction != null) {
            s.append(' ').append(n.ruleAction);
        }
        if (n.egress != null) {
            s.append(n.egress ? " outbound" : " inbound");
        }
        if (n.fromPort != NetworkChangeEvent.ABSENT) {
            s.append(" port ").append(n.fromPort);
            if (n.toPort != n.fromPort) {
                s.append('-').append(n.toPort);
            }
        }
        if (n.cidrBlock != null) {
            s.append(' ')
                    .append(n.egress != null && n.egress ? "to " : "from ")
                    .append(n.cidrBlock);
        }
        return s.toString();
    }
}
