package io.flowtrail.parse;

import static io.flowtrail.parse.FlowLogFiles.ascii;
import static io.flowtrail.parse.FlowLogFiles.dst;
import static io.flowtrail.parse.FlowLogFiles.src;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import java.util.Arrays;
import java.util.Collections;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One record line against its declared format: typed values, or the reason it is not a record. */
class FlowLineParserTest {
    /** Example A, line 2: inbound SSH accepted. */
    private static final String SSH =
            "2 111122223333 eni-0a1b2c3d4e5f60718 198.51.100.24 10.0.1.15 50722 22 6 12 2240"
                    + " 1718028000 1718028058 ACCEPT OK";

    private final FlowLineParser defaultFormat = new FlowLineParser(FlowLogFormat.DEFAULT);

    private static String problem(FlowLineParser parser, String line) {
        byte[] b = ascii(line);
        return parser.parse(b, 0, b.length, new FlowRecord());
    }

    private static FlowRecord parsed(FlowLineParser parser, String line) {
        byte[] b = ascii(line);
        FlowRecord r = new FlowRecord();
        assertThat(parser.parse(b, 0, b.length, r)).as("problem with %s", line).isNull();
        return r;
    }

    /** {@link #SSH} with its field number {@code index} (0-based) replaced by {@code value}. */
    private static String sshWith(int index, String value) {
        String[] fields = SSH.split(" ");
        fields[index] = value;
        return String.join(" ", fields);
    }

    // ------------------------------------------------------------ records that parse

    @Test
    void aRecordInsideALargerBufferIsReadFromItsRangeOnly() {
        byte[] buf = ascii("junk junk\n" + SSH + "\nmore junk");
        int from = "junk junk\n".length();
        FlowRecord r = new FlowRecord();

        String problem = defaultFormat.parse(buf, from, from + SSH.length(), r);

        assertThat(problem).isNull();
        assertThat(r.version).isEqualTo(2);
        assertThat(r.logStatus).isEqualTo(FlowRecord.STATUS_OK);
        assertThat(src(r)).isEqualTo("198.51.100.24");
    }

    @Test
    void aWindowsLineEndingAndTrailingSpacesAreNotAField() {
        FlowRecord r = parsed(defaultFormat, SSH + "  \r");

        assertThat(r.logStatus).isEqualTo(FlowRecord.STATUS_OK);
        assertThat(r.end).isEqualTo(1718028058L);
    }

    @Test
    void dashIsAbsentInEveryKindOfField() {
        // Every field Flowtrail knows except log-status, which is never '-'.
        String format =
                Arrays.stream(FlowLogField.values())
                        .filter(f -> f != FlowLogField.UNKNOWN && f != FlowLogField.LOG_STATUS)
                        .map(f -> "${" + f.wireName() + "}")
                        .collect(Collectors.joining(" "));
        FlowLineParser parser = new FlowLineParser(FlowLogFormat.parse(format));
        String allDashes = String.join(" ", Collections.nCopies(41, "-"));

        FlowRecord r = parsed(parser, allDashes);

        assertThat(parser.format().size()).isEqualTo(41);
        // INT, LONG, PORT: ABSENT; TEXT: null; ADDRESS: family NONE; ENUM: its absent value.
        assertThat(r.version).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(r.protocol).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(r.packets).isEqualTo(FlowRecord.ABSENT);
        assertThat(r.start).isEqualTo(FlowRecord.ABSENT);
        assertThat(r.srcPort).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(r.accountId).isNull();
        assertThat(r.ecsTaskArn).isNull();
        assertThat(r.srcFamily).isEqualTo(IpAddresses.NONE);
        assertThat(r.pktDstFamily).isEqualTo(IpAddresses.NONE);
        assertThat(r.action).isEqualTo(FlowRecord.ACTION_ABSENT);
        assertThat(r.type).isEqualTo(FlowRecord.TYPE_ABSENT);
        assertThat(r.flowDirection).isEqualTo(FlowRecord.DIRECTION_UNKNOWN);
        assertThat(r.encryptionStatus).isEqualTo((int) FlowRecord.ABSENT);
        // ... and every other slot too: the record is indistinguishable from an empty one.
        assertThat(r).usingRecursiveComparison().isEqualTo(new FlowRecord());
    }

    @Test
    void logStatusIsNeverDash() {
        assertThat(problem(defaultFormat, sshWith(13, "-")))
                .isEqualTo("log-status: expected OK, NODATA or SKIPDATA, got '-'");
    }

