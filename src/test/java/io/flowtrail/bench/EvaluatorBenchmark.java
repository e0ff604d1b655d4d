package io.flowtrail.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.config.ConfigSnapshot;
import io.flowtrail.config.ConfigTimeline;
import io.flowtrail.config.FlowEvaluator;
import io.flowtrail.config.NetworkIndex;
import io.flowtrail.config.Verdict;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Flow evaluations per second on one core against a synthetic snapshot of 1,000 interfaces and
 * 5,000 security-group rules (250 groups of 20), 25 subnets with 10 custom network ACLs, two peered
 * VPCs, an AWS service prefix list and a managed one. The flows are a realistic mix: inbound web
 * and SSH from the internet (accepted and rejected), east-west traffic allowed by referenced
 * groups, egress to the internet and to S3 through a prefix list, responses (by tcp-flags and by
 * ports), IPv6, ICMP, traffic from the peered VPC and from ranges the ACLs deny.
 *
 * <p>Run (from a build copy, not the shared tree):
 *
 * <pre>
 * mvn -q -B -o test-compile -Dspotless.check.skip=true
 * mvn -q -B -o dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat cp.txt) org.openjdk.jmh.Main EvaluatorBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s
 * </pre>
 *
 * Target: at least 2,000,000 evaluations per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EvaluatorBenchmark {
    static final int INTERFACES = 1000;
    static final int GROUPS = 250;
    static final int RULES_PER_GROUP = 20;
    static final int SUBNETS = 20;
    static final int PEER_SUBNETS = 5;
    static final int ACLS = 10;
    static final int FLOWS = 1 << 13;
    static final long START = 1793613600L;

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowEvaluator fixed;
    private FlowEvaluator overTimeline;
    private FlowRecord[] flows;
    private int next;

    @Setup
    public void setUp() {
        Map<String, String> documents = snapshotDocuments(new Random(42));
        ConfigSnapshot snapshot = new ConfigSnapshot(START * 1000 - 3_600_000, "bench", documents);
        fixed = new FlowEvaluator(NetworkIndex.build(snapshot));
        ConfigSnapshot earlier =
                new ConfigSnapshot(START * 1000 - 7_200_000, "bench-earlier", documents);
        overTimeline = FlowEvaluator.over(ConfigTimeline.of(List.of(earlier, snapshot)));
        flows = flows(new Random(7));
        // Warm the timeline's index outside the measurement.
        overTimeline.evaluate(flows[0]);
    }

    @Benchmark
    public Verdict evaluateAgainstOneSnapshot() {
        FlowRecord r = flows[next++ & (FLOWS - 1)];
        return fixed.evaluate(r);
    }

    @Benchmark
    public Verdict evaluateAgainstTheTimeline() {
        FlowRecord r = flows[next++ & (FLOWS - 1)];
        return overTimeline.evaluate(r);
    }

    // ---- the synthetic network

    static String mainAddress(int i) {
        return "10.0." + (i % SUBNETS) + "." + (10 + i / SUBNETS);
    }

    static String mainV6(int i) {
        return "2001:db8:100:"
                + Integer.toHexString(i % SUBNETS)
                + "::"
                + Integer.toHexString(10 + i / SUBNETS);
    }

    static String peerAddress(int i) {
        return "10.1." + (i % PEER_SUBNETS) + "." + (10 + i / PEER_SUBNETS);
    }

    static final int PEER_INTERFACES = 50;
    static final int MAIN_INTERFACES = INTERFACES - PEER_INTERFACES;

    static Map<String, String> snapshotDocuments(Random random) {
        Map<String, String> docs = new TreeMap<>();
        ObjectNode vpcs = JSON.createObjectNode();
        ArrayNode v = vpcs.putArray("Vpcs");
        ObjectNode main =
                v.addObject()
                        .put("VpcId", "vpc-main")
                        .put("OwnerId", "111122223333")
                        .put("CidrBlock", "10.0.0.0/16");
        main.putArray("Ipv6CidrBlockAssociationSet")
                .addObject()
                .put("Ipv6CidrBlock", "2001:db8:100::/56");
        v.addObject()
                .put("VpcId", "vpc-peer")
                .put("OwnerId", "444455556666")
                .put("CidrBlock", "10.1.0.0/16");
        docs.put("Vpcs", vpcs.toString());

        ObjectNode subnets = JSON.createObjectNode();
        ArrayNode s = subnets.putArray("Subnets");
        for (int i = 0; i < SUBNETS; i++) {
            ObjectNode subnet =
                    s.addObject()
                            .put("SubnetId", "subnet-m" + i)
                            .put("VpcId", "vpc-main")
                            .put("CidrBlock", "10.0." + i + ".0/24");
            subnet.putArray("Ipv6CidrBlockAssociationSet")
                    .addObject()
                    .put("Ipv6CidrBlock", "2001:db8:100:" + Integer.toHexString(i) + "::/64");
        }
        for (int i = 0; i < PEER_SUBNETS; i++) {
            s.addObject()
                    .put("SubnetId", "subnet-p" + i)
                    .put("VpcId", "vpc-peer")
                    .put("CidrBlock", "10.1." + i + ".0/24");
        }
        docs.put("Subnets", subnets.toString());

        ObjectNode peerings = JSON.createObjectNode();
        ObjectNode pcx =
                peerings.putArray("VpcPeeringConnections")
                        .addObject()
                        .put("VpcPeeringConnectionId", "pcx-1");
        pcx.putObject("RequesterVpcInfo")
                .put("VpcId", "vpc-main")
                .put("OwnerId", "111122223333")
                .put("CidrBlock", "10.0.0.0/16");
        pcx.putObject("AccepterVpcInfo")
                .put("VpcId", "vpc-peer")
                .put("OwnerId", "444455556666")
                .put("CidrBlock", "10.1.0.0/16");
        pcx.putObject("Status").put("Code", "active");
        docs.put("VpcPeeringConnections", peerings.toString());

        ObjectNode service = JSON.createObjectNode();
        ObjectNode s3 =
                service.putArray("PrefixLists")
                        .addObject()
                        .put("PrefixListId", "pl-s3")
                        .put("PrefixListName", "com.amazonaws.us-east-1.s3");
        ArrayNode s3Cidrs = s3.putArray("Cidrs");
        for (String c :
                new String[] {
                    "52.216.0.0/15", "3.5.0.0/19", "54.231.0.0/16", "16.182.0.0/16", "18.34.0.0/19"
                }) {
            s3Cidrs.add(c);
        }
        docs.put("PrefixLists", service.toString());
        ObjectNode managed = JSON.createObjectNode();
        managed.putArray("PrefixLists")
                .addObject()
                .put("PrefixListId", "pl-partners")
                .put("PrefixListName", "partners")
                .put("OwnerId", "111122223333")
                .put("AddressFamily", "IPv4");
        docs.put("ManagedPrefixLists", managed.toString());
        ObjectNode entries = JSON.createObjectNode().put("PrefixListId", "pl-partners");
        ArrayNode e = entries.putArray("Entries");
        for (int i = 0; i < 24; i++) {
            e.addObject().put("Cidr", "198.51." + (i * 4) + ".0/22");
        }
        docs.put("PrefixListEntries:pl-partners", entries.toString());

        docs.put("SecurityGroups", securityGroups(random));
        docs.put("NetworkAcls", networkAcls());
        docs.put("NetworkInterfaces", interfaces(random));
        return docs;
    }

    private static String securityGroups(Random random) {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode groups = doc.putArray("SecurityGroups");
        for (int g = 0; g < GROUPS; g++) {
            ObjectNode group =
                    groups.addObject()
                            .put("GroupId", "sg-" + g)
                            .put("GroupName", "g" + g)
                            .put("VpcId", g < 240 ? "vpc-main" : "vpc-peer")
                            .put("OwnerId", "111122223333");
            ArrayNode in = group.putArray("IpPermissions");
            ArrayNode out = group.putArray("IpPermissionsEgress");
            for (int r = 0; r < RULES_PER_GROUP; r++) {
                boolean egress = r >= 16;
                ObjectNode p = (egress ? out : in).addObject();
                int kind = (g + r) % 10;
                int port = 1000 + random.nextInt(9000);
                switch (kind) {
                    case 0:
                        p.put("IpProtocol", "tcp").put("FromPort", 443).put("ToPort", 443);
                        p.putArray("IpRanges").addObject().put("CidrIp", "0.0.0.0/0");
                        p.putArray("Ipv6Ranges").addObject().put("CidrIpv6", "::/0");
                        break;
                    case 1:
                        p.put("IpProtocol", "tcp").put("FromPort", 22).put("ToPort", 22);
                        p.putArray("IpRanges")
                                .addObject()
                                .put("CidrIp", "10." + random.nextInt(3) + ".0.0/16");
                        break;
                    case 2: // members of the same group talk on 8080
                        p.put("IpProtocol", "tcp").put("FromPort", 8080).put("ToPort", 8080);
                        p.putArray("UserIdGroupPairs").addObject().put("GroupId", "sg-" + g);
                        break;
                    case 3: // a group of the peered VPC reaches the database port
                        p.put("IpProtocol", "tcp").put("FromPort", 5432).put("ToPort", 5432);
                        p.putArray("UserIdGroupPairs")
                                .addObject()
                                .put("GroupId", "sg-" + (240 + g % 10))
                                .put("VpcId", "vpc-peer")
                                .put("VpcPeeringConnectionId", "pcx-1");
                        break;
                    case 4:
                        p.put("IpProtocol", "tcp").put("FromPort", 5432).put("ToPort", 5432);
                        p.putArray("PrefixListIds").addObject().put("PrefixListId", "pl-partners");
                        break;
                    case 5:
                        p.put("IpProtocol", "icmp").put("FromPort", 8).put("ToPort", -1);
                        p.putArray("IpRanges").addObject().put("CidrIp", "0.0.0.0/0");
                        break;
                    case 6:
                        p.put("IpProtocol", "udp").put("FromPort", port).put("ToPort", port);
                        p.putArray("IpRanges")
                                .addObject()
                                .put("CidrIp", "10.0." + random.nextInt(SUBNETS) + ".0/24");
                        break;
                    case 7:
                        p.put("IpProtocol", "tcp").put("FromPort", 443).put("ToPort", 443);
                        p.putArray("PrefixListIds").addObject().put("PrefixListId", "pl-s3");
                        break;
                    case 8:
                        p.put("IpProtocol", "tcp").put("FromPort", port).put("ToPort", port);
                        p.putArray("Ipv6Ranges")
                                .addObject()
                                .put(
                                        "CidrIpv6",
                                        "2001:db8:"
                                                + Integer.toHexString(random.nextInt(4096))
                                                + "::/48");
                        break;
                    default:
                        p.put("IpProtocol", "-1");
                        p.putArray("IpRanges")
                                .addObject()
                                .put("CidrIp", "203.0.113." + random.nextInt(256) + "/32");
                }
            }
        }
        return doc.toString();
    }

    private static String networkAcls() {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode acls = doc.putArray("NetworkAcls");
        ObjectNode dflt =
                acls.addObject()
                        .put("NetworkAclId", "acl-default")
                        .put("VpcId", "vpc-main")
                        .put("IsDefault", true);
        ArrayNode de = dflt.putArray("Entries");
        for (boolean egress : new boolean[] {false, true}) {
            entry(de, 100, egress, "allow", "-1", "0.0.0.0/0", -1, -1);
            entry(de, 101, egress, "allow", "-1", "::/0", -1, -1);
            entry(de, 32767, egress, "deny", "-1", "0.0.0.0/0", -1, -1);
            entry(de, 32768, egress, "deny", "-1", "::/0", -1, -1);
        }
        ObjectNode peer =
                acls.addObject()
                        .put("NetworkAclId", "acl-peer")
                        .put("VpcId", "vpc-peer")
                        .put("IsDefault", true);
        ArrayNode pe = peer.putArray("Entries");
        entry(pe, 100, false, "allow", "-1", "0.0.0.0/0", -1, -1);
        entry(pe, 100, true, "allow", "-1", "0.0.0.0/0", -1, -1);
        for (int a = 0; a < ACLS; a++) {
            ObjectNode acl =
                    acls.addObject()
                            .put("NetworkAclId", "acl-" + a)
                            .put("VpcId", "vpc-main")
                            .put("IsDefault", false);
            ArrayNode assoc = acl.putArray("Associations");
            assoc.addObject().put("SubnetId", "subnet-m" + (2 * a));
            assoc.addObject().put("SubnetId", "subnet-m" + (2 * a + 1));
            ArrayNode en = acl.putArray("Entries");
            entry(en, 50, false, "deny", "-1", "192.0.2.0/24", -1, -1);
            entry(en, 60, false, "deny", "6", "0.0.0.0/0", 3389, 3389);
            entry(en, 70, false, "deny", "-1", "203.0.113." + (a * 16) + "/28", -1, -1);
            entry(en, 100, false, "allow", "6", "0.0.0.0/0", 443, 443);
            entry(en, 105, false, "allow", "6", "::/0", 443, 443);
            entry(en, 110, false, "allow", "6", "10.0.0.0/8", 22, 22);
            entry(en, 120, false, "allow", "6", "0.0.0.0/0", 1024, 65535);
            entry(en, 125, false, "allow", "6", "::/0", 1024, 65535);
            entry(en, 130, false, "allow", "17", "0.0.0.0/0", 1024, 65535);
            entry(en, 140, false, "allow", "1", "0.0.0.0/0", -1, -1);
            entry(en, 150, false, "allow", "-1", "10.0.0.0/8", -1, -1);
            entry(en, 100, true, "allow", "6", "0.0.0.0/0", 443, 443);
            entry(en, 105, true, "allow", "6", "::/0", 443, 443);
            entry(en, 110, true, "allow", "-1", "10.0.0.0/8", -1, -1);
            entry(en, 120, true, "allow", "6", "0.0.0.0/0", 1024, 65535);
            entry(en, 125, true, "allow", "6", "::/0", 1024, 65535);
            entry(en, 130, true, "allow", "17", "0.0.0.0/0", 53, 53);
            for (boolean egress : new boolean[] {false, true}) {
                entry(en, 32767, egress, "deny", "-1", "0.0.0.0/0", -1, -1);
                entry(en, 32768, egress, "deny", "-1", "::/0", -1, -1);
            }
        }
        return doc.toString();
    }

    private static void entry(
            ArrayNode into,
            int number,
            boolean egress,
            String action,
            String protocol,
            String cidr,
            int from,
            int to) {
        ObjectNode e =
                into.addObject()
                        .put("RuleNumber", number)
                        .put("Protocol", protocol)
                        .put("RuleAction", action)
                        .put("Egress", egress);
        e.put(cidr.contains(":") ? "Ipv6CidrBlock" : "CidrBlock", cidr);
        if (from >= 0) {
            e.putObject("PortRange").put("From", from).put("To", to);
        } else if (protocol.equals("1")) {
            e.putObject("IcmpTypeCode").put("Type", -1).put("Code", -1);
        }
    }

    private static String interfaces(Random random) {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode enis = doc.putArray("NetworkInterfaces");
        for (int i = 0; i < INTERFACES; i++) {
            boolean peer = i >= MAIN_INTERFACES;
            int local = peer ? i - MAIN_INTERFACES : i;
            ObjectNode n =
                    enis.addObject()
                            .put("NetworkInterfaceId", "eni-" + i)
                            .put("InterfaceType", "interface");
            n.put("VpcId", peer ? "vpc-peer" : "vpc-main");
            n.put(
                    "SubnetId",
                    peer ? "subnet-p" + (local % PEER_SUBNETS) : "subnet-m" + (local % SUBNETS));
            String primary = peer ? peerAddress(local) : mainAddress(local);
            n.put("PrivateIpAddress", primary);
            ArrayNode v4 = n.putArray("PrivateIpAddresses");
            v4.addObject().put("PrivateIpAddress", primary).put("Primary", true);
            ArrayNode v6 = n.putArray("Ipv6Addresses");
            if (!peer) {
                v6.addObject().put("Ipv6Address", mainV6(local));
            }
            ArrayNode groups = n.putArray("Groups");
            // The first group is the interface's cohort (interfaces 240 apart share it).
            groups.addObject().put("GroupId", "sg-" + (peer ? 240 + local % 10 : local % 240));
            int more = random.nextInt(3);
            for (int g = 0; g < more; g++) {
                groups.addObject()
                        .put(
                                "GroupId",
                                "sg-" + (peer ? 240 + random.nextInt(10) : random.nextInt(240)));
            }
        }
        return doc.toString();
    }

    // ---- the flows

    static FlowRecord[] flows(Random random) {
        FlowRecord[] out = new FlowRecord[FLOWS];
        for (int i = 0; i < FLOWS; i++) {
            int eni = random.nextInt(MAIN_INTERFACES);
            String local = mainAddress(eni);
            FlowRecord r = new FlowRecord();
            r.interfaceId = ("eni-" + eni).intern();
            r.start = START + random.nextInt(3600);
            r.end = r.start + 60;
            r.protocol = 6;
            r.action = FlowRecord.ACTION_ACCEPT;
            String internet = "198.51." + random.nextInt(256) + "." + random.nextInt(256);
            int kind = random.nextInt(12);
            switch (kind) {
                case 0: // inbound HTTPS from the internet
                    set(
                            r,
                            internet,
                            40000 + random.nextInt(20000),
                            local,
                            443,
                            2,
                            FlowRecord.DIRECTION_INGRESS);
                    break;
                case 1: // SSH attempt from the internet, rejected
                    set(
                            r,
                            internet,
                            40000 + random.nextInt(20000),
                            local,
                            22,
                            2,
                            FlowRecord.DIRECTION_INGRESS);
                    r.action = FlowRecord.ACTION_REJECT;
                    break;
                case 2: // east-west on 8080: from the same cohort (allowed by reference) or not
                    int peerEni =
                            random.nextBoolean()
                                    ? (eni < 240 ? eni + 240 : eni - 240)
                                    : random.nextInt(MAIN_INTERFACES);
                    set(
                            r,
                            mainAddress(peerEni),
                            40000 + random.nextInt(20000),
                            local,
                            8080,
                            2,
                            FlowRecord.DIRECTION_INGRESS);
                    break;
                case 3: // egress to the internet
                    set(
                            r,
                            local,
                            40000 + random.nextInt(20000),
                            internet,
                            443,
                            2,
                            FlowRecord.DIRECTION_EGRESS);
                    break;
                case 4: // egress to S3 via the prefix list
                    set(
                            r,
                            local,
                            40000 + random.nextInt(20000),
                            "52.216." + random.nextInt(256) + ".9",
                            443,
                            2,
                            FlowRecord.DIRECTION_EGRESS);
                    r.pktDstAwsService = "S3";
                    break;
                case 5: // response by tcp-flags
                    set(
                            r,
                            local,
                            443,
                            internet,
                            40000 + random.nextInt(20000),
                            18,
                            FlowRecord.DIRECTION_EGRESS);
                    break;
                case 6: // response by ports, no flags, no flow-direction
                    set(
                            r,
                            internet,
                            443,
                            local,
                            40000 + random.nextInt(20000),
                            -1,
                            FlowRecord.DIRECTION_UNKNOWN);
                    break;
                case 7: // IPv6 inbound HTTPS
                    set(
                            r,
                            "2001:db8:ffff::" + Integer.toHexString(random.nextInt(65536)),
                            50000,
                            mainV6(eni),
                            443,
                            2,
                            FlowRecord.DIRECTION_INGRESS);
                    break;
                case 8: // ping from the internet
                    set(r, internet, 0, local, 0, -1, FlowRecord.DIRECTION_INGRESS);
                    r.protocol = 1;
                    break;
                case 9: // from the peered VPC
                    set(
                            r,
                            peerAddress(random.nextInt(PEER_INTERFACES)),
                            40000 + random.nextInt(20000),
                            local,
                            5432,
                            2,
                            FlowRecord.DIRECTION_INGRESS);
                    break;
                case 10: // a range the ACLs deny, rejected
                    set(
                            r,
                            "192.0.2." + random.nextInt(256),
                            40000,
                            local,
                            443,
                            2,
                            FlowRecord.DIRECTION_INGRESS);
                    r.action = FlowRecord.ACTION_REJECT;
                    break;
                default: // UDP to a partner, rejected
                    set(
                            r,
                            local,
                            40000 + random.nextInt(20000),
                            "198.51.4." + random.nextInt(256),
                            5432,
                            -1,
                            FlowRecord.DIRECTION_EGRESS);
                    r.protocol = 17;
                    r.action = FlowRecord.ACTION_REJECT;
            }
            out[i] = r;
        }
        return out;
    }

    private static void set(
            FlowRecord r,
            String src,
            int srcPort,
            String dst,
            int dstPort,
            int flags,
            byte direction) {
        IpAddress s = IpAddress.parse(src);
        IpAddress d = IpAddress.parse(dst);
        r.srcFamily = s.family();
        r.srcHi = s.hi();
        r.srcLo = s.lo();
        r.dstFamily = d.family();
        r.dstHi = d.hi();
        r.dstLo = d.lo();
        r.srcPort = srcPort;
        r.dstPort = dstPort;
        r.tcpFlags = flags;
        r.flowDirection = direction;
    }

    /** The mix of verdicts, to check the flows exercise every path (not a benchmark). */
    public static void main(String[] args) {
        EvaluatorBenchmark b = new EvaluatorBenchmark();
        b.setUp();
        Map<String, Integer> counts = new TreeMap<>();
        for (FlowRecord r : b.flows) {
            Verdict v = b.fixed.evaluate(r);
            String key =
                    v.decision()
                            + " "
                            + (v.attribution().startsWith("sg:sg-") ? "sg:<rule>" : v.attribution())
                            + " "
                            + v.peerClass().label()
                            + (v.response() ? " response" : "");
            counts.merge(key, 1, Integer::sum);
        }
        List<String> lines = new ArrayList<>();
        counts.forEach((k, n) -> lines.add(String.format("%6d  %s", n, k)));
        lines.forEach(System.out::println);
    }
}
