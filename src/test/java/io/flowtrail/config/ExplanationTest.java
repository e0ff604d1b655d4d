package io.flowtrail.config;

import static io.flowtrail.config.Flows.flow;
import static io.flowtrail.config.TestNetwork.A;
import static io.flowtrail.config.TestNetwork.ANYWHERE;
import static io.flowtrail.config.TestNetwork.CLIENT;
import static io.flowtrail.config.TestNetwork.SUBNET_A;
import static io.flowtrail.config.TestNetwork.inbound;
import static io.flowtrail.config.TestNetwork.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the {@code explain} command prints: rule by rule, in words a security engineer reads. */
class ExplanationTest {
    private static final TestNetwork NET =
            TestNetwork.standard()
                    .group("sg-web", tcp(443).from(ANYWHERE), tcp(22).from("10.0.0.0/8"))
                    .customNacl(
                            "acl-0web",
                            SUBNET_A,
                            inbound(90).deny().allTraffic().from("192.0.2.66/32"),
                            inbound(100).allow().tcp(443).from(ANYWHERE),
                            inbound(110).allow().tcp(1024, 65535).from(ANYWHERE));

    private static Explanation explain(Flows flow) {
        Explanation trace = new Explanation();
        NET.evaluator().evaluate(flow.record(), trace);
        return trace;
    }

    @Test
    void anAclDenyListsTheEntriesInOrderUpToTheDecidingOne() {
        Explanation trace =
                explain(flow().from(CLIENT, 51000).to(A, 3389).syn().ingress().rejected());

        assertThat(trace.lines())
                .containsSubsequence(
                        "Read as a new request: tcp-flags 2 include SYN without ACK, a connection attempt.",
                        "Network ACL acl-0web of subnet subnet-0a, inbound entries for IPv4, lowest rule number"
                                + " first (the first match decides):",
                        "  #90 deny all traffic from 192.0.2.66/32 -- no: source 198.51.100.7 is not in 192.0.2.66/32.",
                        "  #100 allow TCP port 443 from 0.0.0.0/0 -- no: destination port 3389 is not 443.",
                        "  #110 allow TCP ports 1024-65535 from 0.0.0.0/0 -- MATCHES: allow.",
                        "  => allowed inbound by acl-0web entry #110; later entries are not evaluated.",
                        "  sg-web/ingress/0: TCP port 443 from 0.0.0.0/0 -- no: port 3389 is not 443.",
                        "  sg-web/ingress/1: TCP port 22 from 10.0.0.0/8 -- no: port 3389 is not 22.",
                        "Verdict of the configuration: DENY (sg:no-matching-rule).",
                        "The flow log says REJECT, as the configuration does. Attributed to: sg:no-matching-rule.");
    }

    @Test
    void anAllowNamesTheMatchingRule() {
        Explanation trace = explain(flow().from("10.0.5.5", 51000).to(A, 443).syn().ingress());

        assertThat(trace.lines())
                .containsSubsequence(
                        "  sg-web/ingress/0: TCP port 443 from 0.0.0.0/0 -- MATCHES: allows.",
                        "  sg-web/ingress/1: TCP port 22 from 10.0.0.0/8 -- no: port 443 is not 22.",
                        "Verdict of the configuration: ALLOW (sg:sg-web/ingress/0).",
                        "The flow log says ACCEPT.");
    }

    @Test
    void theDefaultDenyIsCalledTheStarEntry() {
        Explanation trace =
                explain(flow().udp().from(CLIENT, 51000).to(A, 53).ingress().rejected());

        assertThat(trace.lines())
                .contains(
                        "  #* (32767) deny all traffic from 0.0.0.0/0 -- MATCHES: deny (the final \"*\" entry:"
                                + " nothing else matched).",
                        "Security groups: not reached; the network ACL dropped the packets first.");
    }

    @Test
    void aRejectTheConfigurationAllowsSaysWhyItIsUnattributed() {
        Explanation trace =
                explain(flow().from(CLIENT, 51000).to(A, 443).syn().ingress().rejected());

        assertThat(trace.lines().get(trace.lines().size() - 1))
                .startsWith(
                        "The flow log says REJECT, but the configuration in force allows this flow.");
    }

    @Test
    void anUnknownInterfaceIsSaid() {
        Explanation trace = explain(flow().on("eni-gone").from(CLIENT).to(A, 443).ingress());

        assertThat(trace.lines())
                .contains("Interface eni-gone is not in the configuration snapshot.");
    }
}
