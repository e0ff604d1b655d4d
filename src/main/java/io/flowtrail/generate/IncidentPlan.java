package io.flowtrail.generate;

import io.flowtrail.generate.Topology.Eni;
import io.flowtrail.generate.Topology.Role;
import io.flowtrail.generate.Topology.Vpc;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which incidents to inject and when. The list ({@code --incidents}) is comma-separated items
 * {@code NAME[*N][@TIME]}:
 *
 * <ul>
 *   <li>{@code NAME}: a detector ({@code vertical_port_scan}, {@code reject_spike}, ...; see {@link
 *       IncidentKind}), a category ({@code port_scan}: both scans; {@code config_posture}: the five
 *       posture findings; ...), a source ({@code flow}, {@code config}, {@code cloudtrail}), {@code
 *       all}, or {@code none};
 *   <li>{@code *N}: N of each;
 *   <li>{@code @TIME}: when: an ISO instant ({@code 2026-11-02T10:20:00Z}) or an offset from the
 *       start ({@code +90m}, {@code +2h}, {@code +1h30m}); several incidents of one item are 30
 *       minutes apart. Without it, incidents are spread evenly from one hour after the start (the
 *       detectors' warm-up) to 15 minutes before the end, kinds taking turns.
 * </ul>
 */
final class IncidentPlan {
    static final int LEAD_WINDOWS = 12;
    private static final int TAIL_WINDOWS = 3;
    private static final Pattern ITEM = Pattern.compile("([a-z0-9_]+)(?:\\*(\\d+))?(?:@(\\S+))?");
    private static final Pattern OFFSET = Pattern.compile("\\+(?:(\\d+)h)?(?:(\\d+)m)?");

    final List<Incident> incidents = new ArrayList<>();

    private IncidentPlan() {}

    static IncidentPlan parse(String list, GeneratorOptions o) {
        IncidentPlan plan = new IncidentPlan();
        if (list == null || list.isBlank()) {
            return plan;
        }
        Map<IncidentKind, Integer> counts = new EnumMap<>(IncidentKind.class);
        List<Incident> automatic = new ArrayList<>();
        int rounds = 0;
        for (String raw : list.split(",")) {
            String item = raw.trim().toLowerCase(Locale.ROOT);
            if (item.isEmpty()) {
                continue;
            }
            Matcher m = ITEM.matcher(item);
            if (!m.matches()) {
                throw bad(raw, "expected NAME[*N][@TIME]");
            }
            List<IncidentKind> kinds = kinds(m.group(1), raw);
            int n = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            if (n < 1 || n > 100) {
                throw bad(raw, "*N: expected 1 to 100");
            }
            Long at = m.group(3) == null ? null : time(m.group(3), o, raw);
            int k = 0;
            for (int r = 0; r < n; r++) {
                for (IncidentKind kind : kinds) {
                    Incident i = new Incident(kind);
                    i.index = counts.merge(kind, 1, Integer::sum) - 1;
                    if (at != null) {
                        i.time = at + 1800L * k++;
                        i.explicitTime = true;
                        plan.incidents.add(i);
                    } else {
                        automatic.add(i);
                    }
                }
            }
            rounds++;
        }
        if (rounds == 0) {
            return plan;
        }
        spread(automatic, o, list);
        plan.incidents.addAll(automatic);
        for (Incident i : plan.incidents) {
            i.windowStart = i.time - Math.floorMod(i.time, 300);
            if (i.kind == IncidentKind.REJECT_SPIKE) {
                i.windows = 1 + i.index % 3;
            }
            if (i.kind == IncidentKind.KEY_USAGE_THEN_EGRESS) {
                i.windows = 2;
            }
            long end = o.startSeconds() + 3600L * o.hours;
            if (i.windowStart < o.startSeconds() || i.windowEnd() > end) {
                throw bad(
                        i.kind.detector() + "@" + Instant.ofEpochSecond(i.time),
                        "outside the generated time range " + o.start + " + " + o.hours + "h");
            }
        }
        plan.incidents.sort(
                (a, b) ->
                        a.time != b.time
                                ? Long.compare(a.time, b.time)
                                : a.kind != b.kind
                                        ? a.kind.compareTo(b.kind)
                                        : Integer.compare(a.index, b.index));
        return plan;
    }

    private static List<IncidentKind> kinds(String name, String raw) {
        List<IncidentKind> out = new ArrayList<>();
        switch (name) {
            case "none":
                return out;
            case "all":
                return List.of(IncidentKind.values());
            case "flow":
            case "config":
            case "cloudtrail":
                for (IncidentKind k : IncidentKind.values()) {
                    if (k.source.name().toLowerCase(Locale.ROOT).startsWith(name)) {
                        out.add(k);
                    }
                }
                return out;
            default:
        }
        IncidentKind k = IncidentKind.byDetector(name);
        if (k != null) {
            return List.of(k);
        }
        for (IncidentKind c : IncidentKind.values()) {
            if (c.category.equals(name)) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            StringBuilder names = new StringBuilder();
            for (IncidentKind c : IncidentKind.values()) {
                names.append(names.length() == 0 ? "" : ", ").append(c.detector());
            }
            throw bad(
                    raw,
                    "unknown incident '"
                            + name
                            + "' (expected all, none, flow, config, cloudtrail, a category or one"
                            + " of: "
                            + names
                            + ")");
        }
        return out;
    }

    private static long time(String text, GeneratorOptions o, String raw) {
        Matcher m = OFFSET.matcher(text);
        if (m.matches() && (m.group(1) != null || m.group(2) != null)) {
            long h = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
            long min = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
            return o.startSeconds() + h * 3600 + min * 60;
        }
        try {
            return Instant.parse(text.toUpperCase(Locale.ROOT)).getEpochSecond();
        } catch (DateTimeParseException e) {
            throw bad(raw, "@TIME: expected an ISO instant or +90m / +2h / +1h30m");
        }
    }

    /** Spreads incidents without a time over the range, kinds taking turns. */
    private static void spread(List<Incident> automatic, GeneratorOptions o, String list) {
        if (automatic.isEmpty()) {
            return;
        }
        int first = LEAD_WINDOWS;
        int last = o.windows() - TAIL_WINDOWS;
        if (last <= first) {
            throw new IllegalArgumentException(
                    "--incidents "
                            + list
                            + ": spreading incidents needs --hours 2 or more (the first hour is"
                            + " the detectors' warm-up); give times with @TIME instead");
        }
        // Kinds take turns: the first of each kind, then the second of each, ...
        List<Incident> order = new ArrayList<>(automatic);
        order.sort(
                (a, b) ->
                        a.index != b.index
                                ? Integer.compare(a.index, b.index)
                                : a.kind.compareTo(b.kind));
        int n = order.size();
        for (int j = 0; j < n; j++) {
            int w = first + (int) ((long) j * (last - first) / n);
            // Mid-window for configuration and CloudTrail changes, so they fall inside it.
            order.get(j).time = o.startSeconds() + 300L * w + 60 + (j % 3) * 60;
        }
    }

    private static IllegalArgumentException bad(String item, String why) {
        return new IllegalArgumentException("--incidents: '" + item.trim() + "': " + why);
    }

    // ---- binding to the topology

    /** Picks each incident's target, source and entity; no two incidents share an interface. */
    void bind(Topology topo, Rng rng) {
        Vpc v = topo.vpcs.get(0);
        // The steady KMS sessions are nobody's incident: a decrypt burst of theirs followed by an
        // egress incident of the same instance would be a correlated incident nobody labelled.
        Set<Eni> used = new HashSet<>(topo.kmsSessions());
        for (Incident i : incidents) {
            switch (i.kind) {
                case VERTICAL_PORT_SCAN:
                    i.sourceV4 = Ip.TEST_NET_3 + 10 + i.index % 80;
                    i.entity = Ip.v4Text(i.sourceV4);
                    i.target = pickPublic(topo, v, rng, used, true);
                    i.related.add(i.target.id);
                    i.related.add(Ip.v4Text(i.target.v4));
                    break;
                case HORIZONTAL_PORT_SCAN:
                    horizontal(topo, v, rng, used, i);
                    break;
                case REJECT_SPIKE:
                    i.target = unused(topo, v, Role.WEB, rng, used);
                    i.source = unused(topo, v, rng.chance(0.5) ? Role.WEB : Role.BATCH, rng, used);
                    i.entity = i.target.id;
                    i.related.add(i.target.subnet.id);
                    i.related.add(v.id);
                    i.related.add(Ip.v4Text(i.target.v4));
                    i.related.add(Ip.v4Text(i.source.v4));
                    break;
                case NEW_EXTERNAL_DESTINATION:
                    i.target = unused(topo, v, Role.BATCH, rng, used);
                    i.destinationV4 = Ip.TEST_NET_1 + 200 + i.index % 50;
                    i.port = 443;
                    egressEntity(i);
                    break;
                case EGRESS_VOLUME_SPIKE:
                    i.target = unused(topo, v, Role.BATCH, rng, used);
                    i.destinationV4 = Ip.TEST_NET_2 + 60 + i.index % 40;
                    i.port = 443;
                    egressEntity(i);
                    break;
                case KEY_USAGE_THEN_EGRESS:
                    i.target = unused(topo, v, Role.BATCH, rng, used);
                    i.destinationV4 = Ip.TEST_NET_1 + 150 + i.index % 50;
                    i.port = 443;
                    i.entity = i.target.instanceId;
                    i.related.add(i.target.id);
                    i.session = i.target.instanceId;
                    break;
                case SG_OPEN_ADMIN_PORT:
                case SG_OPEN_ALL_PORTS:
                case SG_MISSING_REFERENCE:
                    i.groupId = rng.hexId("sg-");
                    i.entity = i.groupId;
                    i.related.add(v.id);
                    i.port = i.index % 2 == 0 ? 3389 : 22;
                    i.evidence.put(
                            "rule",
                            i.kind == IncidentKind.SG_OPEN_ADMIN_PORT
                                    ? "new group: tcp " + i.port + " from 0.0.0.0/0"
                                    : i.kind == IncidentKind.SG_OPEN_ALL_PORTS
                                            ? "new group: all traffic from 0.0.0.0/0 and ::/0"
                                            : "new group: tcp 8443 from a group that does not"
                                                    + " exist");
                    break;
                case NACL_SHADOWED_RULE:
                    i.entity = v.subnets[Topology.DATA_A].aclId;
                    i.port = 130 + i.index; // the rule number added
                    i.related.add(v.id);
                    i.evidence.put(
                            "rule",
                            "inbound #"
                                    + i.port
                                    + " allow tcp 5432 from "
                                    + v.subnets[Topology.APP_A].v4Cidr()
                                    + ", shadowed by #100 allow all from "
                                    + v.v4Cidr());
                    break;
                case PEERING_CIDR_OVERLAP:
                    i.entity = rng.hexId("pcx-");
                    i.related.add(v.id);
                    i.evidence.put(
                            "overlap", "the peer VPC's secondary block overlaps " + v.v4Cidr());
                    break;
                default:
                    // CloudTrail incidents are bound by the CloudTrail writer.
            }
        }
    }

    private static void egressEntity(Incident i) {
        i.entity = i.target.id;
        i.related.add(i.target.instanceId);
        i.related.add(Ip.v4Text(i.target.v4));
        i.related.add(Ip.v4Text(i.destinationV4));
    }

    private static void horizontal(Topology topo, Vpc v, Rng rng, Set<Eni> used, Incident i) {
        int[] ports = {22, 3389, 445, 23, 5900};
        int publicCount = v.publicInterfaces.length;
        boolean fromInternet = publicCount >= 12 && i.index % 2 == 0;
        List<Eni> candidates = new ArrayList<>();
        if (fromInternet) {
            i.port = ports[(i.index / 2) % ports.length];
            i.sourceV4 = Ip.TEST_NET_3 + 100 + i.index % 80;
            for (int e : v.publicInterfaces) {
                candidates.add(topo.enis[e]);
            }
        } else {
            i.port = i.index % 4 < 2 ? 445 : 3389;
            i.source = unused(topo, v, rng.chance(0.5) ? Role.WEB : Role.BATCH, rng, used);
            i.sourceV4 = i.source.v4;
            i.related.add(i.source.id);
            for (Role r : new Role[] {Role.WEB, Role.BATCH, Role.DB, Role.CACHE}) {
                for (int e : v.role(r)) {
                    if (topo.enis[e] != i.source) {
                        candidates.add(topo.enis[e]);
                    }
                }
            }
        }
        int want =
                Math.min(
                        candidates.size(),
                        fromInternet ? rng.between(12, 25) : rng.between(15, 30));
        for (int k = 0; k < want; k++) {
            int j = k + rng.nextInt(candidates.size() - k);
            Eni t = candidates.get(j);
            candidates.set(j, candidates.get(k));
            candidates.set(k, t);
            i.targets.add(t);
        }
        i.entity = Ip.v4Text(i.sourceV4);
    }

    private static Eni pickPublic(Topology topo, Vpc v, Rng rng, Set<Eni> used, boolean hosts) {
        List<Eni> candidates = new ArrayList<>();
        for (int e : v.publicInterfaces) {
            Eni x = topo.enis[e];
            if (!used.contains(x) && (x.role == Role.EDGE || x.role == Role.BASTION || !hosts)) {
                candidates.add(x);
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException(
                    "--incidents: not enough internet-facing interfaces for the incidents; raise"
                            + " --interfaces");
        }
        Eni e = candidates.get(rng.nextInt(candidates.size()));
        used.add(e);
        return e;
    }

    /** An interface of the role no other incident has; of a fallback role when all are taken. */
    private static Eni unused(Topology topo, Vpc v, Role role, Rng rng, Set<Eni> used) {
        for (Role r : new Role[] {role, Role.BATCH, Role.WEB}) {
            int[] members = v.role(r);
            for (int attempt = 0; attempt < 64; attempt++) {
                Eni e = topo.enis[members[rng.nextInt(members.length)]];
                if (used.add(e)) {
                    return e;
                }
            }
            for (int m : members) {
                Eni e = topo.enis[m];
                if (used.add(e)) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException(
                "--incidents: more incidents than app interfaces to give them; raise"
                        + " --interfaces");
    }
}