    @Test
    void exampleERecordWithoutStartOrLogStatusIsReadFieldByField() {
        FlowLineParser exampleE =
                new FlowLineParser(
                        FlowLogFormat.parse(
                                "${flow-direction} ${traffic-path} ${srcaddr} ${dstaddr}"
                                        + " ${srcport} ${dstport} ${encryption-status}"));

        FlowRecord r = parsed(exampleE, "egress 2 10.0.128.55 52.216.10.4 40012 443 2");

        assertThat(r.flowDirection).isEqualTo(FlowRecord.DIRECTION_EGRESS);
        assertThat(r.trafficPath).isEqualTo(2);
        assertThat(src(r)).isEqualTo("10.0.128.55");
        assertThat(dst(r)).isEqualTo("52.216.10.4");
        assertThat(r.srcPort).isEqualTo(40012);
        assertThat(r.dstPort).isEqualTo(443);
        assertThat(r.encryptionStatus).isEqualTo(2);
        assertThat(r.version).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(r.start).isEqualTo(FlowRecord.ABSENT);
        assertThat(r.logStatus).isEqualTo(FlowRecord.STATUS_ABSENT);
        assertThat(r.isTraffic()).isTrue();
    }

    @Test
    void theValueOfAnUnknownFieldIsSkippedWhateverItHolds() {
        FlowLineParser parser =
                new FlowLineParser(FlowLogFormat.parse("${version} ${quantum-state} ${srcaddr}"));

        FlowRecord r = parsed(parser, "10 entangled:42/x 10.0.1.15");

        assertThat(r.version).isEqualTo(10);
        assertThat(src(r)).isEqualTo("10.0.1.15");
    }

    @Test
    void boundaryValuesAreAccepted() {
        FlowLineParser parser =
                new FlowLineParser(
                        FlowLogFormat.parse(
                                "${srcport} ${dstport} ${protocol} ${bytes} ${start} ${end}"));

        FlowRecord r = parsed(parser, "0 65535 255 9223372036854775807 0 253402300799");

        assertThat(r.srcPort).isZero();
        assertThat(r.dstPort).isEqualTo(65535);
        assertThat(r.protocol).isEqualTo(255);
        assertThat(r.bytes).isEqualTo(Long.MAX_VALUE);
        assertThat(r.start).isZero();
        assertThat(r.end).isEqualTo(253402300799L);
    }

    @Test
    void typeEfaAndDirectionIngressAreRead() {
        FlowLineParser parser =
                new FlowLineParser(FlowLogFormat.parse("${type} ${flow-direction}"));

        FlowRecord r = parsed(parser, "EFA ingress");

        assertThat(r.type).isEqualTo(FlowRecord.TYPE_EFA);
        assertThat(r.flowDirection).isEqualTo(FlowRecord.DIRECTION_INGRESS);
    }

    @Test
    void identifiersRepeatedOnEveryRecordAreTheSameStringInstance() {
        FlowRecord first = parsed(defaultFormat, SSH);
        FlowRecord second = parsed(defaultFormat, sshWith(5, "50723"));

        assertThat(second.interfaceId).isEqualTo("eni-0a1b2c3d4e5f60718");
        assertThat(second.interfaceId).isSameAs(first.interfaceId);
        assertThat(second.accountId).isSameAs(first.accountId);
    }

    // ------------------------------------------------------------ records that do not parse

    @Test
    void aTruncatedLineNamesHowManyFieldsItHadAndTheLastOne() {
        String line =
                "2 111122223333 eni-0a1b2c3d4e5f60718 203.0.113.77 10.0.1.15 61011 3389 6 3 156"
                        + " 1718028003";

        assertThat(problem(defaultFormat, line))
                .isEqualTo(
                        "truncated: 11 of the 14 fields the format declares (the last one read was"
                                + " start)");
    }

    @Test
    void anEmptyLineIsTruncatedAtZeroFields() {
        assertThat(problem(defaultFormat, ""))
                .isEqualTo("truncated: 0 of the 14 fields the format declares");
    }

    @Test
    void oneFieldMoreThanTheFormatIsRejected() {
        assertThat(problem(defaultFormat, SSH + " extra"))
                .isEqualTo("more than the 14 fields the format declares");
    }

    @Test
    void aNonNumericPacketCountIsRejected() {
        assertThat(problem(defaultFormat, sshWith(8, "12x")))
                .isEqualTo("packets: expected a non-negative integer or -, got '12x'");
    }

