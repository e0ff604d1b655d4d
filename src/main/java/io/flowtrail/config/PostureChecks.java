package io.flowtrail.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.model.Alert;
import io.flowtrail.model.AlertIds;
import io.flowtrail.model.Cidr;
import io.flowtrail.model.IpAddresses;
import io.flowtrail.model.NaclEntry;
import io.flowtrail.model.NetworkAcl;
import io.flowtrail.model.Protocols;
import io.flowtrail.model.SecurityGroup;
import io.flowtrail.model.SecurityGroupRule;
import io.flowtrail.model.VpcPeeringConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configuration findings raised when a snapshot takes effect (category {@code config_posture}), one
 * per offending rule or connection, in document order:
 *
 * <ul>
 *   <li>{@code sg_open_admin_port} (HIGH): an inbound rule opens SSH (22) or RDP (3389), TCP or
 *       UDP, to {@code 0.0.0.0/0} or {@code ::/0}.
 *   <li>{@code sg_open_all_ports} (HIGH): an inbound rule opens all traffic ({@code -1}) or every
 *       TCP/UDP port to the world. Such a rule opens 22 and 3389 too but is reported once, here.
 *   <li>{@code nacl_shadowed_rule} (LOW): a network-ACL entry that can never match because an
 *       earlier entry (lower number) of the same direction and family covers it completely: its
 *       block, protocol, ports and ICMP type. The {@code *} entries are not reported (an allow-all
 *       rule 100 shadows them by design). Entries covered only by several earlier entries together
 *       are not found.
 *   <li>{@code peering_cidr_overlap} (MEDIUM): the two VPCs of a peering connection (not deleted,
 *       rejected or expired) have overlapping blocks, or a VPC has two active peerings whose far
 *       sides overlap, so that traffic to the overlap can reach only one of them.
 *   <li>{@code sg_missing_reference} (MEDIUM): a rule references a security group that is not in
 *       the snapshot and is not across a peering connection: it matches nothing (a deleted group,
 *       or a snapshot that lacks part of the account).
 * </ul>
 *
 * <p>Alert ids are {@link AlertIds#of} {@code config_posture|detector|entity|effectiveFromMillis},
 * where the entity is the rule label ({@code sg-0abc/ingress/2}), {@code acl-0abc/inbound/#200},
 * the peering id (two ids joined with {@code +} for two peerings), or {@code label->sg-missing};
 * the same snapshot gives the same ids.
 */
public final class PostureChecks {
    public static final String CATEGORY = "config_posture";
    public static final String OPEN_ADMIN_PORT = "sg_open_admin_port";
    public static final String OPEN_ALL_PORTS = "sg_open_all_ports";
    public static final String SHADOWED_RULE = "nacl_shadowed_rule";
    public static final String PEERING_OVERLAP = "peering_cidr_overlap";
    public static final String MISSING_REFERENCE = "sg_missing_reference";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] ADMIN_PORTS = {22, 3389};
    private static final Set<String> DEAD_PEERINGS = Set.of("deleted", "rejected", "expired");

    private PostureChecks() {}

    /** The findings of a snapshot, stamped with the time it takes effect. */
    public static List<Alert> findings(NetworkIndex index, long effectiveFromMillis) {
        List<Alert> alerts = new ArrayList<>();
        for (SecurityGroup g : index.securityGroups()) {
            openToTheWorld(g, effectiveFromMillis, alerts);
            missingReferences(index, g, effectiveFromMillis, alerts);
        }
        for (NetworkAcl acl : index.networkAcls()) {
            for (boolean egress : new boolean[] {false, true}) {
                for (byte family : new byte[] {IpAddresses.V4, IpAddresses.V6}) {
                    shadowed(
                            acl,
                            index.naclEntries(acl.networkAclId(), egress, family),
                            effectiveFromMillis,
                            alerts);
                }
            }
        }
        peeringOverlaps(index, effectiveFromMillis, alerts);
        return alerts;
    }

    // ---- security groups open to the world

    private static void openToTheWorld(SecurityGroup g, long time, List<Alert> alerts) {
        Map<String, List<SecurityGroupRule>> byLabel = new LinkedHashMap<>();
        for (SecurityGroupRule r : g.ingress()) {
            if (r.cidr() != null && r.cidr().isEverything()) {
                byLabel.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r);
            }
        }
        byLabel.forEach(
                (label, rules) -> {
                    SecurityGroupRule rule = rules.get(0);
                    List<String> world = new ArrayList<>();
                    rules.forEach(r -> world.add(r.cidr().toString()));
                    boolean allPorts =
                            rule.protocol() == Protocols.ALL
                                    || (Protocols.hasPorts(rule.protocol()) && rule.allPorts());
                    List<Integer> admin = new ArrayList<>();
                    if (Protocols.hasPorts(rule.protocol())) {
                        for (int port : ADMIN_PORTS) {
                            if (rule.coversPort(port)) {
                                admin.add(port);
                            }
                        }
                    }
                    if (!allPorts && admin.isEmpty()) {
                        return;
                    }
                    ObjectNode evidence = groupEvidence(g, rule);
                    evidence.put("traffic", rule.trafficText());
                    ArrayNode open = evidence.putArray("openTo");
                    world.forEach(open::add);
                    Alert a;
                    if (allPorts) {
                        a =
                                alert(
                                        OPEN_ALL_PORTS,
                                        "HIGH",
                                        label,
                                        time,
                                        g.ownerId(),
                                        "Security group "
                                                + g.displayName()
                                                + " allows "
                                                + (rule.protocol() == Protocols.ALL
                                                        ? "all traffic"
                                                        : rule.trafficText())
                                                + " from anywhere ("
                                                + String.join(", ", world)
                                                + "), rule "
                                                + label,
                                        evidence);
                    } else {
                        ArrayNode ports = evidence.putArray("adminPorts");
                        admin.forEach(ports::add);
                        List<String> names = new ArrayList<>();
                        admin.forEach(p -> names.add(p == 22 ? "SSH (22)" : "RDP (3389)"));
                        a =
                                alert(
                                        OPEN_ADMIN_PORT,
                                        "HIGH",
                                        label,
                                        time,
                                        g.ownerId(),
                                        "Security group "
                                                + g.displayName()
                                                + " opens "
                                                + String.join(" and ", names)
                                                + " to anywhere ("
                                                + String.join(", ", world)
                                                + "), rule "
                                                + label,
                                        evidence);
                        a.dstPort = admin.get(0);
                    }
                    alerts.add(a);
                });
    }

    // ---- references to groups that are not there

    private static void missingReferences(
            NetworkIndex index, SecurityGroup g, long time, List<Alert> alerts) {
        Set<String> seen = new LinkedHashSet<>();
        List<SecurityGroupRule> rules = new ArrayList<>(g.ingress());
        rules.addAll(g.egress());
        for (SecurityGroupRule r : rules) {
            SecurityGroupRule.GroupReference ref = r.group();
            if (ref == null
                    || ref.peeringConnectionId() != null
                    || index.securityGroup(ref.groupId()) != null) {
                continue;
            }
            String entity = r.label() + "->" + ref.groupId();
            if (!seen.add(entity)) {
                continue;
            }
            ObjectNode evidence = groupEvidence(g, r);
            evidence.put("referencedGroupId", ref.groupId());
            if (ref.userId() != null) {
                evidence.put("referencedUserId", ref.userId());
            }
            alerts.add(
                    alert(
                            MISSING_REFERENCE,
                            "MEDIUM",
                            entity,
                            time,
                            g.ownerId(),
                            "Security group "
                                    + g.displayName()
                                    + " rule "
                                    + r.label()
                                    + " references "
                                    + ref.groupId()
                                    + ", which is not in the configuration: the rule matches nothing",
                            evidence));
        }
    }

    private static ObjectNode groupEvidence(SecurityGroup g, SecurityGroupRule rule) {
        ObjectNode evidence = JSON.createObjectNode();
        evidence.put("groupId", g.groupId());
        if (g.groupName() != null) {
            evidence.put("groupName", g.groupName());
        }
        if (g.vpcId() != null) {
            evidence.put("vpcId", g.vpcId());
        }
        evidence.put("rule", rule.label());
        evidence.put("direction", rule.egress() ? "egress" : "ingress");
        evidence.put("ruleText", rule.describe());
        return evidence;
    }

    // ---- shadowed ACL entries

    private static void shadowed(
            NetworkAcl acl, List<NaclEntry> ordered, long time, List<Alert> alerts) {
        for (int i = 0; i < ordered.size(); i++) {
            NaclEntry e = ordered.get(i);
            if (e.isDefaultRule()) {
                continue;
            }
            for (int j = 0; j < i; j++) {
                NaclEntry earlier = ordered.get(j);
                if (!covers(earlier, e)) {
                    continue;
                }
                String direction = e.egress() ? "outbound" : "inbound";
                ObjectNode evidence = JSON.createObjectNode();
                evidence.put("networkAclId", acl.networkAclId());
                if (acl.vpcId() != null) {
                    evidence.put("vpcId", acl.vpcId());
                }
                evidence.put("direction", direction);
                evidence.put("family", e.cidr().isV4() ? "IPv4" : "IPv6");
                evidence.put("rule", e.ruleNumber());
                evidence.put("ruleText", e.describe());
                evidence.put("shadowedBy", earlier.ruleNumber());
                evidence.put("shadowingRuleText", earlier.describe());
                alerts.add(
                        alert(
                                SHADOWED_RULE,
                                "LOW",
                                acl.networkAclId() + "/" + direction + "/#" + e.ruleNumber(),
                                time,
                                acl.ownerId(),
                                "Network ACL "
                                        + acl.networkAclId()
                                        + " "
                                        + direction
                                        + " entry #"
                                        + e.ruleNumber()
                                        + " ("
                                        + e.describe()
                                        + ") never matches: entry #"
                                        + earlier.ruleNumber()
                                        + " ("
                                        + earlier.describe()
                                        + ") comes first and covers it",
                                evidence));
                break;
            }
        }
    }

    /** Every packet that {@code later} matches, {@code earlier} matches too. */
    static boolean covers(NaclEntry earlier, NaclEntry later) {
        if (!earlier.cidr().covers(later.cidr())) {
            return false;
        }
        if (earlier.protocol() == Protocols.ALL) {
            return true;
        }
        if (earlier.protocol() != later.protocol()) {
            return false;
        }
        if (Protocols.hasPorts(earlier.protocol())) {
            if (earlier.fromPort() == -1) {
                return true;
            }
            return later.fromPort() != -1
                    && earlier.fromPort() <= later.fromPort()
                    && later.toPort() <= earlier.toPort();
        }
        if (Protocols.isIcmp(earlier.protocol())) {
            if (earlier.icmpType() == -1) {
                return true;
            }
            if (earlier.icmpType() != later.icmpType()) {
                return false;
            }
            return earlier.icmpCode() == -1 || earlier.icmpCode() == later.icmpCode();
        }
        return true;
    }

    // ---- peering overlaps

    private static void peeringOverlaps(NetworkIndex index, long time, List<Alert> alerts) {
        List<VpcPeeringConnection> live = new ArrayList<>();
        for (VpcPeeringConnection p : index.peeringConnections()) {
            String status = p.status() == null ? "" : p.status().toLowerCase(java.util.Locale.ROOT);
            if (DEAD_PEERINGS.contains(status)) {
                continue;
            }
            live.add(p);
            Cidr[] overlap = overlap(p.requester().cidrBlocks(), p.accepter().cidrBlocks());
            if (overlap == null) {
                continue;
            }
            ObjectNode evidence = JSON.createObjectNode();
            evidence.put("peeringConnectionId", p.peeringConnectionId());
            evidence.put("status", p.status());
            evidence.put("requesterVpcId", p.requester().vpcId());
            evidence.put("requesterCidr", overlap[0].toString());
            evidence.put("accepterVpcId", p.accepter().vpcId());
            evidence.put("accepterCidr", overlap[1].toString());
            alerts.add(
                    alert(
                            PEERING_OVERLAP,
                            "MEDIUM",
                            p.peeringConnectionId(),
                            time,
                            p.requester().ownerId(),
                            "VPC peering "
                                    + p.peeringConnectionId()
                                    + " joins VPCs with overlapping blocks: "
                                    + p.requester().vpcId()
                                    + " "
                                    + overlap[0]
                                    + " and "
                                    + p.accepter().vpcId()
                                    + " "
                                    + overlap[1],
                            evidence));
        }
        // Two active peerings of one VPC whose far sides overlap.
        for (int i = 0; i < live.size(); i++) {
            for (int j = i + 1; j < live.size(); j++) {
                VpcPeeringConnection a = live.get(i);
                VpcPeeringConnection b = live.get(j);
                if (!a.isActive() || !b.isActive()) {
                    continue;
                }
                for (String vpc : sharedVpcs(a, b)) {
                    VpcPeeringConnection.Side farA = a.otherSide(vpc);
                    VpcPeeringConnection.Side farB = b.otherSide(vpc);
                    if (farA.vpcId().equals(farB.vpcId())) {
                        continue;
                    }
                    Cidr[] overlap = overlap(farA.cidrBlocks(), farB.cidrBlocks());
                    if (overlap == null) {
                        continue;
                    }
                    ObjectNode evidence = JSON.createObjectNode();
                    evidence.put("vpcId", vpc);
                    evidence.put("peeringConnectionId", a.peeringConnectionId());
                    evidence.put("peerVpcId", farA.vpcId());
                    evidence.put("peerCidr", overlap[0].toString());
                    evidence.put("otherPeeringConnectionId", b.peeringConnectionId());
                    evidence.put("otherPeerVpcId", farB.vpcId());
                    evidence.put("otherPeerCidr", overlap[1].toString());
                    VpcPeeringConnection.Side local = a.otherSide(farA.vpcId());
                    alerts.add(
                            alert(
                                    PEERING_OVERLAP,
                                    "MEDIUM",
                                    a.peeringConnectionId() + "+" + b.peeringConnectionId(),
                                    time,
                                    local == null ? null : local.ownerId(),
                                    "VPC "
                                            + vpc
                                            + " is peered with "
                                            + farA.vpcId()
                                            + " "
                                            + overlap[0]
                                            + " ("
                                            + a.peeringConnectionId()
                                            + ") and "
                                            + farB.vpcId()
                                            + " "
                                            + overlap[1]
                                            + " ("
                                            + b.peeringConnectionId()
                                            + "), which overlap: traffic to the overlap reaches only one",
                                    evidence));
                }
            }
        }
    }

    private static List<String> sharedVpcs(VpcPeeringConnection a, VpcPeeringConnection b) {
        List<String> shared = new ArrayList<>();
        for (String vpc : new String[] {a.requester().vpcId(), a.accepter().vpcId()}) {
            if (vpc != null && b.otherSide(vpc) != null && a.otherSide(vpc) != null) {
                shared.add(vpc);
            }
        }
        return shared;
    }

    private static Cidr[] overlap(List<Cidr> left, List<Cidr> right) {
        for (Cidr l : left) {
            for (Cidr r : right) {
                if (l.overlaps(r)) {
                    return new Cidr[] {l, r};
                }
            }
        }
        return null;
    }

    private static Alert alert(
            String detector,
            String severity,
            String entity,
            long time,
            String accountId,
            String title,
            ObjectNode evidence) {
        Alert a = new Alert();
        a.alertId = AlertIds.of(CATEGORY, detector, entity, Long.toString(time));
        a.category = CATEGORY;
        a.detector = detector;
        a.severity = severity;
        a.windowStart = time;
        a.windowEnd = time;
        a.accountId = accountId;
        a.region = null;
        a.title = title;
        a.evidence = snakeCase(evidence).toString();
        return a;
    }

    /**
     * Evidence keys in snake_case, as every detector writes them ({@code groupId} → {@code
     * group_id}).
     */
    static com.fasterxml.jackson.databind.JsonNode snakeCase(
            com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            node.fields()
                    .forEachRemaining(
                            e ->
                                    out.set(
                                            e.getKey()
                                                    .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                                                    .toLowerCase(java.util.Locale.ROOT),
                                            snakeCase(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out =
                    new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
            node.forEach(n -> out.add(snakeCase(n)));
            return out;
        }
        return node;
    }
}
