package io.flowtrail.generate;

import io.flowtrail.generate.Topology.Eni;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The flow-log side of the incidents, window by window, and the benign habits some of them need
 * beforehand (an interface whose egress is judged against its history must have one: it talks to
 * the internet every window from the start, and the volume incident's host uploads to its partner
 * every window).
 *
 * <ul>
 *   <li>vertical port scan: one internet address sends single SYNs to 150-250 ports of one
 *       internet-facing host within five minutes; REJECT except the host's open ports (a SYN-ACK
 *       comes back);
 *   <li>horizontal port scan: one port (22, 3389, 445, 23, 5900) on 12-25 internet-facing
 *       interfaces from one internet address, in two passes; or, every other one, from inside: a
 *       compromised instance sweeping 445 or 3389 across 15-30 instances of its VPC (its own egress
 *       records show the attempts);
 *   <li>rejected-traffic spike: a misconfigured instance pointed at a web server instead of its
 *       database, cache and resolver: 300-450 rejected flows a window on tcp 5432 and 6379 and udp
 *       53, for one to three windows (the sender's records ACCEPT them);
 *   <li>new external destination: a batch instance uploads about 3 GB in five connections through
 *       its NAT gateway to an address in 192.0.2.0/24 that no record mentioned before;
 *   <li>egress volume spike: a batch instance that uploads 5-60 MB every window to a partner in
 *       198.51.100.0/24 sends about 4 GB to it in one window;
 *   <li>key usage then egress: the second window of the incident, the instance whose session made a
 *       decrypt burst (CloudTrail) uploads about 3 GB to a new destination, as above.
 * </ul>
 */
final class FlowIncidents {
    private final Topology topo;
    private final Traffic traffic;
    private final Rng rng;
    private final List<Incident> incidents;

    FlowIncidents(Topology topo, Traffic traffic, Rng rng, List<Incident> all) {
        this.topo = topo;
        this.traffic = traffic;
        this.rng = rng;
        this.incidents = all.stream().filter(i -> i.kind.source.flowLogs()).toList();
    }

    /** Writes the incidents' records and habits of the window; returns the number of records. */
    long window(long ws) {
        long n = 0;
        for (Incident i : incidents) {
            n += habits(i, ws);
            if (!i.covers(ws)
                    || (i.kind == IncidentKind.KEY_USAGE_THEN_EGRESS && ws == i.windowStart)) {
                continue; // the burst of key usage is in CloudTrail; the egress follows
            }
            long records;
            switch (i.kind) {
                case VERTICAL_PORT_SCAN:
                    records = vertical(i, ws);
                    break;
                case HORIZONTAL_PORT_SCAN:
                    records = horizontal(i, ws);
                    break;
                case REJECT_SPIKE:
                    records = rejectSpike(i, ws);
                    break;
                case NEW_EXTERNAL_DESTINATION:
                case KEY_USAGE_THEN_EGRESS:
                    records = upload(i, ws, 5, 500_000_000L, 700_000_000L);
                    break;
                default:
                    records = upload(i, ws, 10, 350_000_000L, 500_000_000L);
            }
            i.records += records;
            n += records;
        }
        return n;
    }

    private long habits(Incident i, long ws) {
        if (i.kind == IncidentKind.NEW_EXTERNAL_DESTINATION
                || i.kind == IncidentKind.EGRESS_VOLUME_SPIKE
                || i.kind == IncidentKind.KEY_USAGE_THEN_EGRESS) {
            long n = traffic.appToInternet(i.target, ws);
            if (rng.chance(0.5)) {
                n += traffic.appToInternet(i.target, ws);
            }
            if (i.kind == IncidentKind.EGRESS_VOLUME_SPIKE && !i.covers(ws)) {
                int uploads = 1 + rng.nextInt(2);
                for (int k = 0; k < uploads; k++) {
                    long bytes = (long) Math.min(60e6, rng.logNormal(12e6, 0.6));
                    n += toInternet(i, ws, rng.nextInt(5), bytes, false);
                }
            }
            return n;
        }
        return 0;
    }

    private long vertical(Incident i, long ws) {
        Eni target = i.target;
        Set<Integer> ports = new LinkedHashSet<>();
        int want = rng.between(150, 250);
        while (ports.size() < want) {
            ports.add(rng.chance(0.7) ? rng.between(1, 1024) : rng.between(1025, 10000));
        }
        int sourcePort = 40000 + i.index;
        long n = 0;
        for (int port : ports) {
            boolean open = target.role == Topology.Role.EDGE && (port == 443 || port == 80);
            Traffic.Conn k = traffic.conn().fromInternet(Ip.V4, 0, i.sourceV4).to(target);
            k.incident = true;
            k.srcPort = sourcePort;
            k.dstPort = port;
            k.start = ws + rng.nextInt(295);
            k.end = Math.min(k.start + rng.nextInt(2), k.start - Math.floorMod(k.start, 60) + 59);
            k.fpk = rng.chance(0.2) ? 2 : 1;
            k.fby = k.fpk * 44;
            k.ff = 2;
            if (open) {
                k.ff = 6; // SYN, then RST after the SYN-ACK
                k.fpk = 2;
                k.fby = 88;
                k.rpk = 1;
                k.rby = 44;
                k.rf = 18;
                k.bPath = 8;
            } else {
                k.reject = true;
            }
            n += traffic.emit(k);
        }
        i.evidence.put("distinct_dst_ports", ports.size());
        i.evidence.put("target_interface_id", target.id);
        i.evidence.put("target_addr", Ip.v4Text(target.v4));
        return n;
    }

    private long horizontal(Incident i, long ws) {
        long n = 0;
        for (Eni t : i.targets) {
            int passes = i.source == null && rng.chance(0.5) ? 2 : 1;
            for (int p = 0; p < passes; p++) {
                Traffic.Conn k = traffic.conn();
                if (i.source == null) {
                    k.fromInternet(Ip.V4, 0, i.sourceV4).to(t);
                    k.srcPort = 40561 + i.index;
                } else {
                    k.from(i.source, false).to(t);
                    k.srcPort = rng.between(32768, 60999);
                }
                k.incident = true;
                k.dstPort = i.port;
                long minute = ws + 60L * (p == 0 ? rng.nextInt(2) : 3 + rng.nextInt(2));
                k.start = minute + rng.nextInt(55);
                k.end = k.start + rng.nextInt(2);
                k.fpk = 1;
                k.fby = 44;
                k.ff = 2;
                k.reject = true;
                n += traffic.emit(k);
            }
        }
        i.evidence.put("dst_port", i.port);
        i.evidence.put("distinct_dst_addrs", i.targets.size());
        i.evidence.put("from", i.source == null ? "internet" : "inside the VPC");
        return n;
    }

    private long rejectSpike(Incident i, long ws) {
        int flows = rng.between(300, 450);
        long n = 0;
        for (int f = 0; f < flows; f++) {
            Traffic.Conn k = traffic.conn().from(i.source, false).to(i.target);
            k.incident = true;
            double x = rng.nextDouble();
            k.srcPort = rng.between(32768, 60999);
            if (x < 0.1) {
                k.protocol = Flow.UDP;
                k.dstPort = 53;
                k.fpk = 1 + rng.nextInt(2);
                k.fby = k.fpk * rng.between(70, 90);
            } else {
                k.dstPort = x < 0.55 ? 5432 : 6379;
                k.fpk = 1 + rng.nextInt(4);
                k.fby = k.fpk * 60;
                k.ff = 2;
            }
            k.start = ws + rng.nextInt(295);
            k.end = Math.min(k.start + rng.nextInt(4), k.start - Math.floorMod(k.start, 60) + 59);
            k.reject = true;
            n += traffic.emit(k);
        }
        i.evidence.merge("rejected_flows", (long) flows, (a, b) -> (Long) a + (Long) b);
        i.evidence.put("src_addr", Ip.v4Text(i.source.v4));
        i.evidence.put("dst_ports", List.of("tcp/5432", "tcp/6379", "udp/53"));
        return n;
    }

    private long upload(Incident i, long ws, int connections, long minBytes, long maxBytes) {
        long n = 0;
        long total = 0;
        for (int c = 0; c < connections; c++) {
            long bytes = minBytes + (long) (rng.nextDouble() * (maxBytes - minBytes));
            total += bytes;
            n += toInternet(i, ws, c * 5 / connections, bytes, true);
        }
        i.evidence.put("bytes", total);
        i.evidence.put("connections", connections);
        i.evidence.put("dst", Ip.v4Text(i.destinationV4) + ":" + i.port);
        i.evidence.put("via_nat_interface_id", topo.nat(i.target).id);
        return n;
    }

    /** One upload from the incident's host to its destination, through the NAT gateway. */
    private long toInternet(Incident i, long ws, int minute, long bytes, boolean incident) {
        Traffic.Conn k = traffic.conn().from(i.target, false).toInternet(0, i.destinationV4);
        k.nat = topo.nat(i.target);
        k.incident = incident;
        k.srcPort = rng.between(32768, 60999);
        k.natPort = rng.between(1024, 65535);
        k.dstPort = i.port;
        long m = ws + 60L * minute;
        k.start = m + rng.nextInt(5);
        k.end = m + 50 + rng.nextInt(9);
        k.fby = bytes;
        k.fpk = Math.max(4, bytes / 1448);
        k.rpk = Math.max(1, k.fpk / 2);
        k.rby = k.rpk * 52;
        k.ff = 3;
        k.rf = 19;
        return traffic.emit(k);
    }
}
