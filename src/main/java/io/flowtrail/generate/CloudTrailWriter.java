package io.flowtrail.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.generate.Topology.Eni;
import io.flowtrail.generate.Topology.Role;
import io.flowtrail.generate.Topology.Vpc;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudTrail as a trail delivers it to S3, following sample-logs/generate_cloudtrail.py: one gzip
 * file of {@code {"Records":[...]}} every five minutes, {@code
 * cloudtrail/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16
 * alnum>.json.gz}, stamped with its delivery time and holding the five minutes before (about 2% of
 * the records one file late, as CloudTrail does).
 *
 * <p>Benign: the web role's sessions (named after their instances) call {@code GenerateDataKey} and
 * {@code Decrypt} through their NAT gateway's address, S3 decrypts with SSE-KMS on their behalf,
 * the backup role generates data keys through a KMS interface endpoint, a few batch sessions
 * decrypt exactly twice every five minutes (one of them also with the legacy key that the deletion
 * incident schedules for deletion), EC2 assumes the instance roles; all on the daily rhythm.
 *
 * <p>Incidents ({@code anomalous_key_usage}, named after Flowtrail's KMS detectors): an admin user
 * schedules a key still in use for deletion ({@code kms_key_destruction}; a later use fails with
 * {@code KMSInvalidStateException}); a batch session makes 400 {@code Decrypt} calls in five
 * minutes against a role baseline of 16 ({@code kms_decrypt_burst}); a developer user gets 40
 * {@code AccessDenied} across 8 keys from an unknown address after {@code GetCallerIdentity} and
 * {@code ListKeys} ({@code kms_access_denied_burst}). For {@code key_usage_then_egress}, the burst
 * is made by the session of the instance that uploads in the next window, with the exports key
 * (which one steady session uses every window, so the pair has a history).
 */
final class CloudTrailWriter {
    static final String WEB_ROLE = "flowtrail-gen-web";
    static final String BATCH_ROLE = "flowtrail-gen-batch";
    static final String BACKUP_ROLE = "flowtrail-gen-backup";
    static final String ADMIN_USER = "flowtrail-admin";
    static final String KMS_ENDPOINT = "vpce-0b6f4c1d2e3a49587";
    static final double LATE_SHARE = 0.02;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SDK_JAVA =
            "aws-sdk-java/2.25.60 Linux/6.1.112-124.190.amzn2023.x86_64"
                    + " OpenJDK_64-Bit_Server_VM/17.0.12+7-LTS Java/17.0.12 vendor/Amazon.com_Inc."
                    + " md/internal exec-env/AWS_ECS_EC2 io/sync http/Apache cfg/retry-mode/standard";
    private static final String SDK_GO =
            "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64"
                    + " api/kms#1.35.3";
    private static final String CLI =
            "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.102 md/arch#x86_64"
                    + " lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard";
    private static final String BOTO3 =
            "Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.15.0-1064-aws md/arch#x86_64"
                    + " lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy"
                    + " Botocore/1.34.144";

    private record Event(long time, ObjectNode json) {}

    /** What was written. */
    static final class Counts {
        long records;
        long kms;
        long files;
        long incident;
    }

    private final Topology topo;
    private final Rng rng;
    private final GeneratorOptions o;
    private final List<Incident> incidents;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final List<Eni> batchSessions = new ArrayList<>();
    private final Map<Incident, String> legacyKeys = new LinkedHashMap<>();
    final Counts counts = new Counts();

    CloudTrailWriter(Topology topo, Rng rng, GeneratorOptions o, List<Incident> all) {
        this.topo = topo;
        this.rng = rng;
        this.o = o;
        this.incidents = all.stream().filter(i -> i.kind.source.cloudTrail()).toList();
        for (String alias :
                new String[] {
                    "app-data", "s3-data", "backup", "logs", "secrets", "payments", "ebs", "exports"
                }) {
            keys.put(alias, keyArn(rng.uuid()));
        }
        batchSessions.addAll(topo.kmsSessions());
        bind();
    }

    private static String keyArn(String id) {
        return "arn:aws:kms:" + Topology.REGION + ":" + Topology.ACCOUNT + ":key/" + id;
    }

    private static String roleArn(String role) {
        return "arn:aws:iam::" + Topology.ACCOUNT + ":role/" + role;
    }

    private static String userArn(String user) {
        return "arn:aws:iam::" + Topology.ACCOUNT + ":user/" + user;
    }

    private void bind() {
        for (Incident i : incidents) {
            switch (i.kind) {
                case KMS_KEY_DESTRUCTION:
                    String key = keyArn(rng.uuid());
                    legacyKeys.put(i, key);
                    i.keyArn = key;
                    i.entity = key;
                    i.related.add(userArn(ADMIN_USER));
                    i.related.add("alias/flowtrail-reports-legacy-" + (i.index + 1));
                    i.evidence.put("key_alias", "alias/flowtrail-reports-legacy-" + (i.index + 1));
                    i.evidence.put("principal_arn", userArn(ADMIN_USER));
                    i.evidence.put("pending_window_in_days", 7);
                    break;
                case KEY_USAGE_THEN_EGRESS:
                    i.principalArn = roleArn(BATCH_ROLE);
                    i.keyArn = keys.get("exports");
                    i.related.add(i.principalArn);
                    i.evidence.put("session_name", i.session);
                    i.evidence.put("key_arn", i.keyArn);
                    i.evidence.put("decrypt_calls", burst(i));
                    i.evidence.put("then", "new external destination from the same instance");
                    break;
                case KMS_DECRYPT_BURST:
                    Eni s = batchSessions.get(i.index % batchSessions.size());
                    i.session = s.instanceId;
                    i.principalArn = roleArn(BATCH_ROLE);
                    i.entity = i.principalArn;
                    i.related.add(i.session);
                    i.related.add(
                            "arn:aws:sts::"
                                    + Topology.ACCOUNT
                                    + ":assumed-role/"
                                    + BATCH_ROLE
                                    + "/"
                                    + i.session);
                    i.related.add(keys.get("app-data"));
                    i.evidence.put("session_name", i.session);
                    i.evidence.put("key_arn", keys.get("app-data"));
                    i.evidence.put("decrypt_calls", burst(i));
                    i.evidence.put("baseline_calls_per_window_same_session", 2);
                    break;
                default:
                    String user = "dev-user-" + (i.index + 1);
                    i.principalArn = userArn(user);
                    i.entity = i.principalArn;
                    i.evidence.put("access_denied", 40);
                    i.evidence.put("distinct_keys", 8);
                    i.evidence.put("source_ip", Ip.v4Text(Ip.TEST_NET_3 + 200 + i.index % 50));
            }
        }
    }

    /** Writes every file; {@code rhythm} is the daily rhythm per window (sums to 1). */
    void write(Path root, double[] rhythm) {
        long total = o.cloudTrailRecords();
        List<Event> late = new ArrayList<>();
        for (int w = 0; w < o.windows(); w++) {
            long ws = o.startSeconds() + 300L * w;
            List<Event> events = new ArrayList<>();
            habits(ws, events);
            for (Incident i : incidents) {
                if (i.covers(ws)
                        && (i.kind != IncidentKind.KEY_USAGE_THEN_EGRESS || ws == i.windowStart)) {
                    int before = events.size();
                    incident(i, events);
                    i.trailRecords += events.size() - before;
                    counts.incident += events.size() - before;
                }
                if (i.kind == IncidentKind.KMS_KEY_DESTRUCTION) {
                    legacyUse(i, ws, events);
                }
            }
            long benign = Math.round(total * rhythm[w]) - events.size();
            for (long k = 0; k < benign; k++) {
                benign(ws, events);
            }
            events.sort(Comparator.comparingLong(Event::time));
            List<Event> file = new ArrayList<>(late);
            late.clear();
            boolean last = w == o.windows() - 1;
            for (Event e : events) {
                if (!last && rng.chance(LATE_SHARE)) {
                    late.add(e);
                } else {
                    file.add(e);
                }
            }
            file(root, ws + 300, file);
        }
    }

    // ---- benign

    private void habits(long ws, List<Event> events) {
        for (Eni s : batchSessions) {
            for (int k = 0; k < 2; k++) {
                events.add(decrypt(ws + rng.nextInt(300), s, keys.get("app-data"), "batch"));
            }
        }
        // The exports key: one steady user, so that the batch role has a history with it.
        events.add(
                decrypt(
                        ws + rng.nextInt(300),
                        batchSessions.get(0),
                        keys.get("exports"),
                        "export"));
    }

    private void legacyUse(Incident i, long ws, List<Event> events) {
        Eni s = batchSessions.get(0);
        String key = legacyKeys.get(i);
        if (ws + 300 <= i.time) {
            events.add(decrypt(ws + rng.nextInt(300), s, key, "reports"));
        }
        long failing = i.time + 1500;
        if (failing >= ws && failing < ws + 300) {
            Event e = decrypt(failing, s, key, "reports");
            e.json.put("errorCode", "KMSInvalidStateException");
            e.json.put("errorMessage", key + " is pending deletion.");
            events.add(e);
        }
    }

    private void benign(long ws, List<Event> events) {
        long t = ws + rng.nextInt(300);
        double x = rng.nextDouble();
        Vpc v = topo.vpcs.get(0);
        if (x < 0.55) {
            Eni web = topo.pick(v, Role.WEB, rng);
            ObjectNode id = assumedRole(WEB_ROLE, web.instanceId);
            boolean generate = rng.chance(0.4);
            ObjectNode params = JSON.createObjectNode();
            ObjectNode context = params.putObject("encryptionContext");
            context.put("app", "flowtrail-web");
            context.put("tenant", String.format("t-%04d", 1 + rng.nextInt(60)));
            if (generate) {
                params.put("keySpec", "AES_256");
                params.put("keyId", "alias/flowtrail-app-data");
            } else {
                params.put("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
            }
            events.add(
                    kms(
                            t,
                            id,
                            generate ? "GenerateDataKey" : "Decrypt",
                            natAddress(web),
                            SDK_JAVA,
                            params,
                            keys.get("app-data")));
        } else if (x < 0.75) {
            Eni web = topo.pick(v, Role.WEB, rng);
            ObjectNode id = assumedRole(WEB_ROLE, web.instanceId);
            id.put("invokedBy", "s3.amazonaws.com");
            ObjectNode params = JSON.createObjectNode();
            params.put("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
            params.putObject("encryptionContext")
                    .put("aws:s3:arn", "arn:aws:s3:::flowtrail-gen-app-data");
            events.add(
                    kms(
                            t,
                            id,
                            "Decrypt",
                            "s3.amazonaws.com",
                            "s3.amazonaws.com",
                            params,
                            keys.get("s3-data")));
        } else if (x < 0.87) {
            Eni backup = topo.any(v, Role.BACKUP, rng);
            ObjectNode params = JSON.createObjectNode();
            params.put("keyId", "alias/flowtrail-backup");
            params.put("keySpec", "AES_256");
            params.putObject("encryptionContext").put("purpose", "pg_dump");
            Event e =
                    kms(
                            t,
                            assumedRole(BACKUP_ROLE, backup.instanceId),
                            "GenerateDataKey",
                            Ip.v4Text(backup.v4),
                            SDK_GO,
                            params,
                            keys.get("backup"));
            e.json.put("vpcEndpointId", KMS_ENDPOINT);
            e.json.put("vpcEndpointAccountId", Topology.ACCOUNT);
            events.add(e);
        } else {
            Eni web = topo.pick(v, Role.WEB, rng);
            ObjectNode id = JSON.createObjectNode();
            id.put("type", "AWSService");
            id.put("invokedBy", "ec2.amazonaws.com");
            ObjectNode params = JSON.createObjectNode();
            params.put("roleArn", roleArn(WEB_ROLE));
            params.put("roleSessionName", web.instanceId);
            ObjectNode e =
                    record(
                            t,
                            id,
                            "sts.amazonaws.com",
                            "AssumeRole",
                            "ec2.amazonaws.com",
                            "ec2.amazonaws.com",
                            params);
            e.putArray("resources")
                    .addObject()
                    .put("accountId", Topology.ACCOUNT)
                    .put("type", "AWS::IAM::Role")
                    .put("ARN", roleArn(WEB_ROLE));
            tail(e, true, false);
            events.add(new Event(t, e));
        }
    }

    // ---- incidents

    private void incident(Incident i, List<Event> events) {
        long t = i.time;
        switch (i.kind) {
            case KMS_KEY_DESTRUCTION:
                {
                    ObjectNode admin = iamUser(ADMIN_USER);
                    String key = legacyKeys.get(i);
                    String alias = "alias/flowtrail-reports-legacy-" + (i.index + 1);
                    String ip = Ip.v4Text(Ip.TEST_NET_2 + 10);
                    ObjectNode p1 = JSON.createObjectNode().put("keyId", alias);
                    events.add(kms(t - 47, admin, "DescribeKey", ip, CLI, p1, key));
                    Event list =
                            kms(t - 23, iamUser(ADMIN_USER), "ListAliases", ip, CLI, null, null);
                    events.add(list);
                    ObjectNode p2 =
                            JSON.createObjectNode()
                                    .put("keyId", key.substring(key.lastIndexOf('/') + 1))
                                    .put("pendingWindowInDays", 7);
                    Event schedule =
                            kms(t, iamUser(ADMIN_USER), "ScheduleKeyDeletion", ip, CLI, p2, key);
                    schedule.json.put("readOnly", false);
                    ObjectNode response = JSON.createObjectNode();
                    response.put("keyId", key);
                    response.put("keyState", "PendingDeletion");
                    response.put("deletionDate", Instant.ofEpochSecond(t + 7 * 86400).toString());
                    response.put("pendingWindowInDays", 7);
                    schedule.json.set("responseElements", response);
                    events.add(schedule);
                    i.evidence.put("event_time", Instant.ofEpochSecond(t).toString());
                    break;
                }
            case KMS_DECRYPT_BURST:
            case KEY_USAGE_THEN_EGRESS:
                {
                    boolean composite = i.kind == IncidentKind.KEY_USAGE_THEN_EGRESS;
                    Eni s =
                            composite
                                    ? i.target
                                    : batchSessions.get(i.index % batchSessions.size());
                    String key = composite ? i.keyArn : keys.get("app-data");
                    long ws = i.windowStart;
                    for (int k = 0; k < burst(i); k++) {
                        Event e = decrypt(ws + rng.nextInt(300), s, key, "batch");
                        ((ObjectNode) e.json.get("requestParameters").get("encryptionContext"))
                                .put("tenant", String.format("t-%04d", 1 + k % 60));
                        events.add(e);
                    }
                    break;
                }
            default:
                {
                    String user = "dev-user-" + (i.index + 1);
                    String ip = Ip.v4Text(Ip.TEST_NET_3 + 200 + i.index % 50);
                    long ws = i.windowStart;
                    ObjectNode who = iamUser(user);
                    ObjectNode caller =
                            record(
                                    ws + 2,
                                    who,
                                    "sts.amazonaws.com",
                                    "GetCallerIdentity",
                                    ip,
                                    BOTO3,
                                    null);
                    tail(caller, true, false);
                    events.add(new Event(ws + 2, caller));
                    events.add(
                            kms(
                                    ws + 9,
                                    iamUser(user),
                                    "ListKeys",
                                    ip,
                                    BOTO3,
                                    JSON.createObjectNode().put("limit", 100),
                                    null));
                    List<String> targets = new ArrayList<>(keys.values());
                    while (targets.size() < 8) {
                        targets.add(keyArn(rng.uuid()));
                    }
                    int n = 0;
                    for (int k = 0; k < 8; k++) {
                        String key = targets.get(k);
                        for (int c = 0; c < 5; c++) {
                            String name = n++ % 5 < 3 ? "Decrypt" : "DescribeKey";
                            ObjectNode params = JSON.createObjectNode();
                            if (name.equals("Decrypt")) {
                                params.put("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
                            }
                            params.put("keyId", key);
                            Event e =
                                    kms(
                                            ws + 20 + rng.nextInt(270),
                                            iamUser(user),
                                            name,
                                            ip,
                                            BOTO3,
                                            params,
                                            key);
                            e.json.put("errorCode", "AccessDenied");
                            e.json.put(
                                    "errorMessage",
                                    "User: "
                                            + userArn(user)
                                            + " is not authorized to perform: kms:"
                                            + name
                                            + " on resource: "
                                            + key
                                            + " because no identity-based policy allows the kms:"
                                            + name
                                            + " action");
                            events.add(e);
                        }
                    }
                }
        }
    }

    /**
     * Calls of a decrypt burst: 400, doubling with each repetition, because the detector ignores a
     * burst no larger than 1.5 times the pair's peak of the last days (a job it already ran).
     */
    static int burst(Incident i) {
        return 400 << Math.min(i.index, 6);
    }

    // ---- records

    private Event decrypt(long t, Eni session, String key, String purpose) {
        ObjectNode params = JSON.createObjectNode();
        params.put("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
        params.putObject("encryptionContext").put("app", "flowtrail-" + purpose);
        return kms(
                t,
                assumedRole(BATCH_ROLE, session.instanceId),
                "Decrypt",
                natAddress(session),
                SDK_JAVA,
                params,
                key);
    }

    private String natAddress(Eni e) {
        return Ip.v4Text(topo.nat(e).publicV4);
    }

    private Event kms(
            long t,
            ObjectNode identity,
            String name,
            String sourceIp,
            String userAgent,
            ObjectNode params,
            String keyArn) {
        ObjectNode e = record(t, identity, "kms.amazonaws.com", name, sourceIp, userAgent, params);
        if (keyArn != null) {
            e.putArray("resources")
                    .addObject()
                    .put("accountId", Topology.ACCOUNT)
                    .put("type", "AWS::KMS::Key")
                    .put("ARN", keyArn);
        }
        tail(e, true, true);
        counts.kms++;
        return new Event(t, e);
    }

    private ObjectNode record(
            long t,
            ObjectNode identity,
            String source,
            String name,
            String sourceIp,
            String userAgent,
            ObjectNode params) {
        ObjectNode e = JSON.createObjectNode();
        e.put("eventVersion", "1.11");
        e.set("userIdentity", identity);
        e.put("eventTime", Instant.ofEpochSecond(t).toString());
        e.put("eventSource", source);
        e.put("eventName", name);
        e.put("awsRegion", Topology.REGION);
        e.put("sourceIPAddress", sourceIp);
        e.put("userAgent", userAgent);
        if (params == null) {
            e.putNull("requestParameters");
        } else {
            e.set("requestParameters", params);
        }
        e.putNull("responseElements");
        e.put("requestID", rng.uuid());
        e.put("eventID", rng.uuid());
        e.put("readOnly", true);
        return e;
    }

    private static void tail(ObjectNode e, boolean management, boolean kmsTls) {
        e.put("eventType", "AwsApiCall");
        e.put("managementEvent", management);
        e.put("recipientAccountId", Topology.ACCOUNT);
        e.put("eventCategory", "Management");
        if (kmsTls) {
            e.putObject("tlsDetails")
                    .put("tlsVersion", "TLSv1.3")
                    .put("cipherSuite", "TLS_AES_128_GCM_SHA256")
                    .put("clientProvidedHostHeader", "kms." + Topology.REGION + ".amazonaws.com");
        }
    }

    private ObjectNode assumedRole(String role, String session) {
        String principal = "AROA" + roleKey(role);
        ObjectNode id = JSON.createObjectNode();
        id.put("type", "AssumedRole");
        id.put("principalId", principal + ":" + session);
        id.put("arn", "arn:aws:sts::" + Topology.ACCOUNT + ":assumed-role/" + role + "/" + session);
        id.put("accountId", Topology.ACCOUNT);
        id.put("accessKeyId", "ASIA" + accessKey(role + session));
        ObjectNode ctx = id.putObject("sessionContext");
        ctx.putObject("sessionIssuer")
                .put("type", "Role")
                .put("principalId", principal)
                .put("arn", roleArn(role))
                .put("accountId", Topology.ACCOUNT)
                .put("userName", role);
        ctx.putObject("attributes")
                .put("creationDate", Instant.ofEpochSecond(o.startSeconds() - 1133).toString())
                .put("mfaAuthenticated", "false");
        ctx.put("ec2RoleDelivery", "2.0");
        return id;
    }

    private static ObjectNode iamUser(String user) {
        ObjectNode id = JSON.createObjectNode();
        id.put("type", "IAMUser");
        id.put("principalId", "AIDA" + roleKey(user));
        id.put("arn", userArn(user));
        id.put("accountId", Topology.ACCOUNT);
        id.put("accessKeyId", "AKIA" + accessKey(user));
        id.put("userName", user);
        return id;
    }

    private static String roleKey(String name) {
        return accessKey("principal:" + name);
    }

    /** 16 characters of a stable key id derived from a name. */
    private static String accessKey(String name) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        long h = Ip.mix(name.hashCode() * 0x9e3779b97f4a7c15L + name.length());
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append(chars.charAt((int) ((h >>> (i * 4)) & 31)));
            if (i == 11) {
                h = Ip.mix(h);
            }
        }
        return sb.toString();
    }

    private void file(Path root, long delivered, List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(delivered, 0, ZoneOffset.UTC);
        Path dir =
                root.resolve("cloudtrail")
                        .resolve("AWSLogs")
                        .resolve(Topology.ACCOUNT)
                        .resolve("CloudTrail")
                        .resolve(Topology.REGION)
                        .resolve(String.format("%04d", t.getYear()))
                        .resolve(String.format("%02d", t.getMonthValue()))
                        .resolve(String.format("%02d", t.getDayOfMonth()));
        String name =
                String.format(
                        "%s_CloudTrail_%s_%04d%02d%02dT%02d%02dZ_%s.json.gz",
                        Topology.ACCOUNT,
                        Topology.REGION,
                        t.getYear(),
                        t.getMonthValue(),
                        t.getDayOfMonth(),
                        t.getHour(),
                        t.getMinute(),
                        rng.alnum(16));
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode records = doc.putArray("Records");
        for (Event e : events) {
            records.add(e.json);
        }
        try {
            Files.createDirectories(dir);
            try (OutputStream out =
                    FlowLogWriter.fastGzip(
                            new BufferedOutputStream(
                                    Files.newOutputStream(dir.resolve(name)), 1 << 16))) {
                JSON.writeValue(new NonClosing(out), doc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(name) + ": cannot write", e);
        }
        counts.files++;
        counts.records += events.size();
    }

    /** Jackson closes the stream it writes to; the gzip trailer must be written by us. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
