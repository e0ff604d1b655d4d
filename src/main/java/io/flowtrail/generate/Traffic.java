package io.flowtrail.generate;

import io.flowtrail.generate.Topology.Eni;
import io.flowtrail.generate.Topology.Role;
import io.flowtrail.generate.Topology.Vpc;
import java.util.ArrayList;
import java.util.List;

/**
 * The benign traffic of a window, as connections with a record on every monitored interface they
 * cross: the sender's egress and the receiver's ingress, and the response's two records with the
 * ports swapped; a NAT gateway adds its four (the packets' own addresses in {@code pkt-srcaddr} /
 * {@code pkt-dstaddr}). Each record covers at most one minute (1-minute aggregation).
 *
 * <p>The mix, by share of records: internet clients to load balancers and internet-facing
 * instances, load balancers to web servers, web and batch to databases and caches (pooled
 * connections: the source port stays for half an hour), app egress to the internet through the NAT
 * gateway of the zone (IPv6 through the egress-only gateway), backups to S3 through the gateway
 * endpoint, DNS to the internal resolvers, metrics scrapes and pings from monitoring, database
 * replication, admin SSH through the bastion, NODATA/SKIPDATA records, a few misconfigured clients
 * retrying a port they are not allowed (REJECT), and background probes from the internet against
 * every public address (REJECT; flat over the day). Everything else follows a daily rhythm.
 *
 * <p>Realism choices that keep benign traffic benign for the detectors, as in real networks: every
 * accepted TCP request record carries at least 4 packets (health checks, keep-alives and scrapes
 * keep pooled connections busy), so only scans and failed connections look like probes; probe
 * sources come from a pool of four million internet addresses, each probing one host; internet
 * uploads are small except to S3.
 */
final class Traffic {
    static final long SALT_CLIENT = 1;
    static final long SALT_SERVICE = 2;
    static final long SALT_PROBE = 3;
    static final long SALT_S3 = 4;

    /** Share of records from misconfigured clients retrying a forbidden port (half are REJECT). */
    static final double INTERNAL_REJECT_SHARE = 0.005;

    /** Retries per window of one misconfigured client at most, on average. */
    static final double RETRIES_PER_PAIR = 8;

    private enum Kind {
        INET_ALB(0.11, 2),
        ALB_WEB(0.17, 4),
        APP_DB(0.12, 4),
        WEB_CACHE(0.08, 4),
        APP_INTERNET(0.15, 5.4),
        S3_UPLOAD(0.03, 2),
        DNS(0.08, 4),
        SCRAPE(0.07, 4),
        REPLICATION(0.02, 4),
        INET_EDGE(0.07, 2),
        ADMIN_SSH(0.004, 3),
        PING(0.01, 4),
        NODATA(0.004, 1),
        SKIPDATA(0.00005, 1);

        final double recordShare;
        final double recordsPerConnection;

        Kind(double recordShare, double recordsPerConnection) {
            this.recordShare = recordShare;
            this.recordsPerConnection = recordsPerConnection;
        }
    }

    private static final Kind[] KINDS = Kind.values();
    private static final double[] KIND_CUMULATIVE = new double[KINDS.length];

    static {
        double sum = 0;
        for (int i = 0; i < KINDS.length; i++) {
            sum += KINDS[i].recordShare / KINDS[i].recordsPerConnection;
            KIND_CUMULATIVE[i] = sum;
        }
        for (int i = 0; i < KINDS.length; i++) {
            KIND_CUMULATIVE[i] /= sum;
        }
    }

    private static final int[] PROBE_PORTS_TCP = {
        22, 22, 22, 22, 22, 23, 23, 445, 445, 3389, 3389, 8080, 8080, 1433, 3306, 5900, 6379, 9200,
        2375, 5432, 8443, 8888, 27017, 21, 25, 110, 135, 139, 1723, 5060
    };
    private static final int[] PROBE_PORTS_UDP = {161, 1900, 5060, 11211, 137, 389};

    /** A connection between two ends, the ends being interfaces or internet addresses. */
    static final class Conn {
        Eni a;
        Eni b;
        Eni nat;
        byte family;
        long aHi;
        long aLo;
        long bHi;
        long bLo;
        int protocol;
        int srcPort;
        int dstPort;
        int natPort;
        long start;
        long end;
        long fpk;
        long fby;
        long rpk;
        long rby;
        int ff;
        int rf;
        boolean reject;
        boolean incident;

