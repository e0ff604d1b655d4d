package io.flowtrail.summary;

import io.flowtrail.model.KmsEvent;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Adds the KMS calls of a {@code kms_usage} row's window, incrementally. */
public class KmsUsageAggregate
        implements AggregateFunction<KmsEvent, KmsUsageAccumulator, KmsUsageAccumulator> {
    @Override
    public KmsUsageAccumulator createAccumulator() {
        return new KmsUsageAccumulator();
    }

    @Override
    public KmsUsageAccumulator add(KmsEvent value, KmsUsageAccumulator acc) {
        return acc.add(value);
    }

    @Override
    public KmsUsageAccumulator getResult(KmsUsageAccumulator acc) {
        return acc;
    }

    @Override
    public KmsUsageAccumulator merge(KmsUsageAccumulator a, KmsUsageAccumulator b) {
        return a.merge(b);
    }
}
