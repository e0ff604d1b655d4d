package io.flowtrail.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.parse.ConfigSnapshotReader;
import io.flowtrail.support.SampleLogs;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sample's data-a subnet has an S3 gateway endpoint: S3 traffic must take it. */
class GatewayEndpointBypassTest {
    static final String DATA_A = "subnet-0b2609a0bdd2b7550";
    static final String PUBLIC_A = "subnet-003aa3897fcf4c6b6";

    final NetworkIndex index =
            ConfigSnapshotReader.read(SampleLogs.DIR.resolve("config"))
                    .indexAt(Instant.parse("2026-11-02T10:00:00Z").toEpochMilli());

    static FlowRecord s3Upload(String subnet, int trafficPath) {
        FlowRecord r = new FlowRecord();
        r.subnetId = subnet;
        r.pktDstAwsService = "S3";
        r.trafficPath = trafficPath;
        return r;
    }

    @Test
    void s3ThroughTheNatFromASubnetWithTheEndpointBypassesIt() {
        assertThat(ConfigJoin.bypassedEndpoint(index, s3Upload(DATA_A, 1))).startsWith("vpce-");
        assertThat(ConfigJoin.bypassedEndpoint(index, s3Upload(DATA_A, 8))).startsWith("vpce-");
    }

    @Test
    void s3ThroughTheEndpointIsFine() {
        assertThat(ConfigJoin.bypassedEndpoint(index, s3Upload(DATA_A, 7))).isNull();
    }

    @Test
    void theSampleSubnetsRouteTheInternetThroughTheirGateways() {
        FlowRecord r = s3Upload(DATA_A, 1);
        r.dstFamily = io.flowtrail.model.IpAddresses.V4;
        r.dstLo = (192L << 24) | (2 << 8) | 200; // 192.0.2.200
        assertThat(ConfigJoin.noRoute(index, r)).isFalse();
        r.subnetId = "subnet-nowhere";
        assertThat(ConfigJoin.noRoute(index, r)).as("unknown routing says nothing").isFalse();
    }

    @Test
    void aSubnetWithoutAnEndpointHasNothingToBypass() {
        assertThat(ConfigJoin.bypassedEndpoint(index, s3Upload(PUBLIC_A, 8))).isNull();
    }
}