        /** {@code traffic-path} of the initiator's egress record (1 VPC/NAT, 7 S3, 8 gateway). */
        int aPath = 1;

        /** {@code traffic-path} of the responder's egress (response) record. */
        int bPath = 1;

        /** {@code pkt-*-aws-service} of the responder when it is an AWS service. */
        byte bService;

        Conn reset() {
            a = b = nat = null;
            family = Ip.V4;
            aHi = aLo = bHi = bLo = 0;
            protocol = Flow.TCP;
            srcPort = dstPort = natPort = 0;
            fpk = fby = rpk = rby = 0;
            ff = rf = 0;
            reject = incident = false;
            aPath = bPath = 1;
            bService = Flow.NO_SERVICE;
            return this;
        }

        Conn from(Eni e, boolean v6) {
            a = e;
            family = v6 ? Ip.V6 : Ip.V4;
            aHi = v6 ? e.v6Hi : 0;
            aLo = v6 ? e.v6Lo : e.v4;
            return this;
        }

        Conn to(Eni e) {
            b = e;
            bHi = family == Ip.V6 ? e.v6Hi : 0;
            bLo = family == Ip.V6 ? e.v6Lo : e.v4;
            return this;
        }

        Conn fromInternet(byte fam, long hi, long lo) {
            family = fam;
            aHi = hi;
            aLo = lo;
            return this;
        }

        Conn toInternet(long hi, long lo) {
            bHi = hi;
            bLo = lo;
            return this;
        }
    }

    /** A client that keeps retrying a port its server does not allow. */
    private record Misconfigured(Eni client, Eni server, int port, int protocol) {}

    private final Topology topo;
    private final FlowLogWriter out;
    private final Rng rng;
    private final Flow f = new Flow();
    private final Conn c = new Conn();
    private final List<Misconfigured> misconfigured = new ArrayList<>();

    Traffic(Topology topo, FlowLogWriter out, Rng rng, GeneratorOptions o) {
        this.topo = topo;
        this.out = out;
        this.rng = rng;
        double perWindow = INTERNAL_REJECT_SHARE * o.records / o.windows() / 2;
        int pairs = (int) Math.max(2, Math.ceil(perWindow / RETRIES_PER_PAIR));
        Role[] servers = {Role.DB, Role.CACHE, Role.DB};
        int[] ports = {22, 6380, 5433, 3306, 27017, 9200};
        for (int i = 0; i < pairs; i++) {
            Vpc v = topo.pickVpc(rng);
            Eni client = topo.any(v, rng.chance(0.7) ? Role.WEB : Role.BATCH, rng);
            Eni server = topo.any(v, servers[i % servers.length], rng);
            misconfigured.add(new Misconfigured(client, server, ports[i % ports.length], 6));
        }
    }

    Conn conn() {
        return c.reset();
    }

    // ---- one window

    /**
     * Fills a window with {@code probes} background probes and {@code others} records of the other
     * kinds, exactly.
     */
    void window(long windowStart, long probes, long others) {
        for (long i = 0; i < probes; i++) {
            probe(windowStart);
        }
        long internal = Math.round(others * INTERNAL_REJECT_SHARE / 2);
        long left = others;
        for (long i = 0; i < internal && left >= 2; i++) {
            left -= internalReject(windowStart);
        }
        while (left >= 6) {
            left -= connection(windowStart);
        }
        while (left > 0) {
            left -= probe(windowStart);
        }
    }

    private int connection(long ws) {
        double x = rng.nextDouble();
        int k = 0;
        while (KIND_CUMULATIVE[k] < x) {
            k++;
        }
        Vpc v = topo.pickVpc(rng);
        switch (KINDS[k]) {
            case INET_ALB:
                return internetToAlb(v, ws);
            case ALB_WEB:
                return albToWeb(v, ws);
            case APP_DB:
                return appToDb(v, ws);
            case WEB_CACHE:
                return webToCache(v, ws);
            case APP_INTERNET:
                return appToInternet(
                        topo.pick(v, rng.chance(0.75) ? Role.WEB : Role.BATCH, rng), ws);
            case S3_UPLOAD:
                return s3Upload(v, ws);
            case DNS:
                return dns(v, ws);
            case SCRAPE:
                return scrape(v, ws);
            case REPLICATION:
                return replication(v, ws);
            case INET_EDGE:
                return internetToEdge(v, ws);
            case ADMIN_SSH:
                return adminSsh(v, ws);
            case PING:
                return ping(v, ws);
            case NODATA:
                return status(v, ws, Flow.NODATA);
            default:
                return status(v, ws, Flow.SKIPDATA);
        }
    }

