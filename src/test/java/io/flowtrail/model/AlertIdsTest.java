package io.flowtrail.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AlertIdsTest {
    @Test
    void isTheLowerCaseHexOfTheFirst16BytesOfSha256OverThePartsJoinedWithBars() {
        // printf 'config_posture|sg_open_admin_port|sg-1/ingress/0|1793613600000' | sha256sum
        assertThat(
                        AlertIds.of(
                                "config_posture",
                                "sg_open_admin_port",
                                "sg-1/ingress/0",
                                "1793613600000"))
                .isEqualTo("28353a7bbae61f22bbfbfd49f37b09a5");
    }

    @Test
    void aSinglePartIsHashedAsIs() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        assertThat(AlertIds.of("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223");
    }

    @Test
    void nullPartsAreEmpty() {
        assertThat(AlertIds.of("a", null, "c")).isEqualTo(AlertIds.of("a||c"));
    }
}
