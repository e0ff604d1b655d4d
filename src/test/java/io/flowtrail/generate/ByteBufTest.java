package io.flowtrail.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.IpAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The generator's number and address writers against their text forms. */
class ByteBufTest {
    @ParameterizedTest
    @CsvSource({
        "0x20010db800200010, 0x11, 2001:db8:20:10::11",
        "0x20010db800000000, 0x0, 2001:db8::",
        "0x0, 0x1, ::1",
        "0x20010db80000ffff, 0x0000000100000000, 2001:db8:0:ffff:0:1::",
        "0x2001000000000000, 0x0000000000000001, 2001::1",
        "0x20010db800010000, 0x0001000100010001, 2001:db8:1:0:1:1:1:1"
    })
    void ipv6InTheCanonicalForm(String hi, String lo, String text) {
        long h = Long.parseUnsignedLong(hi.substring(2), 16);
        long l = Long.parseUnsignedLong(lo.substring(2), 16);
        assertThat(new ByteBuf(8).ipv6(h, l).toString()).isEqualTo(text);
    }

    @Test
    void addressesRoundTripThroughFlowtrailsParser() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            long hi = r.nextInt(4) == 0 ? 0 : r.nextLong() & 0xffff0000ffff0000L;
            long lo = r.nextLong() & (r.nextBoolean() ? 0xffffL : -1L);
            String text = new ByteBuf(8).ipv6(hi, lo).toString();
            IpAddress parsed = IpAddress.tryParse(text);
            assertThat(parsed).as(text).isNotNull();
            assertThat(parsed.hi()).as(text).isEqualTo(hi);
            assertThat(parsed.lo()).as(text).isEqualTo(lo);
            long v4 = r.nextLong() & 0xffffffffL;
            assertThat(IpAddress.tryParse(new ByteBuf(8).ipv4(v4).toString()).lo()).isEqualTo(v4);
        }
    }

    @Test
    void decimals() {
        ByteBuf b = new ByteBuf(4);
        b.dec(0).sp().dec(7).sp().dec(1793613600L).sp().dec(-42).sp().dec(Long.MAX_VALUE);
        assertThat(b.toString()).isEqualTo("0 7 1793613600 -42 9223372036854775807");
    }
}