    @Test
    void aNegativeByteCountIsRejected() {
        assertThat(problem(defaultFormat, sshWith(9, "-2240")))
                .isEqualTo("bytes: expected a non-negative integer or -, got '-2240'");
    }

    @Test
    void aByteCountBeyondSixtyFourBitsIsRejectedNotWrapped() {
        assertThat(problem(defaultFormat, sshWith(9, "9223372036854775808")))
                .isEqualTo(
                        "bytes: expected a non-negative integer or -, got '9223372036854775808'");
        assertThat(problem(defaultFormat, sshWith(9, "99999999999999999999")))
                .isEqualTo(
                        "bytes: expected a non-negative integer or -, got '99999999999999999999'");
    }

    @Test
    void aPortAbove65535IsRejected() {
        assertThat(problem(defaultFormat, sshWith(6, "65536")))
                .isEqualTo("dstport: expected a port 0-65535 or -, got '65536'");
    }

    @Test
    void aProtocolAbove255IsRejected() {
        assertThat(problem(defaultFormat, sshWith(7, "256")))
                .isEqualTo("protocol: expected a protocol number 0-255 or -, got '256'");
    }

    @Test
    void anImpossibleAddressIsRejected() {
        assertThat(problem(defaultFormat, sshWith(3, "10.0.300.5")))
                .isEqualTo("srcaddr: expected an IPv4 or IPv6 address or -, got '10.0.300.5'");
    }

    @Test
    void aStartAfterTheYear9999IsNotATime() {
        assertThat(problem(defaultFormat, sshWith(10, "253402300800")))
                .isEqualTo("start: expected Unix seconds or -, got '253402300800'");
    }

    @Test
    void anEndBeforeItsStartIsRejected() {
        assertThat(problem(defaultFormat, sshWith(11, "1718027999")))
                .isEqualTo("end 1718027999 is before start 1718028000");
    }

    @Test
    void actionIsCaseSensitiveAcceptOrReject() {
        assertThat(problem(defaultFormat, sshWith(12, "accept")))
                .isEqualTo("action: expected ACCEPT, REJECT or -, got 'accept'");
    }

    @Test
    void anUnknownLogStatusIsRejected() {
        assertThat(problem(defaultFormat, sshWith(13, "PARTIAL")))
                .isEqualTo("log-status: expected OK, NODATA or SKIPDATA, got 'PARTIAL'");
    }

    @Test
    void anUnknownTypeIsRejected() {
        FlowLineParser parser = new FlowLineParser(FlowLogFormat.parse("${type}"));

        assertThat(problem(parser, "IPv5"))
                .isEqualTo("type: expected IPv4, IPv6, EFA or -, got 'IPv5'");
    }

    @Test
    void anUnknownFlowDirectionIsRejected() {
        FlowLineParser parser = new FlowLineParser(FlowLogFormat.parse("${flow-direction}"));

        assertThat(problem(parser, "INGRESS"))
                .isEqualTo("flow-direction: expected ingress, egress or -, got 'INGRESS'");
    }

    @Test
    void aVersionAbove255IsRejected() {
        assertThat(problem(defaultFormat, sshWith(0, "256")))
                .isEqualTo("version: expected a non-negative integer or -, got '256'");
    }

    @Test
    void twoSpacesInARowAreAnEmptyFieldNotASeparator() {
        assertThat(problem(defaultFormat, SSH.replace(" 10.0.1.15 ", "  10.0.1.15 ")))
                .isEqualTo("empty field after 'srcaddr'");
    }

    @Test
    void aNulByteIsNotAFlowLogRecord() {
        byte[] b = ascii(SSH);
        b[2] = 0;
        String problem = defaultFormat.parse(b, 0, b.length, new FlowRecord());

        assertThat(problem).isEqualTo("control byte 0x0 at column 3: not a flow-log record");
    }

    @Test
    void aTabBetweenFieldsIsNotASeparator() {
        assertThat(problem(defaultFormat, SSH.replaceFirst(" ", "\t")))
                .isEqualTo("control byte 0x9 at column 2: not a flow-log record");
    }

    // ------------------------------------------------------------ the common path

