package io.flowtrail.parse;

import static io.flowtrail.parse.FlowLogFiles.ascii;
import static io.flowtrail.parse.FlowLogFiles.src;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Addresses as flow logs write them ({@code srcaddr}, {@code dstaddr}, {@code pkt-*addr}) are
 * parsed straight from bytes into a family and 128 bits, and {@link IpAddresses#format} gives the
 * RFC 5952 text back (lower case, leading zeros dropped, the longest run of two or more zero groups
 * as {@code ::}, IPv4-mapped addresses in mixed notation).
 */
class IpAddressParsingTest {
    private static String notAnAddress(String text) {
        return "srcaddr: expected an IPv4 or IPv6 address or -, got '" + text + "'";
    }

    /** One parser for the whole class, as a reader uses one: scratch state must not leak. */
    private final FlowLineParser parser = new FlowLineParser(FlowLogFormat.parse("${srcaddr}"));

    private FlowRecord srcaddr(String text) {
        FlowRecord r = new FlowRecord();
        byte[] b = ascii(text);
        assertThat(parser.parse(b, 0, b.length, r)).as("problem parsing %s", text).isNull();
        return r;
    }

    private String problemWith(String text) {
        byte[] b = ascii(text);
        return parser.parse(b, 0, b.length, new FlowRecord());
    }

    // ------------------------------------------------------------ IPv4

    @Test
    void ipv4DottedQuadIsItsThirtyTwoBitsInLo() {
        FlowRecord r = srcaddr("10.0.1.15");

        assertThat(r.srcFamily).isEqualTo(IpAddresses.V4);
        assertThat(r.srcHi).isZero();
        assertThat(r.srcLo).isEqualTo(0x0A00010FL);
        assertThat(src(r)).isEqualTo("10.0.1.15");
    }

    @Test
    void ipv4AllOnesIsNotSignExtended() {
        FlowRecord r = srcaddr("255.255.255.255");

        assertThat(r.srcLo).isEqualTo(0xFFFFFFFFL);
        assertThat(src(r)).isEqualTo("255.255.255.255");
    }

    @Test
    void ipv4AllZeros() {
        FlowRecord r = srcaddr("0.0.0.0");

        assertThat(r.srcFamily).isEqualTo(IpAddresses.V4);
        assertThat(r.srcLo).isZero();
        assertThat(src(r)).isEqualTo("0.0.0.0");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.300.5",
                "256.0.0.1",
                "10.0.1",
                "10.0.1.2.3",
                "10..1.2",
                "10.0.1.",
                ".10.0.1",
                "1000.0.0.1",
                "+1.2.3.4",
                "1.2.3.x",
                "localhost",
                "0x0a.0.0.1"
            })
    void impossibleIpv4IsRejected(String text) {
        assertThat(problemWith(text)).isEqualTo(notAnAddress(text));
    }

    // ------------------------------------------------------------ IPv6

    @Test
    void ipv6FullFormWithoutZeroGroups() {
        FlowRecord r = srcaddr("2001:db8:1234:a100:8d6e:3477:df66:f105");

        assertThat(r.srcFamily).isEqualTo(IpAddresses.V6);
        assertThat(r.srcHi).isEqualTo(0x2001_0db8_1234_a100L);
        assertThat(r.srcLo).isEqualTo(0x8d6e_3477_df66_f105L);
        assertThat(src(r)).isEqualTo("2001:db8:1234:a100:8d6e:3477:df66:f105");
    }

    @Test
    void ipv6GapInTheMiddle() {
        FlowRecord r = srcaddr("2001:db8::10");

        assertThat(r.srcHi).isEqualTo(0x2001_0db8_0000_0000L);
        assertThat(r.srcLo).isEqualTo(0x10L);
        assertThat(src(r)).isEqualTo("2001:db8::10");
    }

    @Test
    void ipv6LoopbackIsAGapThenOneGroup() {
        FlowRecord r = srcaddr("::1");

        assertThat(r.srcFamily).isEqualTo(IpAddresses.V6);
        assertThat(r.srcHi).isZero();
        assertThat(r.srcLo).isEqualTo(1L);
        assertThat(src(r)).isEqualTo("::1");
    }

    @Test
    void ipv6UnspecifiedIsAllZeros() {
        FlowRecord r = srcaddr("::");

        assertThat(r.srcFamily).isEqualTo(IpAddresses.V6);
        assertThat(r.srcHi).isZero();
        assertThat(r.srcLo).isZero();
        assertThat(src(r)).isEqualTo("::");
    }

    @Test
    void ipv6TrailingGap() {
        FlowRecord r = srcaddr("fe80::");

        assertThat(r.srcHi).isEqualTo(0xfe80_0000_0000_0000L);
        assertThat(r.srcLo).isZero();
        assertThat(src(r)).isEqualTo("fe80::");
    }

    @Test
    void ipv4MappedIpv6KeepsTheIpv4InTheLow32BitsAndFormatsInMixedNotation() {
        FlowRecord r = srcaddr("::ffff:192.0.2.1");

        assertThat(r.srcFamily).isEqualTo(IpAddresses.V6);
        assertThat(r.srcHi).isZero();
        assertThat(r.srcLo).isEqualTo(0x0000_ffff_c000_0201L);
        assertThat(src(r)).isEqualTo("::ffff:192.0.2.1");
    }

    @Test
    void embeddedIpv4AfterSixFullGroups() {
        FlowRecord r = srcaddr("64:ff9b:0:0:0:0:192.0.2.33");

        assertThat(r.srcHi).isEqualTo(0x0064_ff9b_0000_0000L);
        assertThat(r.srcLo).isEqualTo(0x0000_0000_c000_0221L);
    }

    @Test
    void theLongestPossibleTextFortyFiveCharactersIsAccepted() {
        FlowRecord r = srcaddr("0000:0000:0000:0000:0000:ffff:255.255.255.255");

        assertThat(r.srcHi).isZero();
        assertThat(r.srcLo).isEqualTo(0x0000_ffff_ffff_ffffL);
        assertThat(src(r)).isEqualTo("::ffff:255.255.255.255");
    }

    @Test
    void upperCaseAndLeadingZerosFormatAsCanonicalText() {
        FlowRecord r = srcaddr("2001:0DB8:0000:0000:0000:0000:0000:0010");

        assertThat(r.srcHi).isEqualTo(0x2001_0db8_0000_0000L);
        assertThat(r.srcLo).isEqualTo(0x10L);
        assertThat(src(r)).isEqualTo("2001:db8::10");
    }

    @Test
    void aSingleZeroGroupIsNotShortenedToDoubleColon() {
        assertThat(src(srcaddr("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
    }

    @Test
    void aGapStandingForOneGroupFormatsAsThatZeroGroup() {
        FlowRecord r = srcaddr("1:2:3:4:5:6:7::");

        assertThat(r.srcLo).isEqualTo(0x0005_0006_0007_0000L);
        assertThat(src(r)).isEqualTo("1:2:3:4:5:6:7:0");
    }

    @Test
    void theLongestZeroRunIsTheOneShortened() {
        assertThat(src(srcaddr("2001:0:0:1:0:0:0:1"))).isEqualTo("2001:0:0:1::1");
    }

    @Test
    void ofTwoEqualZeroRunsTheFirstIsShortened() {
        assertThat(src(srcaddr("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
    }

    @Test
    void groupsOfAnEarlierAddressDoNotLeakIntoTheGapOfTheNext() {
        srcaddr("1:2:3:4:5:6:7:8");

        FlowRecord loopback = srcaddr("::1");

        assertThat(loopback.srcHi).isZero();
        assertThat(loopback.srcLo).isEqualTo(1L);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2001:db8:::1", // three colons
                "1:2:3:4:5:6:7:8:9", // nine groups
                "12345::1", // a group of five hex digits
                ":1", // a single leading colon
                "1:", // a single trailing colon
                "1::2::3", // two gaps
                "1:2:3:4:5:6:7", // seven groups and no gap
                "1:2:3:4:5:6:7::8", // a gap with nothing left to stand for
                "::ffff:192.0.2.256", // embedded IPv4 out of range
                "1:2:3:4:5:6:7:1.2.3.4", // embedded IPv4 makes nine groups
                "::1.2.3", // embedded IPv4 of three parts
                "fe80::1%eth0", // zone index
                "2001:db8::g", // not hex
                ":::"
            })
    void impossibleIpv6IsRejected(String text) {
        assertThat(problemWith(text)).isEqualTo(notAnAddress(text));
    }
}
