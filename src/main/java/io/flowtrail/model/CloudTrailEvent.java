package io.flowtrail.model;

import java.util.Objects;

/**
 * What reading CloudTrail yields, one per record kept: exactly one of {@link #kms}, {@link
 * #networkChange} and {@link #deadLetter} is set. The file and message sources emit all three kinds
 * on one stream, so that the order of an input is kept; the pipeline splits them straight after.
 *
 * <p>A Flink POJO (public fields, public no-argument constructor), serialized without Kryo.
 */
public class CloudTrailEvent {
    public KmsEvent kms;
    public NetworkChangeEvent networkChange;
    public DeadLetter deadLetter;

    public CloudTrailEvent() {}

    public static CloudTrailEvent of(KmsEvent kms) {
        CloudTrailEvent e = new CloudTrailEvent();
        e.kms = kms;
        return e;
    }

    public static CloudTrailEvent of(NetworkChangeEvent networkChange) {
        CloudTrailEvent e = new CloudTrailEvent();
        e.networkChange = networkChange;
        return e;
    }

    public static CloudTrailEvent dead(DeadLetter deadLetter) {
        CloudTrailEvent e = new CloudTrailEvent();
        e.deadLetter = deadLetter;
        return e;
    }

    public boolean isKms() {
        return kms != null;
    }

    public boolean isNetworkChange() {
        return networkChange != null;
    }

    public boolean isDeadLetter() {
        return deadLetter != null;
    }

    /** The event time in epoch milliseconds; for a dead letter its own time if known, else -1. */
    public long eventTimeMillis() {
        if (kms != null) {
            return kms.eventTimeMillis;
        }
        if (networkChange != null) {
            return networkChange.eventTimeMillis;
        }
        return deadLetter != null ? deadLetter.recordTimeMillis : -1L;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CloudTrailEvent)) {
            return false;
        }
        CloudTrailEvent that = (CloudTrailEvent) o;
        return Objects.equals(kms, that.kms)
                && Objects.equals(networkChange, that.networkChange)
                && Objects.equals(deadLetter, that.deadLetter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kms, networkChange, deadLetter);
    }

    @Override
    public String toString() {
        if (kms != null) {
            return kms.toString();
        }
        if (networkChange != null) {
            return networkChange.toString();
        }
        return "CloudTrailEvent{dead " + deadLetter + "}";
    }
}