    // ---- times and ports

    /** A start in a random minute of the window, leaving room for {@code maxDuration} seconds. */
    private long startIn(long ws, int maxDuration) {
        return ws + 60L * rng.nextInt(5) + rng.nextInt(Math.max(1, 60 - maxDuration));
    }

    private static long endOf(long start, long duration) {
        long top = start - Math.floorMod(start, 60) + 59;
        return Math.min(start + duration, top);
    }

    /** A pooled connection's source port: the same for half an hour between the same two ends. */
    private static int pooledPort(Eni a, Eni b, long start, int lo, int hi) {
        long h = Ip.mix(a.index * 0x9e3779b97f4a7c15L + b.index * 31L + start / 1800);
        return lo + (int) Long.remainderUnsigned(h, hi - lo + 1);
    }

    private int ephemeral() {
        return rng.between(32768, 60999);
    }

    private void times(Conn k, long ws, boolean pooled) {
        if (pooled) {
            long minute = ws + 60L * rng.nextInt(5);
            k.start = minute + rng.nextInt(3);
            k.end = minute + 56 + rng.nextInt(4);
            if (rng.chance(0.03)) {
                k.ff = 2;
                k.rf = 18;
                k.start = minute + rng.nextInt(40);
            } else if (rng.chance(0.03)) {
                k.ff = 1;
                k.rf = 1;
                k.end = endOf(k.start, 5 + rng.nextInt(40));
            }
        } else {
            k.start = startIn(ws, 10);
            k.end = endOf(k.start, rng.nextInt(8));
            k.ff = 3;
            k.rf = 19;
        }
    }

    private static double volume(Eni e) {
        return 0.6 + 0.4 * Math.sqrt(e.weight);
    }

    // ---- the kinds

    private int internetToAlb(Vpc v, long ws) {
        Eni alb = topo.any(v, Role.ALB, rng);
        Conn k = conn();
        long idx = rng.popular(1L << 20);
        if (rng.chance(0.1)) {
            k.fromInternet(Ip.V6, Ip.publicV6Hi(SALT_CLIENT, idx), Ip.publicV6Lo(SALT_CLIENT, idx));
        } else {
            k.fromInternet(Ip.V4, 0, Ip.publicV4(SALT_CLIENT, idx));
        }
        k.to(alb);
        k.srcPort = rng.between(1024, 65535);
        k.dstPort = 443;
        times(k, ws, rng.chance(0.5));
        k.fpk = 4 + (long) rng.logNormal(10, 0.9);
        k.fby = (long) (k.fpk * rng.uniform(80, 700));
        k.rpk = Math.max(1, (long) (k.fpk * rng.uniform(0.9, 1.6)));
        k.rby = (long) (k.rpk * rng.uniform(300, 1400));
        k.bPath = 8;
        return emit(k);
    }

    private int albToWeb(Vpc v, long ws) {
        Eni alb = topo.any(v, Role.ALB, rng);
        Eni web = topo.pick(v, Role.WEB, rng);
        Conn k = conn().from(alb, false).to(web);
        k.dstPort = 8080;
        times(k, ws, true);
        k.srcPort = pooledPort(alb, web, k.start, 1024, 65535);
        k.fpk = 10 + (long) (rng.logNormal(25, 0.8) * volume(web));
        k.fby = (long) (k.fpk * rng.uniform(150, 900));
        k.rpk = Math.max(1, (long) (k.fpk * rng.uniform(0.8, 1.4)));
        k.rby = (long) (k.rpk * rng.uniform(500, 1400));
        return emit(k);
    }

    private int appToDb(Vpc v, long ws) {
        Eni client = topo.pick(v, rng.chance(0.8) ? Role.WEB : Role.BATCH, rng);
        Eni db = topo.pick(v, Role.DB, rng);
        Conn k = conn().from(client, false).to(db);
        k.dstPort = 5432;
        times(k, ws, true);
        k.srcPort = pooledPort(client, db, k.start, 32768, 60999);
        k.fpk = 4 + (long) (rng.logNormal(40, 1.0) * volume(db));
        k.fby = (long) (k.fpk * rng.uniform(80, 400));
        k.rpk = Math.max(1, (long) (k.fpk * rng.uniform(0.9, 2.5)));
        k.rby = (long) (k.rpk * rng.uniform(200, 1400));
        return emit(k);
    }

