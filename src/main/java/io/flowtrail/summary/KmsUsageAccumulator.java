package io.flowtrail.summary;

import io.flowtrail.model.CloudTrailValues;
import io.flowtrail.model.IpAddress;
import io.flowtrail.model.IpAddresses;
import io.flowtrail.model.KmsEvent;

/** The running totals of one {@code kms_usage} row. A Flink POJO. */
public class KmsUsageAccumulator {
    public long calls;
    public long errors;
    public long viaVpcEndpoint;
    public DistinctCount sourceIps = new DistinctCount();

    public KmsUsageAccumulator() {}

    public KmsUsageAccumulator add(KmsEvent e) {
        calls++;
        if (e.errorCode != null) {
            errors++;
        }
        if (e.vpcEndpointId != null && e.vpcEndpointId.startsWith("vpce-")) {
            viaVpcEndpoint++;
        }
        if (CloudTrailValues.looksLikeAddress(e.sourceIp)) {
            IpAddress a = IpAddress.tryParse(e.sourceIp);
            if (a != null) {
                sourceIps.add(IpAddresses.hash(a.family(), a.hi(), a.lo()));
            }
        }
        return this;
    }

    public KmsUsageAccumulator merge(KmsUsageAccumulator other) {
        calls += other.calls;
        errors += other.errors;
        viaVpcEndpoint += other.viaVpcEndpoint;
        sourceIps.merge(other.sourceIps);
        return this;
    }
}
