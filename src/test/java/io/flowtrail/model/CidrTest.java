package io.flowtrail.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void parsesBothFamiliesAndClearsHostBits() {
        assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
        assertThat(Cidr.parse("2001:db8:1234:a100::/56")).hasToString("2001:db8:1234:a100::/56");
        assertThat(Cidr.parse("2001:db8::ff/120")).hasToString("2001:db8::/120");
        assertThat(Cidr.parse("::/0").isEverything()).isTrue();
    }

    @Test
    void refusesWhatIsNotACidr() {
        assertThat(Cidr.tryParse("10.0.0.0")).isNull();
        assertThat(Cidr.tryParse("10.0.0.0/33")).isNull();
        assertThat(Cidr.tryParse("::/129")).isNull();
        assertThat(Cidr.tryParse("10.0.0/8")).isNull();
        assertThat(Cidr.tryParse("10.0.0.0/-1")).isNull();
        assertThat(Cidr.tryParse("2001:db8::1::/64")).isNull();
        assertThatThrownBy(() -> Cidr.parse("x/8")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void containsCoversAndOverlaps() {
        Cidr vpc = Cidr.parse("10.0.0.0/16");

        assertThat(vpc.contains(IpAddress.parse("10.0.255.255"))).isTrue();
        assertThat(vpc.contains(IpAddress.parse("10.1.0.0"))).isFalse();
        assertThat(vpc.contains(IpAddress.parse("::a00:1"))).isFalse();
        assertThat(vpc.covers(Cidr.parse("10.0.128.0/17"))).isTrue();
        assertThat(Cidr.parse("10.0.128.0/17").covers(vpc)).isFalse();
        assertThat(Cidr.parse("10.0.128.0/17").overlaps(vpc)).isTrue();
        assertThat(Cidr.parse("10.1.0.0/16").overlaps(vpc)).isFalse();
        assertThat(Cidr.parse("2001:db8::/64").contains(IpAddress.parse("2001:db8::ffff:1")))
                .isTrue();
        assertThat(Cidr.parse("2001:db8::/64").contains(IpAddress.parse("2001:db8:0:1::")))
                .isFalse();
    }

    @Test
    void lastAddress() {
        Cidr v4 = Cidr.parse("192.0.2.128/25");
        Cidr v6 = Cidr.parse("2001:db8::/64");

        assertThat(IpAddresses.format(v4.family(), v4.lastHi(), v4.lastLo()))
                .isEqualTo("192.0.2.255");
        assertThat(IpAddresses.format(v6.family(), v6.lastHi(), v6.lastLo()))
                .isEqualTo("2001:db8::ffff:ffff:ffff:ffff");
    }

    @Test
    void addressesInTheirTextForms() {
        assertThat(IpAddress.parse("::ffff:192.0.2.1"))
                .isEqualTo(IpAddress.parse("::ffff:c000:201"));
        assertThat(IpAddress.parse("2001:DB8::1")).hasToString("2001:db8::1");
        assertThat(IpAddress.tryParse("256.0.0.1")).isNull();
        assertThat(IpAddress.tryParse("1.2.3")).isNull();
        assertThat(IpAddress.tryParse("12345::")).isNull();
        assertThat(IpAddress.tryParse(":1")).isNull();
    }
}
