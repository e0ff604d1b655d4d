package io.flowtrail.generate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic network: one account and region, VPCs of at most {@value #MAX_PER_VPC} interfaces
 * laid out like sample-logs/ (public, app and data subnets in two availability zones, a NAT gateway
 * per zone, load-balancer nodes, a bastion, internet-facing instances, web and batch instances,
 * databases, caches, resolvers, monitors and backup hosts), their security groups and network ACLs.
 * Every interface has an activity weight drawn from a Pareto distribution: a few heavy talkers and
 * many quiet ones.
 *
 * <p>VPC {@code i} is {@code 10.(20+i).0.0/16} and {@code 2001:db8:(20+i)::/56} (hex), so the first
 * VPC has the sample's blocks. Subnets: public {@code /22}, app {@code /20}, data {@code /22}.
 */
final class Topology {
    static final String ACCOUNT = "111122223333";
    static final String REGION = "us-east-1";
    static final String[] AZ = {"us-east-1a", "us-east-1b"};
    static final String[] AZ_ID = {"use1-az4", "use1-az6"};
    static final int MAX_PER_VPC = 6000;

    /** A public interface receives about this many background probes per window at most. */
    static final double PROBES_PER_PUBLIC_INTERFACE = 15;

    /** Share of the records that are background probes from the internet (all REJECT). */
    static final double PROBE_SHARE = 0.065;

    static final String DEFAULT_LOG = "fl-0a1b2c3d4e5f60001";
    static final String V5_LOG = "fl-0a1b2c3d4e5f60002";

    /** What an interface is. */
    enum Role {
        NAT,
        ALB,
        BASTION,
        EDGE,
        MONITOR,
        DNS,
        DB,
        CACHE,
        BACKUP,
        BATCH,
        WEB
    }

    /** Subnet kinds, in the order of {@link Vpc#subnets}. */
    static final int PUBLIC_A = 0;

    static final int PUBLIC_B = 1;
    static final int APP_A = 2;
    static final int APP_B = 3;
    static final int DATA_A = 4;
    static final int DATA_B = 5;

    private static final String[] SUBNET_NAMES = {
        "public-a", "public-b", "app-a", "app-b", "data-a", "data-b"
    };
    private static final int[] SUBNET_V4_OFFSET = {0, 4, 16, 32, 48, 52}; // third octet
    private static final int[] SUBNET_V4_PREFIX = {22, 22, 20, 20, 22, 22};
    private static final int[] SUBNET_V6_GROUP = {0x00, 0x01, 0x10, 0x11, 0x20, 0x21};

    static final class Subnet {
        int kind;
        int az;
        String id;
        String name;
        long v4Base;
        int v4Prefix;
        long v6Hi;
        int nextHost = 10;
        String routeTableId;
        String aclId;

        boolean isPublic() {
            return kind == PUBLIC_A || kind == PUBLIC_B;
        }

        boolean isData() {
            return kind == DATA_A || kind == DATA_B;
        }

        String v4Cidr() {
            return Ip.v4Text(v4Base) + "/" + v4Prefix;
        }

        String v6Cidr() {
            return Ip.text(Ip.V6, v6Hi, 0) + "/64";
        }
    }

    /** A security group rule: one protocol and port range, from CIDRs or groups. */
    static final class Rule {
        final String protocol; // tcp, udp, icmp, icmpv6, -1
        final int from;
        final int to;
        final List<String> v4 = new ArrayList<>();
        final List<String> v6 = new ArrayList<>();
        final List<String> groups = new ArrayList<>();
        final String description;

        Rule(String protocol, int from, int to, String description) {
            this.protocol = protocol;
            this.from = from;
            this.to = to;
            this.description = description;
        }
    }

    static final class Group {
        String id;
        String name;
        String description;
        String vpcId;
        final List<Rule> ingress = new ArrayList<>();
    }

    static final class Vpc {
        int index;
        String id;
        String name;
        long v4Base;
        long v6Hi;
        final Subnet[] subnets = new Subnet[6];
        final Map<Role, Group> groups = new EnumMap<>(Role.class);
        Group defaultGroup;
        String igwId;
        String eigwId;
        String s3EndpointId;
        String mainRouteTableId;
        String defaultAclId;
        final String[] natGatewayIds = new String[2];
        final int[] nat = new int[2];
        int[][] byRole;
        double[][] cumulative;
        int[] publicInterfaces;
        int size;

        String v4Cidr() {
            return Ip.v4Text(v4Base) + "/16";
        }

        String v6Cidr() {
            return Ip.text(Ip.V6, v6Hi, 0) + "/56";
        }

        int[] role(Role r) {
            return byRole[r.ordinal()];
        }
    }

    static final class Eni {
        int index;
        String id;
        Role role;
        Vpc vpc;
        Subnet subnet;
        long v4;
        boolean hasV6;
        long v6Hi;
        long v6Lo;
        String instanceId;
        long publicV4 = -1;

        /** 0: the default-format log, 1: the version-5 log. */
        int flowLog;

        double weight;
        String name;
        byte[] defaultPrefix;
        byte[] v5Head;
        byte[] v5Tail;

        boolean managed() {
            return role == Role.NAT || role == Role.ALB;
        }

        int az() {
            return subnet.az;
        }
    }

    final GeneratorOptions options;
    final List<Vpc> vpcs = new ArrayList<>();
    final Eni[] enis;
    final double[] vpcCumulative;
    final String[] flowLogIds = {DEFAULT_LOG, V5_LOG};
    final boolean[] flowLogUsed = new boolean[2];

    /** Admin workstations: 198.51.100.1 to .14 (the bastion's allowed /28). */
    static final String ADMIN_CIDR = "198.51.100.0/28";

    Topology(GeneratorOptions o, Rng rng) {
        this.options = o;
        int n = o.interfaces();
        int vpcCount = (n + MAX_PER_VPC - 1) / MAX_PER_VPC;
        double probesPerWindow = PROBE_SHARE * o.records / o.windows() / vpcCount;
        List<Eni> all = new ArrayList<>();
        vpcCumulative = new double[vpcCount];
        for (int v = 0; v < vpcCount; v++) {
            int size = n / vpcCount + (v < n % vpcCount ? 1 : 0);
            Vpc vpc = buildVpc(v, size, probesPerWindow, rng, all);
            vpcs.add(vpc);
            vpcCumulative[v] = (v == 0 ? 0 : vpcCumulative[v - 1]) + size;
        }
        enis = all.toArray(new Eni[0]);
        for (Eni e : enis) {
            prefixes(e);
            flowLogUsed[e.flowLog] = true;
        }
    }

    private Vpc buildVpc(int v, int size, double probesPerWindow, Rng rng, List<Eni> all) {
        Vpc vpc = new Vpc();
        vpc.index = v;
        vpc.size = size;
        vpc.id = rng.hexId("vpc-");
        vpc.name = "flowtrail-gen-" + v;
        vpc.v4Base = Ip.v4(10, 20 + v, 0, 0);
        vpc.v6Hi = 0x20010db800000000L | ((long) (0x20 + v) << 16);
        vpc.igwId = rng.hexId("igw-");
        vpc.eigwId = rng.hexId("eigw-");
        vpc.s3EndpointId = rng.hexId("vpce-");
        vpc.mainRouteTableId = rng.hexId("rtb-");
        vpc.defaultAclId = rng.hexId("acl-");
        String[] dataAcl = {rng.hexId("acl-"), rng.hexId("acl-")};
        String publicRtb = rng.hexId("rtb-");
        for (int k = 0; k < 6; k++) {
            Subnet s = new Subnet();
            s.kind = k;
            s.az = k % 2;
            s.id = rng.hexId("subnet-");
            s.name = vpc.name + "-" + SUBNET_NAMES[k];
            s.v4Base = vpc.v4Base | ((long) SUBNET_V4_OFFSET[k] << 8);
            s.v4Prefix = SUBNET_V4_PREFIX[k];
            s.v6Hi = vpc.v6Hi | SUBNET_V6_GROUP[k];
            s.routeTableId = k < 2 ? publicRtb : rng.hexId("rtb-");
            s.aclId = s.isData() ? dataAcl[k - DATA_A] : vpc.defaultAclId;
            vpc.subnets[k] = s;
        }
        vpc.natGatewayIds[0] = rng.hexId("nat-");
        vpc.natGatewayIds[1] = rng.hexId("nat-");
        groups(vpc, rng);

        // How many of each role.
        int[] count = new int[Role.values().length];
        count[Role.NAT.ordinal()] = 2;
        count[Role.ALB.ordinal()] = Math.max(2, 2 * (int) Math.round(size * 0.003));
        count[Role.BASTION.ordinal()] = 1;
        count[Role.MONITOR.ordinal()] = Math.max(1, size / 400);
        count[Role.DNS.ordinal()] = 2;
        count[Role.DB.ordinal()] = Math.max(2, (int) Math.round(size * 0.04));
        count[Role.CACHE.ordinal()] = Math.max(1, (int) Math.round(size * 0.03));
        count[Role.BACKUP.ordinal()] = Math.max(1, size / 400);
        count[Role.BATCH.ordinal()] = Math.max(3, (int) Math.round(size * 0.12));
        int fixedPublic = 2 + count[Role.ALB.ordinal()] + 1;
        int wantPublic = (int) Math.ceil(probesPerWindow / PROBES_PER_PUBLIC_INTERFACE);
        count[Role.EDGE.ordinal()] =
                Math.max(
                        Math.max(2, (int) Math.round(size * 0.02)),
                        Math.min((int) Math.round(size * 0.25), wantPublic - fixedPublic));
        int used = 0;
        for (int c : count) {
            used += c;
        }
        count[Role.WEB.ordinal()] = size - used;
        if (count[Role.WEB.ordinal()] < 4) {
            throw new IllegalArgumentException(
                    "--interfaces: too few for a VPC's roles (" + size + " in " + vpc.id + ")");
        }

        List<List<Integer>> byRole = new ArrayList<>();
        for (Role r : Role.values()) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < count[r.ordinal()]; i++) {
                Eni e = eni(vpc, r, i, rng);
                e.index = all.size();
                all.add(e);
                members.add(e.index);
                if (r == Role.NAT) {
                    vpc.nat[i] = e.index;
                }
            }
            byRole.add(members);
        }
        vpc.byRole = new int[byRole.size()][];
        vpc.cumulative = new double[byRole.size()][];
        List<Integer> publicOnes = new ArrayList<>();
        for (int r = 0; r < byRole.size(); r++) {
            List<Integer> members = byRole.get(r);
            vpc.byRole[r] = members.stream().mapToInt(Integer::intValue).toArray();
            vpc.cumulative[r] = new double[members.size()];
            double sum = 0;
            for (int i = 0; i < members.size(); i++) {
                sum += all.get(members.get(i)).weight;
                vpc.cumulative[r][i] = sum;
            }
            for (int m : members) {
                if (all.get(m).publicV4 >= 0) {
                    publicOnes.add(m);
                }
            }
        }
        vpc.publicInterfaces = publicOnes.stream().mapToInt(Integer::intValue).toArray();
        return vpc;
    }

    private int publicCounter;

    private Eni eni(Vpc vpc, Role role, int i, Rng rng) {
        Eni e = new Eni();
        e.role = role;
        e.vpc = vpc;
        e.id = rng.hexId("eni-");
        int az = i % 2;
        int kind;
        switch (role) {
            case NAT:
            case ALB:
            case BASTION:
            case EDGE:
                kind = PUBLIC_A + az;
                break;
            case DNS:
            case DB:
            case CACHE:
            case BACKUP:
                kind = DATA_A + az;
                break;
            default:
                kind = APP_A + az;
        }
        if (role == Role.BASTION || role == Role.MONITOR) {
            kind = role == Role.BASTION ? PUBLIC_A : APP_A;
        }
        Subnet s = vpc.subnets[kind];
        e.subnet = s;
        int host = s.nextHost++;
        long capacity = (1L << (32 - s.v4Prefix)) - 2;
        if (host >= capacity) {
            throw new IllegalArgumentException(
                    "--interfaces: subnet " + s.name + " is full (" + host + " hosts)");
        }
        e.v4 = s.v4Base + host;
        e.hasV6 =
                role != Role.NAT
                        && role != Role.BASTION
                        && role != Role.MONITOR
                        && role != Role.DNS;
        if (e.hasV6) {
            e.v6Hi = s.v6Hi;
            e.v6Lo = host;
        }
        if (role != Role.NAT && role != Role.ALB) {
            e.instanceId = rng.hexId("i-");
        }
        if (s.isPublic()) {
            e.publicV4 = Ip.PUBLIC_BLOCK + 256 + vpc.index * 4096L + (publicCounter++ % 4096);
        }
        e.name = role.name().toLowerCase(java.util.Locale.ROOT) + "-" + vpc.index + "-" + i;
        switch (options.format) {
            case DEFAULT:
                e.flowLog = 0;
                break;
            case V5:
                e.flowLog = 1;
                break;
            default:
                e.flowLog = s.isData() || role == Role.NAT ? 1 : 0;
        }
        e.weight =
                role == Role.NAT || role == Role.ALB || role == Role.DNS
                        ? 1
                        : Math.min(400, rng.pareto(1.16));
        return e;
    }

    private void groups(Vpc vpc, Rng rng) {
        Map<Role, Group> g = vpc.groups;
        for (Role r : Role.values()) {
            if (r == Role.NAT) {
                continue;
            }
            Group group = new Group();
            group.id = rng.hexId("sg-");
            group.name = vpc.name + "-" + r.name().toLowerCase(java.util.Locale.ROOT);
            group.vpcId = vpc.id;
            g.put(r, group);
        }
        vpc.defaultGroup = new Group();
        vpc.defaultGroup.id = rng.hexId("sg-");
        vpc.defaultGroup.name = "default";
        vpc.defaultGroup.description = "default VPC security group";
        vpc.defaultGroup.vpcId = vpc.id;
        Rule self = new Rule("-1", -1, -1, null);
        self.groups.add(vpc.defaultGroup.id);
        vpc.defaultGroup.ingress.add(self);

        String monitor = g.get(Role.MONITOR).id;
        String bastion = g.get(Role.BASTION).id;
        g.get(Role.ALB).description = "Load balancer: HTTPS from the internet";
        g.get(Role.ALB).ingress.add(world(new Rule("tcp", 443, 443, "HTTPS from the internet")));
        g.get(Role.EDGE).description = "Internet-facing instances: HTTPS and HTTP";
        g.get(Role.EDGE).ingress.add(world(new Rule("tcp", 443, 443, "HTTPS from the internet")));
        Rule http = new Rule("tcp", 80, 80, "HTTP from the internet (redirects)");
        http.v4.add("0.0.0.0/0");
        g.get(Role.EDGE).ingress.add(http);
        g.get(Role.BASTION).description = "SSH bastion: admins only";
        Rule admins = new Rule("tcp", 22, 22, "SSH from the admin network");
        admins.v4.add(ADMIN_CIDR);
        g.get(Role.BASTION).ingress.add(admins);
        g.get(Role.WEB).description = "Web and app servers";
        g.get(Role.WEB)
                .ingress
                .add(from("tcp", 8080, "App port from the load balancer", g, Role.ALB));
        g.get(Role.BATCH).description = "Batch workers";
        g.get(Role.DB).description = "PostgreSQL";
        g.get(Role.DB)
                .ingress
                .add(
                        from(
                                "tcp",
                                5432,
                                "PostgreSQL from the app tier, replicas and backup",
                                g,
                                Role.WEB,
                                Role.BATCH,
                                Role.DB,
                                Role.BACKUP));
        g.get(Role.CACHE).description = "Redis";
        g.get(Role.CACHE).ingress.add(from("tcp", 6379, "Redis from the web tier", g, Role.WEB));
        g.get(Role.DNS).description = "Internal resolvers";
        for (String proto : new String[] {"udp", "tcp"}) {
            Rule dns = new Rule(proto, 53, 53, "DNS from the VPC");
            dns.v4.add(vpc.v4Cidr());
            dns.v6.add(vpc.v6Cidr());
            g.get(Role.DNS).ingress.add(dns);
        }
        g.get(Role.BACKUP).description = "Backup hosts";
        g.get(Role.MONITOR).description = "Monitoring";
        for (Role r :
                new Role[] {
                    Role.EDGE, Role.WEB, Role.BATCH, Role.DB, Role.CACHE, Role.DNS, Role.BACKUP
                }) {
            Rule scrape = new Rule("tcp", 9100, 9100, "Metrics scrapes");
            scrape.groups.add(monitor);
            g.get(r).ingress.add(scrape);
        }
        for (Role r : new Role[] {Role.WEB, Role.BATCH, Role.DB, Role.CACHE}) {
            Rule ping = new Rule("icmp", -1, -1, "Ping from monitoring");
            ping.groups.add(monitor);
            g.get(r).ingress.add(ping);
        }
        for (Role r :
                new Role[] {Role.WEB, Role.BATCH, Role.DB, Role.BACKUP, Role.MONITOR, Role.EDGE}) {
            Rule ssh = new Rule("tcp", 22, 22, "SSH from the bastion");
            ssh.groups.add(bastion);
            g.get(r).ingress.add(ssh);
        }
    }

    private static Rule world(Rule r) {
        r.v4.add("0.0.0.0/0");
        r.v6.add("::/0");
        return r;
    }

    private static Rule from(
            String protocol, int port, String description, Map<Role, Group> g, Role... roles) {
        Rule r = new Rule(protocol, port, port, description);
        for (Role role : roles) {
            r.groups.add(g.get(role).id);
        }
        return r;
    }

    private void prefixes(Eni e) {
        e.defaultPrefix = ("2 " + ACCOUNT + " " + e.id + " ").getBytes(StandardCharsets.US_ASCII);
        e.v5Head =
                ("5 "
                                + ACCOUNT
                                + " "
                                + e.vpc.id
                                + " "
                                + e.subnet.id
                                + " "
                                + (e.instanceId == null ? "-" : e.instanceId)
                                + " "
                                + e.id
                                + " ")
                        .getBytes(StandardCharsets.US_ASCII);
        e.v5Tail = (REGION + " " + AZ_ID[e.az()] + " - - ").getBytes(StandardCharsets.US_ASCII);
    }

    // ---- picking

    Vpc pickVpc(Rng rng) {
        if (vpcs.size() == 1) {
            return vpcs.get(0);
        }
        double x = rng.nextDouble() * vpcCumulative[vpcCumulative.length - 1];
        for (int i = 0; i < vpcCumulative.length; i++) {
            if (x < vpcCumulative[i]) {
                return vpcs.get(i);
            }
        }
        return vpcs.get(vpcs.size() - 1);
    }

    /** An interface of a role in a VPC, chosen in proportion to its activity weight. */
    Eni pick(Vpc vpc, Role role, Rng rng) {
        double[] c = vpc.cumulative[role.ordinal()];
        double x = rng.nextDouble() * c[c.length - 1];
        int lo = 0;
        int hi = c.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (c[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return enis[vpc.byRole[role.ordinal()][lo]];
    }

    /** An interface of a role, every one equally likely. */
    Eni any(Vpc vpc, Role role, Rng rng) {
        int[] members = vpc.byRole[role.ordinal()];
        return enis[members[rng.nextInt(members.length)]];
    }

    Eni nat(Eni e) {
        return enis[e.vpc.nat[e.az()]];
    }

    /**
     * The batch instances whose sessions decrypt steadily (CloudTrail): up to 8 of the first VPC.
     */
    List<Eni> kmsSessions() {
        int[] batch = vpcs.get(0).role(Role.BATCH);
        List<Eni> out = new ArrayList<>();
        for (int k = 0; k < Math.min(8, batch.length); k++) {
            out.add(enis[batch[k]]);
        }
        return out;
    }

    int publicCount() {
        int n = 0;
        for (Vpc v : vpcs) {
            n += v.publicInterfaces.length;
        }
        return n;
    }
}
