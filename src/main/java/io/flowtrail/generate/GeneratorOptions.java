package io.flowtrail.generate;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What to generate. Validated by {@link #validate}, which names the option and the bad value in an
 * {@link IllegalArgumentException}.
 */
public final class GeneratorOptions {
    /** Which flow-log formats the interfaces are logged in. */
    public enum Format {
        /** Every interface in one version-2 (default format) flow log. */
        DEFAULT,
        /** Every interface in one version-5 custom-format flow log. */
        V5,
        /**
         * As in sample-logs/: public and app subnets in a default-format log, data subnets and NAT
         * gateways in a version-5 log.
         */
        BOTH
    }

    public Path out;

    /** Flow-log records written (lines without the header lines), incidents included. */
    public long records = 1_000_000;

    /** Network interfaces; 0 picks one for the number of records (see {@link #interfaces()}). */
    public int interfaces;

    public long seed = 20261128L;
    public Instant start = Instant.parse("2026-11-02T00:00:00Z");
    public int hours = 24;
    public Format format = Format.BOTH;
    public boolean gzip = true;

    /** Incidents to inject, as {@link IncidentPlan#parse} reads them. */
    public String incidents = "all";

    /** CloudTrail records; -1 picks one for the number of flow records. */
    public long cloudTrailRecords = -1;

    /** Records per interface and day that the default number of interfaces aims at. */
    static final long RECORDS_PER_INTERFACE = 5_000;

    static final int MIN_INTERFACES = 30;
    static final int MAX_INTERFACES = 200_000;

    /** Network interfaces to generate: the option, or one per 5,000 records a day, 60 to 50,000. */
    public int interfaces() {
        if (interfaces > 0) {
            return interfaces;
        }
        long perDay = records * 24 / Math.max(1, hours);
        return (int) Math.max(60, Math.min(50_000, perDay / RECORDS_PER_INTERFACE));
    }

    public long cloudTrailRecords() {
        return cloudTrailRecords >= 0 ? cloudTrailRecords : Math.max(300, records / 400);
    }

    /** Five-minute windows in the time range. */
    public int windows() {
        return hours * 12;
    }

    public long startSeconds() {
        return start.getEpochSecond();
    }

    public GeneratorOptions validate() {
        if (out == null) {
            throw new IllegalArgumentException("--out: required");
        }
        if (records < 1000) {
            throw new IllegalArgumentException("--records: expected 1000 or more, got " + records);
        }
        if (interfaces != 0 && (interfaces < MIN_INTERFACES || interfaces > MAX_INTERFACES)) {
            throw new IllegalArgumentException(
                    "--interfaces: expected "
                            + MIN_INTERFACES
                            + " to "
                            + MAX_INTERFACES
                            + ", got "
                            + interfaces);
        }
        if (hours < 1 || hours > 24 * 31) {
            throw new IllegalArgumentException("--hours: expected 1 to 744, got " + hours);
        }
        if (start.getEpochSecond() % 300 != 0) {
            throw new IllegalArgumentException(
                    "--start: expected a time on a five-minute boundary, got " + start);
        }
        if (cloudTrailRecords < -1) {
            throw new IllegalArgumentException(
                    "--cloudtrail-records: expected 0 or more, got " + cloudTrailRecords);
        }
        return this;
    }
}
