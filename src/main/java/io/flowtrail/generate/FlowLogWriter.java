package io.flowtrail.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes flow-log records as S3 delivers them: per flow log, one object per five minutes named
 * {@code <account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz} under {@code
 * flow-logs/<default|v5>/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/}, a header line first.
 * The object stamped {@code HHmm} holds the records of the five minutes from then, plus about
 * {@value #LATE_SHARE} of the previous five minutes' records (delivered late, as AWS does).
 *
 * <p>Records are formatted byte by byte into one buffer per flow log and window; gzip uses the
 * fastest level (the files are for replaying, not for storing). Gzip output carries no time or file
 * name, so the same input gives the same bytes.
 */
final class FlowLogWriter {
    static final double LATE_SHARE = 0.02;

    static final String DEFAULT_HEADER =
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
                    + " start end action log-status";
    static final String V5_HEADER =
            "version account-id vpc-id subnet-id instance-id interface-id type srcaddr dstaddr"
                    + " srcport dstport pkt-srcaddr pkt-dstaddr protocol packets bytes start end action"
                    + " tcp-flags log-status region az-id sublocation-type sublocation-id"
                    + " pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path";
    static final String[] FOLDERS = {"default", "v5"};

    private static final byte[][] HEADERS = {
        (DEFAULT_HEADER + "\n").getBytes(StandardCharsets.US_ASCII),
        (V5_HEADER + "\n").getBytes(StandardCharsets.US_ASCII)
    };
    private static final byte[] ACCEPT_OK = bytes("ACCEPT OK\n");
    private static final byte[] REJECT_OK = bytes("REJECT OK\n");
    private static final byte[] ACCEPT = bytes("ACCEPT ");
    private static final byte[] REJECT = bytes("REJECT ");
    private static final byte[] OK = bytes(" OK ");
    private static final byte[] IPV4 = bytes("IPv4 ");
    private static final byte[] IPV6 = bytes("IPv6 ");
    private static final byte[] INGRESS = bytes(" ingress -\n");
    private static final byte[] EGRESS = bytes(" egress ");
    private static final byte[][] SERVICES = {bytes("-"), bytes("AMAZON"), bytes("S3")};
    private static final byte[][] STATUS = {bytes("OK"), bytes("NODATA"), bytes("SKIPDATA")};
    private static final byte[] DEFAULT_DASHES = bytes("- - - - - - - ");
    private static final byte[] V5_DASHES = bytes("- - - - - - - - - - ");
    private static final byte[] V5_STATUS_DASHES = bytes(" - - ");
    private static final byte[] V5_STATUS_TAIL = bytes("- - - -\n");

    /** What was written. */
    static final class Counts {
        long records;
        final long[] perLog = new long[2];
        long ok;
        long rejects;
        long ipv6;
        long nodata;
        long skipdata;
        long incident;
        long late;
        long files;
        long textBytes;
        long fileBytes;
    }

    private final Path root;
    private final boolean gzip;
    private final long seed;
    private final Rng lateness;
    private final ByteBuf[] current = {new ByteBuf(1 << 20), new ByteBuf(1 << 20)};
    private final ByteBuf[] next = {new ByteBuf(1 << 16), new ByteBuf(1 << 16)};
    private boolean lastWindow;
    final Counts counts = new Counts();

    FlowLogWriter(Path root, boolean gzip, long seed, Rng lateness) {
        this.root = root;
        this.gzip = gzip;
        this.seed = seed;
        this.lateness = lateness;
    }

    /** The records of the last window are all delivered on time (its successor is not written). */
    void lastWindow() {
        lastWindow = true;
    }

    void emit(Flow f) {
        int log = f.eni.flowLog;
        boolean late = !lastWindow && f.status == Flow.OK && lateness.chance(LATE_SHARE);
        ByteBuf b = late ? next[log] : current[log];
        if (log == 0) {
            writeDefault(b, f);
        } else {
            writeV5(b, f);
        }
        Counts c = counts;
        c.records++;
        c.perLog[log]++;
        if (late) {
            c.late++;
        }
        if (f.incident) {
            c.incident++;
        }
        switch (f.status) {
            case Flow.NODATA:
                c.nodata++;
                break;
            case Flow.SKIPDATA:
                c.skipdata++;
                break;
            default:
                c.ok++;
                if (f.reject) {
                    c.rejects++;
                }
                if (f.family == Ip.V6) {
                    c.ipv6++;
                }
        }
    }

    private static void writeDefault(ByteBuf b, Flow f) {
        b.put(f.eni.defaultPrefix);
        if (f.status != Flow.OK) {
            b.put(DEFAULT_DASHES).dec(f.start).sp().dec(f.end).put((byte) ' ').put((byte) '-');
            b.sp().put(STATUS[f.status]).put((byte) '\n');
            return;
        }
        b.address(f.family, f.srcHi, f.srcLo).sp();
        b.address(f.family, f.dstHi, f.dstLo).sp();
        b.dec(f.srcPort).sp().dec(f.dstPort).sp().dec(f.protocol).sp();
        b.dec(f.packets).sp().dec(f.bytes).sp().dec(f.start).sp().dec(f.end).sp();
        b.put(f.reject ? REJECT_OK : ACCEPT_OK);
    }

    private static void writeV5(ByteBuf b, Flow f) {
        Topology.Eni e = f.eni;
        b.put(e.v5Head);
        if (f.status != Flow.OK) {
            b.put(V5_DASHES).dec(f.start).sp().dec(f.end).put(V5_STATUS_DASHES);
            b.put(STATUS[f.status]).sp().put(e.v5Tail).put(V5_STATUS_TAIL);
            return;
        }
        b.put(f.family == Ip.V4 ? IPV4 : IPV6);
        b.address(f.family, f.srcHi, f.srcLo).sp();
        b.address(f.family, f.dstHi, f.dstLo).sp();
        b.dec(f.srcPort).sp().dec(f.dstPort).sp();
        if (f.translated) {
            b.address(f.family, f.pktSrcHi, f.pktSrcLo).sp();
            b.address(f.family, f.pktDstHi, f.pktDstLo).sp();
        } else {
            b.address(f.family, f.srcHi, f.srcLo).sp();
            b.address(f.family, f.dstHi, f.dstLo).sp();
        }
        b.dec(f.protocol).sp().dec(f.packets).sp().dec(f.bytes).sp();
        b.dec(f.start).sp().dec(f.end).sp();
        b.put(f.reject ? REJECT : ACCEPT).dec(f.protocol == Flow.TCP ? f.tcpFlags : 0).put(OK);
        b.put(e.v5Tail).put(SERVICES[f.srcService]).sp().put(SERVICES[f.dstService]);
        if (f.egress) {
            b.put(EGRESS);
            if (f.trafficPath < 0) {
                b.put((byte) '-');
            } else {
                b.dec(f.trafficPath);
            }
            b.put((byte) '\n');
        } else {
            b.put(INGRESS);
        }
    }

    /** Writes the objects of the window starting at {@code windowStart} (epoch seconds). */
    void endWindow(long windowStart, String[] flowLogIds) {
        for (int log = 0; log < 2; log++) {
            ByteBuf b = current[log];
            if (b.size() > 0) {
                write(log, flowLogIds[log], windowStart, b);
                b.reset();
            }
            // The late records of this window are the first of the next object.
            current[log] = next[log];
            next[log] = b;
        }
    }

    private void write(int log, String flowLogId, long windowStart, ByteBuf b) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(windowStart, 0, ZoneOffset.UTC);
        String stamp =
                String.format(
                        "%04d%02d%02dT%02d%02dZ",
                        t.getYear(),
                        t.getMonthValue(),
                        t.getDayOfMonth(),
                        t.getHour(),
                        t.getMinute());
        String hash = String.format("%08x", Ip.mix(seed ^ ((long) log << 40) ^ windowStart) >>> 32);
        Path dir =
                root.resolve("flow-logs")
                        .resolve(FOLDERS[log])
                        .resolve("AWSLogs")
                        .resolve(Topology.ACCOUNT)
                        .resolve("vpcflowlogs")
                        .resolve(Topology.REGION)
                        .resolve(String.format("%04d", t.getYear()))
                        .resolve(String.format("%02d", t.getMonthValue()))
                        .resolve(String.format("%02d", t.getDayOfMonth()));
        String name =
                Topology.ACCOUNT
                        + "_vpcflowlogs_"
                        + Topology.REGION
                        + "_"
                        + flowLogId
                        + "_"
                        + stamp
                        + "_"
                        + hash
                        + (gzip ? ".log.gz" : ".log");
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                    OutputStream out = gzip ? fastGzip(raw) : raw) {
                out.write(HEADERS[log]);
                b.writeTo(out);
            }
            counts.files++;
            counts.textBytes += HEADERS[log].length + b.size();
            counts.fileBytes += Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(name) + ": cannot write", e);
        }
    }

    static OutputStream fastGzip(OutputStream raw) throws IOException {
        return new GZIPOutputStream(raw, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
