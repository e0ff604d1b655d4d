package io.flowtrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.support.SampleLogs;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code explain} on sample-logs flows, before, during and after the NACL change. */
class ExplainCommandTest {
    static final String V5_FORMAT =
            "version account-id vpc-id subnet-id instance-id interface-id type srcaddr dstaddr srcport"
                    + " dstport pkt-srcaddr pkt-dstaddr protocol packets bytes start end action tcp-flags"
                    + " log-status region az-id sublocation-type sublocation-id pkt-src-aws-service"
                    + " pkt-dst-aws-service flow-direction traffic-path";

    /** web-b1 connecting to db-a's PostgreSQL, on db-a's interface, starting at {@code start}. */
    static String flow(long start, String action) {
        return "5 111122223333 vpc-0f1a2b3c4d5e6f701 subnet-0b2609a0bdd2b7550 i-015c0e0b73abb1e85"
                + " eni-030a037efd7376ab4 IPv4 10.20.11.11 10.20.20.10 40620 5432 10.20.11.11 10.20.20.10"
                + " 6 2 120 "
                + start
                + " "
                + (start + 30)
                + " "
                + action
                + " 2 OK us-east-1 use1-az4 - - - - ingress -";
    }

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int explain(String record) {
        return Main.run(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "explain",
                "--config",
                SampleLogs.DIR.resolve("config").toString(),
                "--flow-format",
                V5_FORMAT,
                "--flow",
                record);
    }

    @Test
    void aFlowTheNaclChangeRejectsNamesTheEntryNumber() {
        int code = explain(flow(1793615760L, "REJECT")); // 10:36
        assertThat(code).isZero();
        assertThat(out.toString())
                .contains("2026-11-02T10:35:00Z")
                .contains("#90 deny TCP port 5432 from 10.20.11.0/24 -- MATCHES: deny.")
                .contains("nacl:acl-06cc6be1805fdf179#90");
    }

    @Test
    void theSameFlowBeforeTheChangeIsAllowedBySecurityGroupRule() {
        int code = explain(flow(1793614800L, "ACCEPT")); // 10:20
        assertThat(code).isZero();
        assertThat(out.toString())
                .contains("2026-11-02T09:00:00Z")
                .doesNotContain("#90 deny")
                .contains("ALLOW");
    }

    @Test
    void anUnreadableRecordExitsTwo() {
        int code = explain("2 111122223333 eni-1 10.0.0.1");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("flowtrail: --flow: not a record of the format");
    }

    @Test
    void anInvalidConfigFileExitsTwoNamingFileAndJsonPath() throws Exception {
        java.nio.file.Path dir =
                java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("target"), "cfg");
        java.nio.file.Files.writeString(
                dir.resolve("sg.json"),
                "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\","
                        + " \"FromPort\": \"x\"}]}]}");
        int code =
                Main.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "explain",
                        "--config",
                        dir.toString(),
                        "--flow",
                        "2 111122223333 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1793615760 1793615761 ACCEPT OK");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(dir.resolve("sg.json").toString()).contains("FromPort");
    }
}
