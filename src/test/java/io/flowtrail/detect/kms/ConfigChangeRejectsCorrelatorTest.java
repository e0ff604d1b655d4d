package io.flowtrail.detect.kms;

import static io.flowtrail.detect.kms.TestKms.FIVE_MINUTES;
import static io.flowtrail.detect.kms.TestKms.alerts;
import static io.flowtrail.detect.kms.TestKms.ms;
import static io.flowtrail.detect.kms.TestKms.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.model.Alert;
import io.flowtrail.model.NetworkChangeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfigChangeRejectsCorrelatorTest {
    static final String ACL = "acl-06cc6be1805fdf179";
    static final String OTHER_ACL = "acl-0debb29dbfc8e067e";
    static final String DB_A = "eni-030a037efd7376ab4";
    static final String WEB_A3 = "eni-0fc434d6e6054aa24";
    static final String WEB_SG = "sg-07ea3ef27e2e90528";
    static final String NETWORK_ADMIN = "arn:aws:iam::111122223333:role/flowtrail-network-admin";

    KeyedOneInputStreamOperatorTestHarness<String, ConfigChangeRejectsInput, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ConfigChangeRejectsCorrelator(Duration.ofMinutes(30), FIVE_MINUTES),
                        new ConfigChangeRejectsInput.Key(),
                        Types.STRING);
    }

    /** The sample's entry 90: inbound deny tcp 5432 from app-b, at 10:34:40. */
    static NetworkChangeEvent denyEntry(String acl, Instant at) {
        NetworkChangeEvent e = new NetworkChangeEvent();
        e.eventTimeMillis = ms(at);
        e.eventId = "change-" + acl + "-" + at;
        e.eventName = "CreateNetworkAclEntry";
        e.region = "us-east-1";
        e.accountId = "111122223333";
        e.principalArn = NETWORK_ADMIN;
        e.principalType = "AssumedRole";
        e.sourceIp = "198.51.100.10";
        e.networkAclId = acl;
        e.ruleNumber = 90;
        e.egress = false;
        e.ruleAction = "deny";
        e.protocol = "6";
        e.cidrBlock = "10.20.11.0/24";
        e.fromPort = 5432;
        e.toPort = 5432;
        return e;
    }

    static NetworkChangeEvent revokeIngress(String group, Instant at) {
        NetworkChangeEvent e = new NetworkChangeEvent();
        e.eventTimeMillis = ms(at);
        e.eventId = "revoke-" + group + "-" + at;
        e.eventName = "RevokeSecurityGroupIngress";
        e.region = "us-east-1";
        e.accountId = "111122223333";
        e.principalArn = NETWORK_ADMIN;
        e.groupId = group;
        return e;
    }

    /** A rejected-traffic spike as its detector raises it, attributed as given. */
    static Alert spike(String iface, int w, String attribution) {
        Alert a =
                DetectorSupport.alert(
                        "rejected_traffic_spike",
                        "reject_spike",
                        iface,
                        ms(window(w)),
                        ms(window(w + 1)));
        a.accountId = "111122223333";
        a.region = "us-east-1";
        a.interfaceId = iface;
        a.observed = 130;
        a.severity = "MEDIUM";
        a.title = "Rejected traffic spike on interface " + iface;
        a.evidence =
                "{\"level\":\"interface\",\"rejected_flows\":130,\"attribution\":[{\"value\":\""
                        + attribution
                        + "\",\"count\":130}]}";
        return a;
    }

    void feedChange(NetworkChangeEvent e) throws Exception {
        for (ConfigChangeRejectsInput in : ConfigChangeRejectsInput.ofChange(e)) {
            harness.processElement(in, in.timestamp());
        }
    }

    void feedSpike(Alert a, Set<String> groups) throws Exception {
        for (ConfigChangeRejectsInput in : ConfigChangeRejectsInput.ofSpike(a, groups)) {
            harness.processElement(in, in.timestamp());
        }
    }

    void watermark(int w) throws Exception {
        harness.processWatermark(ms(window(w)));
    }

    @Test
    void firesWhenASpikeNamesTheNetworkAclJustChanged() throws Exception {
        feedChange(denyEntry(ACL, window(6).plusSeconds(280)));
        watermark(7);
        feedSpike(spike(DB_A, 7, "nacl:" + ACL + "#90"), Set.of());
        watermark(8);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.category).isEqualTo("correlated_incident");
        assertThat(a.detector).isEqualTo("config_change_then_rejects");
        assertThat(a.severity).isEqualTo("MEDIUM");
        assertThat(a.windowStart).isEqualTo(ms(window(7)));
        assertThat(a.windowEnd).isEqualTo(ms(window(8)));
        assertThat(a.interfaceId).isEqualTo(DB_A);
        assertThat(a.principalArn).isEqualTo(NETWORK_ADMIN);
        assertThat(a.alertId)
                .isEqualTo(
                        DetectorSupport.alert(
                                        "correlated_incident",
                                        "config_change_then_rejects",
                                        ACL,
                                        ms(window(7)),
                                        0)
                                .alertId);
        assertThat(a.title)
                .isEqualTo(
                        "Network ACL acl-06cc6be1805fdf179 changed: CreateNetworkAclEntry rule 90"
                                + " deny inbound port 5432 from 10.20.11.0/24 by"
                                + " role/flowtrail-network-admin at 2026-11-02T10:34:40Z, then"
                                + " rejected-traffic spike on eni-030a037efd7376ab4 (130 rejected"
                                + " flows)");
        assertThat(a.evidence)
                .contains("\"resource_id\":\"acl-06cc6be1805fdf179\"")
                .contains("\"rule_number\":90")
                .contains("\"seconds_from_change_to_spike_window\":20");
    }

    @Test
    void notForAnotherNetworkAclNorOutsideTheCorrelationWindow() throws Exception {
        feedChange(denyEntry(OTHER_ACL, window(6)));
        feedChange(denyEntry(ACL, window(0)));
        feedSpike(spike(DB_A, 7, "nacl:" + ACL + "#90"), Set.of());
        watermark(20);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void notWhenTheSpikeCameFirst() throws Exception {
        feedSpike(spike(DB_A, 7, "nacl:" + ACL + "#90"), Set.of());
        feedChange(denyEntry(ACL, window(8).plusSeconds(10)));
        watermark(20);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aSecurityGroupChangeNeedsTheInterfacesGroups() throws Exception {
        feedChange(revokeIngress(WEB_SG, window(8).plusSeconds(30)));
        feedSpike(spike(WEB_A3, 8, "sg:no-matching-rule"), Set.of());
        watermark(10);
        assertThat(harness.extractOutputValues()).isEmpty();

        open();
        feedChange(revokeIngress(WEB_SG, window(8).plusSeconds(30)));
        feedSpike(spike(WEB_A3, 8, "sg:no-matching-rule"), Set.of(WEB_SG));
        watermark(10);
        assertThat(alerts(harness))
                .extracting(a -> a.title)
                .singleElement()
                .asString()
                .startsWith(
                        "Security group sg-07ea3ef27e2e90528 changed: RevokeSecurityGroupIngress by");
    }

    @Test
    void aChangeExplainsOneIncidentAndFailedCallsNone() throws Exception {
        NetworkChangeEvent failed = denyEntry(ACL, window(5));
        failed.errorCode = "Client.UnauthorizedOperation";
        feedChange(failed);
        feedSpike(spike(DB_A, 5, "nacl:" + ACL + "#90"), Set.of());
        watermark(6);
        assertThat(harness.extractOutputValues()).isEmpty();

        feedChange(denyEntry(ACL, window(6).plusSeconds(280)));
        feedSpike(spike(DB_A, 7, "nacl:" + ACL + "#90"), Set.of());
        feedSpike(spike("eni-0aaaaaaaaaaaaaaaa", 7, "nacl:" + ACL + "#90"), Set.of());
        feedSpike(spike(DB_A, 12, "nacl:" + ACL + "#90"), Set.of()); // still within 30 minutes
        watermark(20);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).evidence).contains("eni-0aaaaaaaaaaaaaaaa").contains(DB_A);
    }

    @Test
    void theArrivalOrderDoesNotMatter() throws Exception {
        feedChange(denyEntry(ACL, window(6).plusSeconds(280)));
        feedSpike(spike(DB_A, 7, "nacl:" + ACL + "#90"), Set.of());
        watermark(20);
        List<Alert> inOrder = new ArrayList<>(harness.extractOutputValues());

        open();
        feedSpike(spike(DB_A, 7, "nacl:" + ACL + "#90"), Set.of());
        feedChange(denyEntry(ACL, window(6).plusSeconds(280)));
        watermark(20);
        assertThat(inOrder).hasSize(1);
        assertThat(TestKms.columns(harness.extractOutputValues()))
                .containsExactlyElementsOf(TestKms.columns(inOrder));
    }

    @Test
    void stateAndTimersAreGoneAfterwards() throws Exception {
        feedChange(denyEntry(ACL, window(6).plusSeconds(280)));
        feedChange(denyEntry(OTHER_ACL, window(6)));
        feedSpike(spike(DB_A, 7, "nacl:" + ACL + "#90"), Set.of());
        watermark(7);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        watermark(20);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
