package io.flowtrail.config;

import static io.flowtrail.config.Flows.flow;
import static io.flowtrail.config.TestNetwork.A;
import static io.flowtrail.config.TestNetwork.ANYWHERE;
import static io.flowtrail.config.TestNetwork.A_V6;
import static io.flowtrail.config.TestNetwork.CLIENT;
import static io.flowtrail.config.TestNetwork.SUBNET_A;
import static io.flowtrail.config.TestNetwork.SUBNET_B;
import static io.flowtrail.config.TestNetwork.allTraffic;
import static io.flowtrail.config.TestNetwork.icmp;
import static io.flowtrail.config.TestNetwork.inbound;
import static io.flowtrail.config.TestNetwork.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowtrail.model.FlowRecord;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-flow path allocates nothing when no explanation is asked for: every path (ACL deny, group
 * allow and deny, responses by flags and by ports, ICMP, IPv6, referenced groups, unknown
 * interfaces) measured with the JVM's per-thread allocation counter.
 */
class EvaluatorAllocationTest {
    @Test
    void evaluatingAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(
                bean instanceof com.sun.management.ThreadMXBean,
                "needs per-thread allocation counts");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(
                threads.isThreadAllocatedMemorySupported()
                        && threads.isThreadAllocatedMemoryEnabled());

        TestNetwork net =
                TestNetwork.standard()
                        .networkInterface("eni-B", SUBNET_B, List.of("10.0.2.5"), "sg-app")
                        .group("sg-app")
                        .managedPrefixList("pl-0x", "partners", "192.0.2.0/24")
                        .group(
                                "sg-web",
                                tcp(443).from(ANYWHERE),
                                tcp(5432).from("sg-app"),
                                tcp(8443).from("pl-0x"),
                                icmp(8, -1).from(ANYWHERE),
                                allTraffic().to(ANYWHERE))
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(90).deny().allTraffic().from("203.0.113.0/24"),
                                inbound(100).allow().allTraffic().from(ANYWHERE),
                                inbound(110).allow().allTraffic().from("::/0"));
        FlowEvaluator evaluator = net.evaluator();
        List<FlowRecord> flows =
                List.of(
                        flow().from(CLIENT).to(A, 443).syn().ingress().record(),
                        flow().from(CLIENT).to(A, 22).syn().ingress().rejected().record(),
                        flow().from("203.0.113.5").to(A, 443).syn().ingress().rejected().record(),
                        flow().from("10.0.2.5").to(A, 5432).syn().ingress().record(),
                        flow().from("192.0.2.9").to(A, 8443).ingress().record(),
                        flow().from(A, 443).to(CLIENT, 51000).synAck().egress().record(),
                        flow().from(CLIENT, 443).to(A, 51000).flags(0).record(),
                        flow().udp().from(A, 40000).to(CLIENT, 40001).egress().record(),
                        flow().icmp().from(CLIENT).to(A).ingress().record(),
                        flow().icmp().from(A).to(CLIENT).egress().record(),
                        flow().from("2001:db8:ffff::1").to(A_V6, 443).syn().ingress().record(),
                        flow().on("eni-unknown").from(CLIENT).to(A, 443).record());
        for (int i = 0; i < 20_000; i++) {
            evaluator.evaluate(flows.get(i % flows.size()));
        }
        long thread = Thread.currentThread().getId();

        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            evaluator.evaluate(flows.get(i % flows.size()));
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // Slack for the JVM's own (JIT, safepoint bookkeeping on a busy machine: up to a few KB
        // seen); one allocation per flow would be 1.6 MB or more over these evaluations.
        assertThat(allocated).isLessThan(64 * 1024);
    }
}
