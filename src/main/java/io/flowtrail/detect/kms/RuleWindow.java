package io.flowtrail.detect.kms;

import io.flowtrail.detect.DetectorSupport;

/**
 * One entity's findings of one point-in-time rule in one window: counts, the heaviest principals,
 * sources and calls, and the {@value #EXAMPLES} earliest calls (by event time, then event id, so
 * the same ones in every mode). A Flink POJO (arrays only).
 */
public class RuleWindow {
    static final int EXAMPLES = 5;

    public String detector;
    public String entity;
    public String keyArn;
    public String accountId;
    public String region;
    public String otherAccountId;
    public long calls;
    public long errors;
    public int severityRank;

    public NameCounts eventNames = new NameCounts(16);
    public NameCounts principals = new NameCounts(16);
    public NameCounts sources = new NameCounts(16);

    public int examples;
    public long[] exampleTimes = new long[EXAMPLES];
    public String[] exampleIds = new String[EXAMPLES];
    public String[] exampleNames = new String[EXAMPLES];
    public String[] examplePrincipals = new String[EXAMPLES];
    public String[] exampleSessions = new String[EXAMPLES];
    public String[] exampleSources = new String[EXAMPLES];
    public String[] exampleEndpoints = new String[EXAMPLES];
    public String[] exampleErrors = new String[EXAMPLES];
    public String[] exampleDetails = new String[EXAMPLES];

    public RuleWindow() {}

    void add(KmsFinding f) {
        detector = f.detector;
        entity = f.entity;
        keyArn = DetectorSupport.pick(keyArn, f.keyArn);
        accountId = DetectorSupport.pick(accountId, f.accountId);
        region = DetectorSupport.pick(region, f.region);
        otherAccountId = DetectorSupport.pick(otherAccountId, f.otherAccountId);
        calls++;
        if (f.errorCode != null) {
            errors++;
        }
        severityRank = Math.max(severityRank, f.severityRank);
        eventNames.add(f.eventName, 1);
        if (f.principalArn != null) {
            principals.add(f.principalArn, 1);
        }
        if (f.sourceIp != null) {
            sources.add(f.sourceIp, 1);
        }
        example(f);
    }

    private void example(KmsFinding f) {
        String id = f.eventId == null ? "" : f.eventId;
        int at = examples;
        while (at > 0 && earlier(f.eventTimeMillis, id, at - 1)) {
            at--;
        }
        if (at >= EXAMPLES) {
            return;
        }
        int last = Math.min(examples, EXAMPLES - 1);
        for (int i = last; i > at; i--) {
            exampleTimes[i] = exampleTimes[i - 1];
            exampleIds[i] = exampleIds[i - 1];
            exampleNames[i] = exampleNames[i - 1];
            examplePrincipals[i] = examplePrincipals[i - 1];
            exampleSessions[i] = exampleSessions[i - 1];
            exampleSources[i] = exampleSources[i - 1];
            exampleEndpoints[i] = exampleEndpoints[i - 1];
            exampleErrors[i] = exampleErrors[i - 1];
            exampleDetails[i] = exampleDetails[i - 1];
        }
        exampleTimes[at] = f.eventTimeMillis;
        exampleIds[at] = id;
        exampleNames[at] = f.eventName;
        examplePrincipals[at] = f.principalArn;
        exampleSessions[at] = f.sessionName;
        exampleSources[at] = f.sourceIp;
        exampleEndpoints[at] = f.vpcEndpointId;
        exampleErrors[at] = f.errorCode;
        exampleDetails[at] = f.detail;
        examples = Math.min(examples + 1, EXAMPLES);
    }

    private boolean earlier(long time, String id, int i) {
        return time < exampleTimes[i]
                || (time == exampleTimes[i] && id.compareTo(exampleIds[i]) < 0);
    }
}