    private int webToCache(Vpc v, long ws) {
        Eni client = topo.pick(v, Role.WEB, rng);
        Eni cache = topo.pick(v, Role.CACHE, rng);
        boolean v6 = client.hasV6 && cache.hasV6 && rng.chance(0.2);
        Conn k = conn().from(client, v6).to(cache);
        k.dstPort = 6379;
        times(k, ws, true);
        k.srcPort = pooledPort(client, cache, k.start, 32768, 60999);
        k.fpk = 4 + (long) (rng.logNormal(60, 1.0) * volume(cache));
        k.fby = (long) (k.fpk * rng.uniform(60, 200));
        k.rpk = Math.max(1, (long) (k.fpk * rng.uniform(0.9, 1.2)));
        k.rby = (long) (k.rpk * rng.uniform(80, 900));
        return emit(k);
    }

    /** An instance's request to an internet service: through its NAT gateway, or over IPv6. */
    int appToInternet(Eni client, long ws) {
        Conn k = conn();
        long idx = rng.popular(4000);
        boolean v6 = client.hasV6 && rng.chance(0.15);
        k.from(client, v6);
        if (v6) {
            k.toInternet(Ip.publicV6Hi(SALT_SERVICE, idx), Ip.publicV6Lo(SALT_SERVICE, idx));
            k.aPath = 8;
        } else if (rng.chance(0.1)) {
            k.toInternet(0, Ip.v4(52, 94, rng.nextInt(2), 10 + rng.nextInt(200)));
            k.bService = Flow.AMAZON;
            k.nat = topo.nat(client);
        } else {
            k.toInternet(0, Ip.publicV4(SALT_SERVICE, idx));
            k.nat = topo.nat(client);
        }
        k.srcPort = ephemeral();
        k.natPort = rng.between(1024, 65535);
        k.dstPort = 443;
        times(k, ws, false);
        k.fpk = 4 + (long) rng.logNormal(8, 1.0);
        k.fby = (long) Math.min(4_000_000, k.fpk * rng.uniform(60, 800));
        k.rpk = Math.max(1, (long) (k.fpk * rng.uniform(1, 3)));
        k.rby = (long) (k.rpk * rng.uniform(400, 1400));
        k.bPath = 1;
        return emit(k);
    }

    private int s3Upload(Vpc v, long ws) {
        Eni client = topo.pick(v, rng.chance(0.6) ? Role.BACKUP : Role.DB, rng);
        Conn k = conn().from(client, false);
        long s3 =
                rng.chance(0.8)
                        ? Ip.v4(52, 216 + rng.nextInt(2), rng.nextInt(256), 1 + rng.nextInt(254))
                        : Ip.v4(52, 95, 128 + rng.nextInt(8), 1 + rng.nextInt(254));
        k.toInternet(0, s3);
        k.srcPort = ephemeral();
        k.dstPort = 443;
        times(k, ws, false);
        k.fpk = 10 + (long) rng.logNormal(1500, 1.2);
        k.fby = k.fpk * rng.between(1200, 1448);
        k.rpk = Math.max(1, k.fpk / 2);
        k.rby = k.rpk * 52;
        k.aPath = client.subnet.isData() ? 7 : 1;
        k.bService = Flow.S3;
        return emit(k);
    }

    private int dns(Vpc v, long ws) {
        Role[] roles = {Role.WEB, Role.WEB, Role.BATCH, Role.EDGE, Role.MONITOR, Role.DB};
        Eni client = topo.pick(v, roles[rng.nextInt(roles.length)], rng);
        Eni resolver = topo.any(v, Role.DNS, rng);
        Conn k = conn().from(client, false).to(resolver);
        k.protocol = rng.chance(0.05) ? Flow.TCP : Flow.UDP;
        k.srcPort = ephemeral();
        k.dstPort = 53;
        k.start = startIn(ws, 3);
        k.end = endOf(k.start, rng.nextInt(3));
        k.fpk = k.protocol == Flow.TCP ? 5 + rng.nextInt(4) : 1 + rng.nextInt(6);
        k.fby = (long) (k.fpk * rng.uniform(60, 90));
        k.rpk = k.fpk;
        k.rby = (long) (k.rpk * rng.uniform(90, 300));
        k.ff = 3;
        k.rf = 19;
        return emit(k);
    }