    /**
     * The parser reads a well-formed version-2 record in one pass, and in other formats the fields
     * on nearly every record (numbers, IPv4 addresses, identifiers, ACCEPT and OK) in the pass that
     * finds their end; everything else takes the general path. Over 100,000 lines of the default
     * and a version-5 format, made of valid values and of values at and past every edge, both ways
     * give the same problem, or the same record field by field.
     */
    @Test
    void theCommonPathReadsEveryLineAsTheGeneralPathDoes() throws IllegalAccessException {
        String[] odd = {
            "",
            "-",
            "0",
            "00",
            "255",
            "256",
            "65535",
            "65536",
            "999999999999999999",
            "1234567890123456789",
            "9999999999999999999",
            "99999999999999999999",
            "253402300799",
            "253402300800",
            "+5",
            "5a",
            "-1",
            "1.2.3.4",
            "1.2.3.256",
            "01.002.3.4",
            "0001.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "1.2.3.",
            ".1.2.3",
            "1..2.3",
            "1.2.3.4:80",
            "::1",
            "2001:db8::1",
            "::ffff:1.2.3.4",
            "ACCEPT",
            "REJECT",
            "ACCEPTED",
            "ACCEP",
            "accept",
            "OK",
            "OKAY",
            "O",
            "NODATA",
            "SKIPDATA",
            "eni-1",
            "eni-\u0001x",
            "x\u007f",
            "\t",
            "cl\u00fcster",
            "IPv6",
            "egress",
            "vpc-0a1b2c3d",
            "1 2"
        };
        String[] formats = {
            FlowLogFormat.DEFAULT_FORMAT_STRING,
            "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id}"
                    + " ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${pkt-srcaddr}"
                    + " ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action}"
                    + " ${tcp-flags} ${log-status} ${flow-direction} ${traffic-path}"
        };
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(29);
        for (String formatString : formats) {
            FlowLogFormat format = FlowLogFormat.parse(formatString);
            FlowLineParser common = new FlowLineParser(format, new ByteStringInterner(64), true);
            FlowLineParser general = new FlowLineParser(format, new ByteStringInterner(64), false);
            for (int n = 0; n < 50_000; n++) {
                StringBuilder line = new StringBuilder();
                int fields = format.size() + (rnd.nextInt(20) == 0 ? rnd.nextInt(3) - 1 : 0);
                for (int f = 0; f < fields; f++) {
                    if (f > 0) {
                        line.append(rnd.nextInt(200) == 0 ? "  " : " ");
                    }
                    line.append(
                            rnd.nextInt(4) == 0
                                    ? odd[rnd.nextInt(odd.length)]
                                    : valid(f < format.size() ? format.field(f) : null, rnd));
                }
                if (rnd.nextInt(50) == 0) {
                    line.append(rnd.nextBoolean() ? "\r" : " ");
                }
                byte[] b = line.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                FlowRecord viaCommon = new FlowRecord();
                FlowRecord viaGeneral = new FlowRecord();

                String problem = common.parse(b, 0, b.length, viaCommon);

                assertThat(problem)
                        .as("%s", line)
                        .isEqualTo(general.parse(b, 0, b.length, viaGeneral));
                for (java.lang.reflect.Field f : RECORD_FIELDS) {
                    assertThat(f.get(viaCommon))
                            .as("%s of %s", f.getName(), line)
                            .isEqualTo(f.get(viaGeneral));
                }
            }
        }
    }

    private static final java.lang.reflect.Field[] RECORD_FIELDS =
            Arrays.stream(FlowRecord.class.getFields())
                    .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers()))
                    .toArray(java.lang.reflect.Field[]::new);

    /** A well-formed value of the field (any text for a field this format does not declare). */
    private static String valid(FlowLogField field, java.util.SplittableRandom rnd) {
        if (field == null) {
            return "extra";
        }
        switch (field.kind()) {
            case ADDRESS:
                return rnd.nextInt(10) == 0
                        ? "2001:db8::" + Integer.toHexString(rnd.nextInt(65536))
                        : rnd.nextInt(256)
                                + "."
                                + rnd.nextInt(256)
                                + "."
                                + rnd.nextInt(256)
                                + "."
                                + rnd.nextInt(256);
            case PORT:
                return Integer.toString(rnd.nextInt(65536));
            case INT:
                return Integer.toString(field == FlowLogField.VERSION ? 5 : rnd.nextInt(256));
            case LONG:
                return Long.toString(1718028000L + rnd.nextInt(1_000_000_000));
            case ENUM:
                switch (field) {
                    case ACTION:
                        return rnd.nextBoolean() ? "ACCEPT" : "REJECT";
                    case LOG_STATUS:
                        return rnd.nextInt(10) == 0 ? "NODATA" : "OK";
                    case TYPE:
                        return "IPv4";
                    default:
                        return rnd.nextBoolean() ? "ingress" : "egress";
                }
            default:
                return "eni-0a1b2c3d" + Integer.toHexString(rnd.nextInt(4096));
        }
    }
}
