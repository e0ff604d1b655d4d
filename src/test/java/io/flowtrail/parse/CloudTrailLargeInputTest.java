package io.flowtrail.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.CloudTrailEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A log file far larger than anything kept in memory, made on the fly and never materialised:
 * reading it must not grow the heap with the file.
 */
class CloudTrailLargeInputTest {
    private static final int RECORDS = 300_000;
    private static final long MAX_GROWTH_BYTES = 64L << 20;

    @Test
    void aHugeLogFileIsReadWithFlatMemory() throws IOException {
        long baseline = usedHeapAfterGc();
        long maxGrowth = 0;
        long kms = 0;
        long other = 0;
        try (CloudTrailReader reader =
                new CloudTrailReader(new GeneratedLogFile(RECORDS, false), "generated")) {
            long n = 0;
            for (CloudTrailEvent e = reader.next(); e != null; e = reader.next()) {
                assertThat(e.isKms()).as("%s", e).isTrue();
                kms++;
                if (++n % 100_000 == 0) {
                    maxGrowth = Math.max(maxGrowth, usedHeapAfterGc() - baseline);
                }
            }
            other = reader.otherEventsSkipped();
            assertThat(reader.recordsRead()).isEqualTo(RECORDS);
        }
        assertThat(kms).isEqualTo(RECORDS - RECORDS / 10);
        assertThat(other).isEqualTo(RECORDS / 10);
        assertThat(maxGrowth).isLessThan(MAX_GROWTH_BYTES);
    }

    @Test
    void hugeJsonLinesAreReadWithFlatMemoryToo() throws IOException {
        long baseline = usedHeapAfterGc();
        long maxGrowth = 0;
        long kms = 0;
        try (CloudTrailReader reader =
                new CloudTrailReader(new GeneratedLogFile(RECORDS / 2, true), "generated")) {
            for (CloudTrailEvent e = reader.next(); e != null; e = reader.next()) {
                if (++kms % 50_000 == 0) {
                    maxGrowth = Math.max(maxGrowth, usedHeapAfterGc() - baseline);
                }
            }
        }
        assertThat(kms).isEqualTo(RECORDS / 2 - RECORDS / 20);
        assertThat(maxGrowth).isLessThan(MAX_GROWTH_BYTES);
    }

    /**
     * Used heap once garbage is collected. {@code System.gc()} is a request: asking a few times and
     * keeping the lowest reading makes the measure robust without making the bound tight.
     */
    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            min = Math.min(min, rt.totalMemory() - rt.freeMemory());
        }
        return min;
    }

    /**
     * {@code {"Records":[...]}} (or one record per line) of realistic records, produced a record at
     * a time as the reader asks for bytes: every tenth an S3 event, the rest KMS calls by a few
     * hundred principals on a few dozen keys.
     */
    static final class GeneratedLogFile extends InputStream {
        private final int records;
        private final boolean lines;
        private int next;
        private byte[] chunk;
        private int pos;
        private boolean opened;
        private boolean closed;

        GeneratedLogFile(int records, boolean lines) {
            this.records = records;
            this.lines = lines;
            this.chunk = new byte[0];
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == chunk.length && !refill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean refill() {
            String text;
            if (!opened) {
                opened = true;
                text = lines ? "" : "{\"Records\":[";
            } else if (next < records) {
                int i = next++;
                String sep = lines ? "\n" : (i + 1 < records ? "," : "");
                text = record(i) + sep;
            } else if (!closed) {
                closed = true;
                text = lines ? "" : "]}";
            } else {
                return false;
            }
            chunk = text.getBytes(StandardCharsets.UTF_8);
            pos = 0;
            return true;
        }

        static String record(int i) {
            int second = i % 3600;
            String time =
                    String.format(
                            "2026-11-02T10:%02d:%02d.%03dZ", second / 60, second % 60, i % 1000);
            String session = String.format("i-%017x", 0x1000 + i % 300);
            String key =
                    String.format(
                            "arn:aws:kms:us-east-1:111122223333:key/%08x-12ab-34cd-56ef-1234567890ab",
                            i % 40);
            String source = i % 10 == 9 ? "s3.amazonaws.com" : "kms.amazonaws.com";
            String name = i % 10 == 9 ? "GetObject" : i % 3 == 0 ? "GenerateDataKey" : "Decrypt";
            return "{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"AssumedRole\","
                    + "\"principalId\":\"AROAEXAMPLEAPPROLE01:"
                    + session
                    + "\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/flowtrail-sample-app/"
                    + session
                    + "\",\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLE"
                    + (i % 997)
                    + "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":"
                    + "\"AROAEXAMPLEAPPROLE01\",\"arn\":\"arn:aws:iam::111122223333:role/"
                    + "flowtrail-sample-app\",\"accountId\":\"111122223333\",\"userName\":"
                    + "\"flowtrail-sample-app\"},\"attributes\":{\"creationDate\":"
                    + "\"2026-11-02T09:00:00Z\",\"mfaAuthenticated\":\"false\"},\"ec2RoleDelivery\":"
                    + "\"2.0\"}},\"eventTime\":\""
                    + time
                    + "\",\"eventSource\":\""
                    + source
                    + "\",\"eventName\":\""
                    + name
                    + "\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"192.0.2."
                    + (10 + i % 4)
                    + "\",\"userAgent\":\"aws-sdk-java/2.25.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/17\","
                    + "\"requestParameters\":{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\","
                    + "\"encryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::flowtrail-app-data/"
                    + "objects/"
                    + i
                    + ".json\"},\"keyId\":\""
                    + key
                    + "\"},\"responseElements\":null,\"requestID\":\"req-"
                    + i
                    + "\",\"eventID\":\"evt-"
                    + i
                    + "\",\"readOnly\":true,\"resources\":[{\"accountId\":\"111122223333\","
                    + "\"type\":\"AWS::KMS::Key\",\"ARN\":\""
                    + key
                    + "\"}],\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
                    + "\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\","
                    + "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":"
                    + "\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":"
                    + "\"kms.us-east-1.amazonaws.com\"}}";
        }
    }
}