    private int scrape(Vpc v, long ws) {
        Role[] roles = {Role.WEB, Role.BATCH, Role.DB, Role.CACHE, Role.EDGE, Role.BACKUP};
        Eni monitor = topo.any(v, Role.MONITOR, rng);
        Eni target = topo.any(v, roles[rng.nextInt(roles.length)], rng);
        Conn k = conn().from(monitor, false).to(target);
        k.dstPort = 9100;
        times(k, ws, true);
        k.srcPort = pooledPort(monitor, target, k.start, 32768, 60999);
        k.fpk = 4 + rng.nextInt(7);
        k.fby = (long) (k.fpk * rng.uniform(100, 200));
        k.rpk = k.fpk * (2 + rng.nextInt(5));
        k.rby = (long) (k.rpk * rng.uniform(900, 1400));
        return emit(k);
    }

    private int replication(Vpc v, long ws) {
        int[] dbs = v.role(Role.DB);
        int i = rng.nextInt(dbs.length / 2) * 2;
        Eni primary = topo.enis[dbs[i]];
        Eni replica = topo.enis[dbs[Math.min(i + 1, dbs.length - 1)]];
        Conn k = conn().from(replica, false).to(primary);
        k.dstPort = 5432;
        times(k, ws, true);
        k.srcPort = pooledPort(replica, primary, k.start, 32768, 60999);
        k.fpk = 4 + (long) rng.logNormal(300, 0.8);
        k.fby = k.fpk * 66;
        k.rpk = Math.max(1, (long) (k.fpk * rng.uniform(1.5, 4)));
        k.rby = k.rpk * rng.between(1000, 1448);
        return emit(k);
    }

    private int internetToEdge(Vpc v, long ws) {
        Eni edge = topo.pick(v, Role.EDGE, rng);
        Conn k = conn();
        long idx = rng.popular(1L << 20);
        boolean https = rng.chance(0.9);
        if (https && rng.chance(0.1)) {
            k.fromInternet(Ip.V6, Ip.publicV6Hi(SALT_CLIENT, idx), Ip.publicV6Lo(SALT_CLIENT, idx));
        } else {
            k.fromInternet(Ip.V4, 0, Ip.publicV4(SALT_CLIENT, idx));
        }
        k.to(edge);
        k.srcPort = rng.between(1024, 65535);
        k.dstPort = https ? 443 : 80;
        times(k, ws, false);
        k.fpk = 4 + (long) rng.logNormal(12, 1.0);
        k.fby = (long) (k.fpk * rng.uniform(80, 600));
        k.rpk = Math.max(1, (long) (k.fpk * rng.uniform(0.9, 2)));
        k.rby = (long) (k.rpk * rng.uniform(300, 1400));
        k.bPath = 8;
        return emit(k);
    }

    private int adminSsh(Vpc v, long ws) {
        Eni bastion = topo.any(v, Role.BASTION, rng);
        Conn k = conn();
        if (rng.chance(0.5)) {
            k.fromInternet(Ip.V4, 0, Ip.TEST_NET_2 + 1 + rng.nextInt(14)).to(bastion);
            k.bPath = 8;
        } else {
            Eni target = topo.pick(v, rng.chance(0.7) ? Role.WEB : Role.BATCH, rng);
            k.from(bastion, false).to(target);
        }
        k.dstPort = 22;
        times(k, ws, true);
        k.srcPort = ephemeral();
        k.fpk = 6 + (long) rng.logNormal(40, 1.0);
        k.fby = (long) (k.fpk * rng.uniform(60, 120));
        k.rpk = Math.max(1, (long) (k.fpk * rng.uniform(0.8, 1.5)));
        k.rby = (long) (k.rpk * rng.uniform(80, 600));
        return emit(k);
    }

    private int ping(Vpc v, long ws) {
        Role[] roles = {Role.WEB, Role.BATCH, Role.DB, Role.CACHE};
        Eni monitor = topo.any(v, Role.MONITOR, rng);
        Eni target = topo.any(v, roles[rng.nextInt(roles.length)], rng);
        Conn k = conn().from(monitor, false).to(target);
        k.protocol = Flow.ICMP;
        k.start = startIn(ws, 5);
        k.end = endOf(k.start, rng.nextInt(4));
        k.fpk = 1 + rng.nextInt(4);
        k.fby = k.fpk * 84;
        k.rpk = k.fpk;
        k.rby = k.fby;
        return emit(k);
    }

