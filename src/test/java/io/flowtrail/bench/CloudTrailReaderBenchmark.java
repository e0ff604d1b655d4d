package io.flowtrail.bench;

import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.parse.CloudTrailReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * KMS events per second of {@link CloudTrailReader}, one thread, on an S3 trail file held in memory
 * without gzip: {@value #RECORDS} records as CloudTrail writes them ({@code {"Records":[...]}} on
 * one line), of which {@value #KMS} are KMS calls (Decrypt and GenerateDataKey by instance-role
 * sessions, S3 on a role's behalf, a service principal, calls through a VPC endpoint, a few
 * AccessDenied) and the rest STS, S3 and EC2 events that are skipped. The whole file is read per
 * invocation, so the score counts everything the reader does (JSON, interning, key and principal
 * resolution, the model objects). Run with {@code bench/run-jmh.sh CloudTrailReaderBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CloudTrailReaderBenchmark {
    static final int RECORDS = 10_000;
    static final int KMS = 9_500;

    byte[] file;

    @Setup
    public void setup() throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        StringBuilder sb = new StringBuilder(RECORDS * 1600);
        sb.append("{\"Records\":[");
        for (int i = 0; i < RECORDS; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(i % 20 == 19 ? other(i, rnd) : kms(i, rnd));
        }
        sb.append("]}");
        file = sb.toString().getBytes(StandardCharsets.UTF_8);
        int kms = 0;
        try (CloudTrailReader reader =
                new CloudTrailReader(new ByteArrayInputStream(file), "bench")) {
            for (CloudTrailEvent e = reader.next(); e != null; e = reader.next()) {
                if (!e.isKms()) {
                    throw new IllegalStateException("not a KMS event: " + e);
                }
                kms++;
            }
        }
        if (kms != KMS) {
            throw new IllegalStateException(kms + " KMS events, expected " + KMS);
        }
    }

    @Benchmark
    @OperationsPerInvocation(KMS)
    public void readKmsEvents(Blackhole bh) throws IOException {
        try (CloudTrailReader reader =
                new CloudTrailReader(new ByteArrayInputStream(file), "bench")) {
            for (CloudTrailEvent e = reader.next(); e != null; e = reader.next()) {
                bh.consume(e);
            }
        }
    }

    private static String time(int i) {
        int second = i * 3600 / RECORDS;
        return String.format("2026-11-02T10:%02d:%02dZ", second / 60, second % 60);
    }

    private static String uuid(SplittableRandom rnd) {
        return String.format(
                "%08x-%04x-4%03x-8%03x-%012x",
                rnd.nextInt(),
                rnd.nextInt(65536),
                rnd.nextInt(4096),
                rnd.nextInt(4096),
                rnd.nextLong(1L << 48));
    }

    private static String kms(int i, SplittableRandom rnd) {
        String key =
                String.format(
                        "arn:aws:kms:us-east-1:111122223333:key/%08x-12ab-34cd-56ef-1234567890ab",
                        rnd.nextInt(12));
        int kind = rnd.nextInt(10);
        String identity;
        String source;
        String agent;
        String extra = "";
        if (kind < 5) {
            String session = String.format("i-0%016x", 0x1000 + rnd.nextInt(40));
            String role = kind < 3 ? "flowtrail-sample-web" : "flowtrail-sample-batch";
            identity = assumedRole(role, session) + ",\"ec2RoleDelivery\":\"2.0\"}";
            source = "192.0.2." + (10 + rnd.nextInt(4));
            agent = "aws-sdk-java/2.25.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/17";
            extra =
                    ",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":"
                            + "\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":"
                            + "\"kms.us-east-1.amazonaws.com\"}";
        } else if (kind < 8) {
            identity =
                    assumedRole("flowtrail-sample-app", "app-" + rnd.nextInt(8))
                            + "},\"invokedBy\":\"s3.amazonaws.com\"";
            source = "s3.amazonaws.com";
            agent = "s3.amazonaws.com";
        } else if (kind < 9) {
            identity = assumedRole("flowtrail-sample-backup", "backup") + "}";
            source = "10.20.20.50";
            agent = "aws-cli/2.15.0";
            extra =
                    ",\"vpcEndpointId\":\"vpce-0b6f4c1d2e3a49587\",\"vpcEndpointAccountId\":\"111122223333\"";
        } else {
            identity = "{\"type\":\"AWSService\",\"invokedBy\":\"s3.amazonaws.com\"";
            source = "s3.amazonaws.com";
            agent = "s3.amazonaws.com";
        }
        String name = rnd.nextInt(3) == 0 ? "GenerateDataKey" : "Decrypt";
        String error =
                rnd.nextInt(100) == 0
                        ? "\"errorCode\":\"AccessDenied\",\"errorMessage\":\"User is not"
                                + " authorized to perform: kms:Decrypt\","
                        : "";
        return "{\"eventVersion\":\"1.11\",\"userIdentity\":"
                + identity
                + "},\"eventTime\":\""
                + time(i)
                + "\",\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\""
                + name
                + "\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\""
                + source
                + "\",\"userAgent\":\""
                + agent
                + "\","
                + error
                + "\"requestParameters\":{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\","
                + "\"encryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::flowtrail-app-data/"
                + "objects/2026/11/02/"
                + uuid(rnd)
                + ".json\"}"
                + (name.equals("GenerateDataKey") ? ",\"keySpec\":\"AES_256\"" : "")
                + (rnd.nextBoolean() ? ",\"keyId\":\"" + key + "\"" : "")
                + "},\"responseElements\":null,\"requestID\":\""
                + uuid(rnd)
                + "\",\"eventID\":\""
                + uuid(rnd)
                + "\",\"readOnly\":true,\"resources\":[{\"accountId\":\"111122223333\","
                + "\"type\":\"AWS::KMS::Key\",\"ARN\":\""
                + key
                + "\"}],\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
                + "\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\""
                + extra
                + "}";
    }

    private static String assumedRole(String role, String session) {
        return "{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLE"
                + role.length()
                + ":"
                + session
                + "\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/"
                + role
                + "/"
                + session
                + "\",\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLE"
                + role.length()
                + "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":"
                + "\"AROAEXAMPLE"
                + role.length()
                + "\",\"arn\":\"arn:aws:iam::111122223333:role/"
                + role
                + "\",\"accountId\":\"111122223333\",\"userName\":\""
                + role
                + "\"},\"attributes\":{\"creationDate\":\"2026-11-02T09:00:00Z\","
                + "\"mfaAuthenticated\":\"false\"}";
    }

    private static String other(int i, SplittableRandom rnd) {
        String[] names = {"AssumeRole", "GetObject", "DescribeInstances"};
        String[] sources = {"sts.amazonaws.com", "s3.amazonaws.com", "ec2.amazonaws.com"};
        int k = rnd.nextInt(3);
        return "{\"eventVersion\":\"1.11\",\"userIdentity\":"
                + assumedRole("flowtrail-sample-web", "i-0" + Integer.toHexString(i))
                + "}},\"eventTime\":\""
                + time(i)
                + "\",\"eventSource\":\""
                + sources[k]
                + "\",\"eventName\":\""
                + names[k]
                + "\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"192.0.2.10\","
                + "\"userAgent\":\"aws-cli/2.15.0\",\"requestParameters\":{\"bucketName\":"
                + "\"flowtrail-app-data\",\"key\":\"objects/"
                + i
                + "\"},\"responseElements\":null,\"eventID\":\""
                + uuid(rnd)
                + "\",\"readOnly\":true,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
                + "\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\"}";
    }
}
