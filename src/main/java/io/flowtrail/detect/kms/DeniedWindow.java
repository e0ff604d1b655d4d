package io.flowtrail.detect.kms;

import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.model.KmsEvent;
import io.flowtrail.summary.DistinctCount;

/**
 * One principal's refused KMS calls in one window: how many, on how many distinct keys (exact up to
 * 65,536, see {@link DistinctCount}), and the heaviest keys, calls and sources. A Flink POJO.
 */
public class DeniedWindow {
    public long calls;
    public String accountId;
    public String region;
    public DistinctCount distinctKeys = new DistinctCount();
    public NameCounts keys = new NameCounts(16);
    public NameCounts eventNames = new NameCounts(64);
    public NameCounts sources = new NameCounts(8);
    public NameCounts sessions = new NameCounts(8);

    public DeniedWindow() {}

    void add(KmsEvent e) {
        calls++;
        accountId = DetectorSupport.pick(accountId, KmsCalls.account(e));
        region = DetectorSupport.pick(region, e.region);
        String key = KmsCalls.keyName(e);
        if (key != null) {
            distinctKeys.add(KmsCalls.hash64(key));
            keys.add(key, 1);
        }
        eventNames.add(e.eventName, 1);
        if (e.sourceIp != null) {
            sources.add(e.sourceIp, 1);
        }
        if (e.sessionName != null) {
            sessions.add(e.sessionName, 1);
        }
    }
}