    private int status(Vpc v, long ws, byte status) {
        Eni e = topo.enis[v.byRole[0][0] + rng.nextInt(v.size)];
        Flow r = f;
        r.clear();
        r.eni = e;
        r.status = status;
        r.start = ws + 60L * rng.nextInt(5) + rng.nextInt(3);
        r.end = endOf(r.start, 56);
        out.emit(r);
        return 1;
    }

    /** One background probe from the internet against a public address: REJECT. */
    int probe(long ws) {
        Vpc v = topo.pickVpc(rng);
        Eni target = topo.enis[v.publicInterfaces[rng.nextInt(v.publicInterfaces.length)]];
        Flow r = f;
        r.clear();
        r.eni = target;
        long src = Ip.publicV4(SALT_PROBE, rng.nextInt(1 << 22));
        boolean v6 = target.hasV6 && rng.chance(0.02);
        if (v6) {
            r.family = Ip.V6;
            long idx = rng.nextInt(1 << 22);
            r.srcHi = Ip.publicV6Hi(SALT_PROBE, idx);
            r.srcLo = Ip.publicV6Lo(SALT_PROBE, idx);
            r.dstHi = target.v6Hi;
            r.dstLo = target.v6Lo;
        } else {
            r.family = Ip.V4;
            r.srcLo = src;
            r.dstLo = target.v4;
        }
        double kind = rng.nextDouble();
        if (kind < 0.05) {
            r.protocol = v6 ? Flow.ICMPV6 : Flow.ICMP;
            r.packets = 1;
            r.bytes = 84;
        } else if (kind < 0.15) {
            r.protocol = Flow.UDP;
            r.srcPort = rng.between(1024, 65535);
            r.dstPort = PROBE_PORTS_UDP[rng.nextInt(PROBE_PORTS_UDP.length)];
            r.packets = 1;
            r.bytes = 40 + rng.nextInt(60);
        } else {
            r.protocol = Flow.TCP;
            r.srcPort = rng.between(1024, 65535);
            int port =
                    rng.chance(0.15)
                            ? rng.between(1024, 65535)
                            : PROBE_PORTS_TCP[rng.nextInt(PROBE_PORTS_TCP.length)];
            if (port == 443 || port == 80 || port == 8443) {
                port = 8081; // never a port the target serves: every probe here is REJECTed
            }
            r.dstPort = port;
            r.packets = rng.chance(0.8) ? 1 : 2;
            r.bytes = r.packets * (rng.chance(0.5) ? 44 : 60);
            r.tcpFlags = 2;
        }
        r.start = startIn(ws, 2);
        r.end = endOf(r.start, rng.nextInt(2));
        r.reject = true;
        r.egress = false;
        out.emit(r);
        return 1;
    }

    /** A misconfigured client retrying a port its server does not allow: two records. */
    private int internalReject(long ws) {
        Misconfigured m = misconfigured.get(rng.nextInt(misconfigured.size()));
        Conn k = conn().from(m.client, false).to(m.server);
        k.protocol = m.protocol;
        k.srcPort = ephemeral();
        k.dstPort = m.port;
        k.start = startIn(ws, 3);
        k.end = endOf(k.start, rng.nextInt(3));
        k.fpk = 1 + rng.nextInt(3);
        k.fby = k.fpk * 60;
        k.ff = 2;
        k.reject = true;
        return emit(k);
    }

    // ---- records of a connection

