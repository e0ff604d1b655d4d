package io.flowtrail.detect.kms;

import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.model.KmsEvent;
import io.flowtrail.summary.DistinctCount;

/**
 * One (key, principal) pair's counted calls in one window: the count, and what the evidence and the
 * correlation need (the sessions and sources, exact for the first 64 and 16 by hash; the distinct
 * encryption contexts, i.e. roughly how many objects were decrypted). A Flink POJO.
 */
public class BurstWindow {
    public long calls;
    public long viaVpcEndpoint;
    public String keyArn;
    public String principalArn;
    public String accountId;
    public String region;
    public NameCounts sessions = new NameCounts(64);
    public NameCounts sources = new NameCounts(16);
    public NameCounts eventNames = new NameCounts(8);

    /** Services that made the calls on the principal's behalf ({@code invokedBy}). */
    public NameCounts services = new NameCounts(4);

    public DistinctCount contexts = new DistinctCount();

    public BurstWindow() {}

    void add(KmsEvent e) {
        calls++;
        keyArn = DetectorSupport.pick(keyArn, e.keyArn);
        principalArn = DetectorSupport.pick(principalArn, e.principalArn);
        accountId = DetectorSupport.pick(accountId, KmsCalls.account(e));
        region = DetectorSupport.pick(region, e.region);
        if (e.vpcEndpointId != null && e.vpcEndpointId.startsWith("vpce-")) {
            viaVpcEndpoint++;
        }
        sessions.add(e.sessionName == null ? "(no session)" : e.sessionName, 1);
        if (e.sourceIp != null) {
            sources.add(e.sourceIp, 1);
        }
        eventNames.add(e.eventName, 1);
        if (e.invokedBy != null) {
            services.add(e.invokedBy, 1);
        }
        if (e.encryptionContext != null) {
            contexts.add(KmsCalls.hash64(e.encryptionContext));
        }
    }
}
