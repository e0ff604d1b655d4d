package io.flowtrail.detect.portscan;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;

/**
 * A probe as the port-scan detector needs it: its source (the key), target, port, outcome and where
 * it was seen. Much smaller than a {@link FlowRecord} across the shuffle. A Flink POJO.
 */
public class Probe {
    /** The type of {@link #source()}. */
    public static final TypeInformation<Tuple3<Long, Long, Byte>> SOURCE_TYPE =
            Types.TUPLE(Types.LONG, Types.LONG, Types.BYTE);

    public byte srcFamily;
    public long srcHi;
    public long srcLo;
    public long startMillis;
    public byte dstFamily;
    public long dstHi;
    public long dstLo;
    public int dstPort;
    public boolean rejected;
    public String interfaceId;
    public String accountId;
    public String region;

    public Probe() {}

    /**
     * The probe of a flow record, or null when it is not one (see {@link
     * PortScanDetector#isProbe}).
     */
    public static Probe of(FlowRecord r, PortScanParams params) {
        if (!PortScanDetector.isProbe(r, params)) {
            return null;
        }
        Probe p = new Probe();
        p.srcFamily = r.srcFamily;
        p.srcHi = r.srcHi;
        p.srcLo = r.srcLo;
        p.startMillis = r.startMillis();
        p.dstFamily = r.dstFamily;
        p.dstHi = r.dstHi;
        p.dstLo = r.dstLo;
        p.dstPort = r.dstPort;
        p.rejected = r.action == FlowRecord.ACTION_REJECT;
        p.interfaceId = r.interfaceId;
        p.accountId = r.accountId;
        p.region = r.region;
        return p;
    }

    /**
     * The source address as the detector's key: the two halves of the address and its family, a
     * fixed-length key (17 bytes) that a batch replay sorts by its bytes, unlike a formatted
     * address. The low half comes first: the sort compares the first 8 bytes without reading the
     * record, and an IPv4 address is all in the low half.
     */
    public Tuple3<Long, Long, Byte> source() {
        return Tuple3.of(srcLo, srcHi, srcFamily);
    }

    /** The source address of a {@link #source()} key, as text. */
    public static String sourceText(Tuple3<Long, Long, Byte> key) {
        return IpAddresses.format(key.f2, key.f1, key.f0);
    }
}