    /** Writes the records of a connection on every monitored interface; returns how many. */
    int emit(Conn k) {
        boolean rev = k.rpk > 0 && !k.reject;
        int n = 0;
        Flow r = f;
        if (k.a != null) {
            record(r, k.a, k.aHi, k.aLo, k.bHi, k.bLo, k.srcPort, k.dstPort, k);
            r.packets = k.fpk;
            r.bytes = k.fby;
            r.start = k.start;
            r.end = k.end;
            r.tcpFlags = k.ff;
            r.egress = true;
            r.trafficPath = k.aPath;
            r.dstService = k.bService;
            out.emit(r);
            n++;
            if (rev) {
                record(r, k.a, k.bHi, k.bLo, k.aHi, k.aLo, k.dstPort, k.srcPort, k);
                r.packets = k.rpk;
                r.bytes = k.rby;
                r.start = k.start;
                r.end = k.end;
                r.tcpFlags = k.rf;
                r.srcService = k.bService;
                out.emit(r);
                n++;
            }
        }
        if (k.nat != null) {
            n += natRecords(k, rev);
        }
        if (k.b != null) {
            long s2 = jitter(k.start);
            long e2 = Math.max(s2, jitter(k.end));
            record(r, k.b, k.aHi, k.aLo, k.bHi, k.bLo, k.srcPort, k.dstPort, k);
            r.packets = k.fpk;
            r.bytes = k.fby;
            r.start = s2;
            r.end = e2;
            r.tcpFlags = k.ff;
            r.reject = k.reject;
            out.emit(r);
            n++;
            if (rev) {
                record(r, k.b, k.bHi, k.bLo, k.aHi, k.aLo, k.dstPort, k.srcPort, k);
                r.packets = k.rpk;
                r.bytes = k.rby;
                r.start = s2;
                r.end = e2;
                r.tcpFlags = k.rf;
                r.egress = true;
                r.trafficPath = k.bPath;
                out.emit(r);
                n++;
            }
        }
        return n;
    }

    private int natRecords(Conn k, boolean rev) {
        Eni nat = k.nat;
        Flow r = f;
        long s2 = jitter(k.start);
        long e2 = Math.max(s2, jitter(k.end));
        // Instance to NAT gateway: addressed to the gateway, the packets to the internet.
        record(r, nat, k.aHi, k.aLo, 0, nat.v4, k.srcPort, k.dstPort, k);
        translated(r, k.aHi, k.aLo, k.bHi, k.bLo);
        natTimes(r, k.fpk, k.fby, s2, e2, k.ff);
        r.dstService = k.bService;
        out.emit(r);
        // NAT gateway to the internet, from its own address and a translated port.
        record(r, nat, 0, nat.v4, k.bHi, k.bLo, k.natPort, k.dstPort, k);
        natTimes(r, k.fpk, k.fby, s2, e2, k.ff);
        r.egress = true;
        r.trafficPath = 8;
        r.dstService = k.bService;
        out.emit(r);
        if (!rev) {
            return 2;
        }
        record(r, nat, k.bHi, k.bLo, 0, nat.v4, k.dstPort, k.natPort, k);
        natTimes(r, k.rpk, k.rby, s2, e2, k.rf);
        r.srcService = k.bService;
        out.emit(r);
        record(r, nat, 0, nat.v4, k.aHi, k.aLo, k.dstPort, k.srcPort, k);
        translated(r, k.bHi, k.bLo, k.aHi, k.aLo);
        natTimes(r, k.rpk, k.rby, s2, e2, k.rf);
        r.egress = true;
        r.trafficPath = 1;
        r.srcService = k.bService;
        out.emit(r);
        return 4;
    }

    private static void translated(Flow r, long sHi, long sLo, long dHi, long dLo) {
        r.translated = true;
        r.pktSrcHi = sHi;
        r.pktSrcLo = sLo;
        r.pktDstHi = dHi;
        r.pktDstLo = dLo;
    }

    private static void natTimes(Flow r, long pk, long by, long s, long e, int flags) {
        r.packets = pk;
        r.bytes = by;
        r.start = s;
        r.end = e;
        r.tcpFlags = flags;
    }

    private void record(
            Flow r, Eni on, long sHi, long sLo, long dHi, long dLo, int sp, int dp, Conn k) {
        r.clear();
        r.eni = on;
        r.family = k.family;
        r.srcHi = sHi;
        r.srcLo = sLo;
        r.dstHi = dHi;
        r.dstLo = dLo;
        r.protocol = k.protocol;
        boolean ports = k.protocol == Flow.TCP || k.protocol == Flow.UDP;
        r.srcPort = ports ? sp : 0;
        r.dstPort = ports ? dp : 0;
        r.incident = k.incident;
    }

    /**
     * The other interface's capture of the same packets: the same minute, a second apart at most.
     */
    private long jitter(long t) {
        long top = t - Math.floorMod(t, 60) + 59;
        return Math.min(t + (rng.nextInt(4) == 0 ? 1 : 0), top);
    }

    Rng rng() {
        return rng;
    }
}
