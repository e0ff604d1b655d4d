package io.flowtrail.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.Cidr;
import io.flowtrail.model.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lookup structures under the index: merged ranges, the prefix trie, the address map. */
class CidrLookupTest {
    private static boolean in(CidrSet set, String address) {
        IpAddress a = IpAddress.parse(address);
        return set.contains(a.family(), a.hi(), a.lo());
    }

    private static <T> T lookup(CidrTable<T> table, String address) {
        IpAddress a = IpAddress.parse(address);
        return table.get(a.family(), a.hi(), a.lo());
    }

    @Test
    void cidrSetMergesOverlapsAndKeepsFamiliesApart() {
        CidrSet set =
                new CidrSet(
                        List.of(
                                Cidr.parse("10.0.0.0/16"),
                                Cidr.parse("10.0.5.0/24"),
                                Cidr.parse("10.1.0.0/16"),
                                Cidr.parse("192.0.2.128/25"),
                                Cidr.parse("2001:db8::/32"),
                                Cidr.parse("2001:db8:1::/48"),
                                Cidr.parse("fd00::1/128")));

        assertThat(in(set, "10.0.255.255")).isTrue();
        assertThat(in(set, "10.1.0.0")).isTrue();
        assertThat(in(set, "10.2.0.0")).isFalse();
        assertThat(in(set, "192.0.2.127")).isFalse();
        assertThat(in(set, "192.0.2.255")).isTrue();
        assertThat(in(set, "9.255.255.255")).isFalse();
        assertThat(in(set, "2001:db8:ffff::1")).isTrue();
        assertThat(in(set, "2001:db9::")).isFalse();
        assertThat(in(set, "fd00::1")).isTrue();
        assertThat(in(set, "fd00::2")).isFalse();
        assertThat(in(set, "::a00:1")).isFalse();
        assertThat(in(CidrSet.EMPTY, "10.0.0.1")).isFalse();
    }

    @Test
    void cidrSetHandlesTheWholeSpaceAndTheTopOfIt() {
        CidrSet set = new CidrSet(List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("ffff::/16")));

        assertThat(in(set, "255.255.255.255")).isTrue();
        assertThat(in(set, "0.0.0.0")).isTrue();
        assertThat(in(set, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(in(set, "fffe::")).isFalse();
    }

    @Test
    void cidrTableFindsTheLongestPrefix() {
        CidrTable<String> table = new CidrTable<>();
        table.put(Cidr.parse("0.0.0.0/0"), "default");
        table.put(Cidr.parse("10.0.0.0/8"), "ten");
        table.put(Cidr.parse("10.1.2.0/24"), "ten-one-two");
        table.put(Cidr.parse("2001:db8::/32"), "doc");
        table.put(Cidr.parse("2001:db8:0:0:8000::/65"), "upper-half");

        assertThat(lookup(table, "10.1.2.3")).isEqualTo("ten-one-two");
        assertThat(lookup(table, "10.1.3.3")).isEqualTo("ten");
        assertThat(lookup(table, "11.0.0.1")).isEqualTo("default");
        assertThat(lookup(table, "2001:db8::8000:0:0:1")).isEqualTo("upper-half");
        assertThat(lookup(table, "2001:db8::1")).isEqualTo("doc");
        assertThat(lookup(table, "2001:db9::1")).isNull();
    }

    @Test
    void addressMapKeepsTheFirstValueAndTellsFamiliesApart() {
        AddressMap<String> map = new AddressMap<>(3);
        IpAddress v4 = IpAddress.parse("0.0.0.5");
        IpAddress v6 = IpAddress.parse("::5");

        map.putIfAbsent(v4.family(), v4.hi(), v4.lo(), "v4");
        map.putIfAbsent(v6.family(), v6.hi(), v6.lo(), "v6");
        map.putIfAbsent(v4.family(), v4.hi(), v4.lo(), "again");

        assertThat(map.get(v4.family(), v4.hi(), v4.lo())).isEqualTo("v4");
        assertThat(map.get(v6.family(), v6.hi(), v6.lo())).isEqualTo("v6");
        assertThat(map.get(v4.family(), 0, 6)).isNull();
    }
}
