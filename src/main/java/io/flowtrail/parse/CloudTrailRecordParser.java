package io.flowtrail.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.flowtrail.model.KmsEvent;
import io.flowtrail.model.NetworkChangeEvent;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads one CloudTrail record (one event object) from a streaming parser into reused fields, then
 * types it: a {@link KmsEvent}, a {@link NetworkChangeEvent}, another service's event (counted by
 * the caller), or a problem that makes it a dead letter.
 *
 * <p>The record's fields are taken in whatever order they come. The parts whose meaning depends on
 * the service ({@code requestParameters}, {@code responseElements}, {@code serviceEventDetails},
 * {@code additionalEventData}) are read straight into fields when {@code eventSource} came first,
 * as CloudTrail writes it; when it comes later they are buffered as tokens and read once the record
 * has ended. Events of other services have those parts skipped unread. EC2 network changes, which
 * are rare, read their request as a small tree (its compact text is kept); KMS events, which are
 * the volume, never build a tree.
 *
 * <p>Not thread-safe: one per reader.
 */
final class CloudTrailRecordParser {
    static final String KMS_SOURCE = "kms.amazonaws.com";
    static final String EC2_SOURCE = "ec2.amazonaws.com";

    /** What a record turned out to be. */
    enum Kind {
        KMS,
        NETWORK_CHANGE,
        OTHER,
        PROBLEM
    }

    // What the service-specific parts of the current record are read for.
    private static final int UNKNOWN = 0;
    private static final int KMS = 1;
    private static final int NETWORK = 2;
    private static final int OTHER = 3;

    private static final ObjectMapper TREES = new ObjectMapper();

    // The order CloudTrail writes fields in: the parser checks for the expected name first.
    private final FieldOrder recordOrder =
            new FieldOrder(
                    "eventVersion",
                    "userIdentity",
                    "eventTime",
                    "eventSource",
                    "eventName",
                    "awsRegion",
                    "sourceIPAddress",
                    "userAgent",
                    "errorCode",
                    "errorMessage",
                    "requestParameters",
                    "responseElements",
                    "additionalEventData",
                    "requestID",
                    "eventID",
                    "readOnly",
                    "resources",
                    "eventType",
                    "managementEvent",
                    "recipientAccountId",
                    "sharedEventID",
                    "vpcEndpointId",
                    "vpcEndpointAccountId",
                    "serviceEventDetails",
                    "eventCategory",
                    "tlsDetails");
    private final FieldOrder identityOrder =
            new FieldOrder(
                    "type",
                    "principalId",
                    "arn",
                    "accountId",
                    "accessKeyId",
                    "userName",
                    "sessionContext",
                    "invokedBy");
    private final FieldOrder sessionOrder = new FieldOrder("sessionIssuer", "attributes");
    private final FieldOrder issuerOrder =
            new FieldOrder("type", "principalId", "arn", "accountId", "userName");
    private final FieldOrder resourceOrder = new FieldOrder("accountId", "type", "ARN");
    private final FieldOrder kmsRequestOrder =
            new FieldOrder("encryptionAlgorithm", "encryptionContext", "keyId", "keySpec");
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private final Strings strings = new Strings(1 << 13);
    private final Map<String, String> derived = new HashMap<>();
    private final Map<String, String> sessionNames = new HashMap<>();
    private final Map<String, String> arnAccounts = new HashMap<>();
    private final StringBuilder sb = new StringBuilder(256);
    private String[] contextKeys = new String[8];

    // ---------------------------------------------------------------- the current record

    private int interest;

    /** The first thing wrong with the record, naming the field and what was expected. */
    String problem;

    /**
     * The first thing wrong with a field that is not required: it makes a KMS or network record a
     * dead letter, but does not matter for another service's record, which is only counted.
     */
    private String fieldProblem;

    /** Something a person should know about a record that was still kept (reader warns). */
    String note;

    long eventTimeMillis;
    private boolean eventTimeSeen;
    String eventVersion;
    String eventSource;
    String eventName;
    private String eventType;
    private String awsRegion;
    private String sourceIp;
    private String userAgent;
    private String errorCode;
    private String errorMessage;
    private String eventId;
    private String recipientAccountId;
    private String sharedEventId;
    private String vpcEndpointId;
    private Boolean readOnly;
    private Boolean managementEvent;

    // userIdentity
    private String idType;
    private String idArn;
    private String idAccountId;
    private String idInvokedBy;
    private String issuerArn;

    // resources
    private String resKeyArn;
    private String resKeyArn2;
    private String resAliasArn;

    // KMS requestParameters
    private String rqKeyId;
    private String rqDestinationKeyId;
    private String rqTargetKeyId;
    private String rqAliasName;
    private String rqGrantId;
    private String encryptionContext;
    private String encryptionContextKeys;
    private String granteePrincipal;
    private String retiringPrincipal;
    private String grantOperations;
    private int pendingWindowInDays;
    private int rotationPeriodInDays;
    private String policyPrincipals;

    // KMS responseElements, additionalEventData, serviceEventDetails
    private String rsKeyId;
    private String rsKeyArn;
    private String rsKeyState;
    private String rsGrantId;
    private String adGrantId;
    private String sedKeyId;

    // EC2
    private JsonNode request;
    private JsonNode response;

    // Parts that came before eventSource.
    private TokenBuffer bufferedRequest;
    private TokenBuffer bufferedResponse;
    private TokenBuffer bufferedAdditional;
    private TokenBuffer bufferedServiceDetails;

    /** Clears the fields for a new record. */
    void begin() {
        interest = UNKNOWN;
        problem = null;
        fieldProblem = null;
        note = null;
        eventTimeMillis = -1L;
        eventTimeSeen = false;
        eventVersion = null;
        eventSource = null;
        eventName = null;
        eventType = null;
        awsRegion = null;
        sourceIp = null;
        userAgent = null;
        errorCode = null;
        errorMessage = null;
        eventId = null;
        recipientAccountId = null;
        sharedEventId = null;
        vpcEndpointId = null;
        readOnly = null;
        managementEvent = null;
        idType = null;
        idArn = null;
        idAccountId = null;
        idInvokedBy = null;
        issuerArn = null;
        resKeyArn = null;
        resKeyArn2 = null;
        resAliasArn = null;
        rqKeyId = null;
        rqDestinationKeyId = null;
        rqTargetKeyId = null;
        rqAliasName = null;
        rqGrantId = null;
        encryptionContext = null;
        encryptionContextKeys = null;
        granteePrincipal = null;
        retiringPrincipal = null;
        grantOperations = null;
        pendingWindowInDays = KmsEvent.ABSENT;
        rotationPeriodInDays = KmsEvent.ABSENT;
        policyPrincipals = null;
        rsKeyId = null;
        rsKeyArn = null;
        rsKeyState = null;
        rsGrantId = null;
        adGrantId = null;
        sedKeyId = null;
        request = null;
        response = null;
        bufferedRequest = null;
        bufferedResponse = null;
        bufferedAdditional = null;
        bufferedServiceDetails = null;
    }

    /**
     * Reads a whole record: the parser is on its {@code START_OBJECT} and is left on its {@code
     * END_OBJECT}.
     */
    void parseRecord(JsonParser p) throws IOException {
        begin();
        recordOrder.start();
        for (String name = recordOrder.next(p); name != null; name = recordOrder.next(p)) {
            field(p, name, p.nextToken());
        }
    }

    /** Reads the value of one top-level field of the record; the parser is on the value. */
    void field(JsonParser p, String name, JsonToken t) throws IOException {
        switch (name) {
            case "eventTime":
                eventTime(p, t);
                break;
            case "eventSource":
                eventSource = requiredText(p, t, "eventSource");
                updateInterest();
                break;
            case "eventName":
                eventName = requiredText(p, t, "eventName");
                updateInterest();
                break;
            case "eventVersion":
                eventVersion = majorVersionOne(p, t) ? null : text(p, t, "eventVersion");
                break;
            case "awsRegion":
                awsRegion = text(p, t, "awsRegion");
                break;
            case "sourceIPAddress":
                sourceIp = text(p, t, "sourceIPAddress");
                break;
            case "userAgent":
                userAgent = text(p, t, "userAgent");
                break;
            case "errorCode":
                errorCode = text(p, t, "errorCode");
                break;
            case "errorMessage":
                errorMessage = uniqueText(p, t, "errorMessage");
                break;
            case "eventID":
                eventId = uniqueText(p, t, "eventID");
                break;
            case "eventType":
                eventType = text(p, t, "eventType");
                break;
            case "recipientAccountId":
                recipientAccountId = text(p, t, "recipientAccountId");
                break;
            case "sharedEventID":
                sharedEventId = uniqueText(p, t, "sharedEventID");
                break;
            case "vpcEndpointId":
                vpcEndpointId = text(p, t, "vpcEndpointId");
                break;
            case "readOnly":
                readOnly = bool(p, t, "readOnly");
                break;
            case "managementEvent":
                managementEvent = bool(p, t, "managementEvent");
                break;
            case "userIdentity":
                if (interest == OTHER) {
                    p.skipChildren();
                } else {
                    userIdentity(p, t);
                }
                break;
            case "resources":
                if (interest == OTHER) {
                    p.skipChildren();
                } else {
                    resources(p, t);
                }
                break;
            case "requestParameters":
                if (interest == KMS) {
                    kmsRequest(p, t);
                } else if (interest == NETWORK) {
                    request = tree(p, t, "requestParameters");
                } else if (interest == UNKNOWN && t == JsonToken.START_OBJECT) {
                    bufferedRequest = buffer(p);
                } else if (objectOrNull(p, t, "requestParameters")) {
                    p.skipChildren();
                }
                break;
            case "responseElements":
                if (interest == KMS) {
                    kmsResponse(p, t);
                } else if (interest == NETWORK) {
                    response = tree(p, t, "responseElements");
                } else if (interest == UNKNOWN && t == JsonToken.START_OBJECT) {
                    bufferedResponse = buffer(p);
                } else if (objectOrNull(p, t, "responseElements")) {
                    p.skipChildren();
                }
                break;
            case "additionalEventData":
                if (interest == KMS) {
                    kmsAdditional(p, t);
                } else if (interest == UNKNOWN && t == JsonToken.START_OBJECT) {
                    bufferedAdditional = buffer(p);
                } else {
                    p.skipChildren();
                }
                break;
            case "serviceEventDetails":
                if (interest == KMS) {
                    kmsServiceDetails(p, t);
                } else if (interest == UNKNOWN && t == JsonToken.START_OBJECT) {
                    bufferedServiceDetails = buffer(p);
                } else {
                    p.skipChildren();
                }
                break;
            default:
                p.skipChildren();
        }
    }

    /**
     * Ends the record: reads the parts that came before {@code eventSource}, checks the required
     * fields and says what the record is. On {@link Kind#PROBLEM}, {@link #problem} says why.
     */
    Kind finish() throws IOException {
        if (problem == null && interest == UNKNOWN) {
            updateInterest();
        }
        if (problem == null && (interest == KMS || interest == NETWORK)) {
            replayBuffered();
        }
        if (problem == null) {
            problem = missingFields();
        }
        if (problem == null && (interest == KMS || interest == NETWORK)) {
            problem = fieldProblem;
        }
        if (problem != null) {
            return Kind.PROBLEM;
        }
        if (interest == KMS) {
            return Kind.KMS;
        }
        return interest == NETWORK ? Kind.NETWORK_CHANGE : Kind.OTHER;
    }

    /** The record's own time when it has a valid one, else -1. */
    long recordTimeMillis() {
        return eventTimeMillis;
    }

    private String missingFields() {
        if (eventTimeSeen && eventName != null && eventSource != null) {
            return null;
        }
        StringBuilder missing = new StringBuilder();
        if (!eventTimeSeen) {
            missing.append("eventTime");
        }
        if (eventName == null) {
            missing.append(missing.length() > 0 ? ", " : "").append("eventName");
        }
        if (eventSource == null) {
            missing.append(missing.length() > 0 ? ", " : "").append("eventSource");
        }
        if (missing.length() == 0) {
            return null;
        }
        return "missing "
                + missing
                + ": a CloudTrail record has eventTime (ISO-8601 UTC), eventName and eventSource";
    }

    private void updateInterest() {
        if (eventSource == null) {
            interest = UNKNOWN;
        } else if (KMS_SOURCE.equals(eventSource)) {
            interest = KMS;
        } else if (EC2_SOURCE.equals(eventSource)) {
            if (eventName == null) {
                interest = UNKNOWN;
            } else {
                interest = NetworkChangeEvent.EVENT_NAMES.contains(eventName) ? NETWORK : OTHER;
            }
        } else {
            interest = OTHER;
        }
    }

    private void replayBuffered() throws IOException {
        if (bufferedRequest != null) {
            try (JsonParser r = replay(bufferedRequest)) {
                if (interest == KMS) {
                    kmsRequest(r, r.currentToken());
                } else {
                    request = tree(r, r.currentToken(), "requestParameters");
                }
            }
        }
        if (bufferedResponse != null) {
            try (JsonParser r = replay(bufferedResponse)) {
                if (interest == KMS) {
                    kmsResponse(r, r.currentToken());
                } else {
                    response = tree(r, r.currentToken(), "responseElements");
                }
            }
        }
        if (interest == KMS && bufferedAdditional != null) {
            try (JsonParser r = replay(bufferedAdditional)) {
                kmsAdditional(r, r.currentToken());
            }
        }
        if (interest == KMS && bufferedServiceDetails != null) {
            try (JsonParser r = replay(bufferedServiceDetails)) {
                kmsServiceDetails(r, r.currentToken());
            }
        }
    }

    private static TokenBuffer buffer(JsonParser p) throws IOException {
        TokenBuffer b = new TokenBuffer(p, null);
        b.copyCurrentStructure(p);
        return b;
    }

    private static JsonParser replay(TokenBuffer b) throws IOException {
        JsonParser r = b.asParser();
        r.nextToken();
        return r;
    }

    // ---------------------------------------------------------------- common parts

    private void eventTime(JsonParser p, JsonToken t) throws IOException {
        eventTimeSeen = true;
        if (t != JsonToken.VALUE_STRING) {
            problem(
                    "eventTime: expected an ISO-8601 UTC time like 2026-11-02T10:45:12Z, got "
                            + kind(t));
            p.skipChildren();
            return;
        }
        long millis =
                CloudTrailTimes.parseMillis(
                        p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        if (millis == CloudTrailTimes.INVALID) {
            required(
                    "eventTime: expected an ISO-8601 UTC time like 2026-11-02T10:45:12Z, got '"
                            + p.getText()
                            + "'");
            return;
        }
        eventTimeMillis = millis;
    }

    private void userIdentity(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            problem("userIdentity: expected an object, got " + kind(t));
            p.skipChildren();
            return;
        }
        identityOrder.start();
        for (String name = identityOrder.next(p); name != null; name = identityOrder.next(p)) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "type":
                    idType = text(p, v, "userIdentity.type");
                    break;
                case "arn":
                    idArn = text(p, v, "userIdentity.arn");
                    break;
                case "accountId":
                    idAccountId = text(p, v, "userIdentity.accountId");
                    break;
                case "invokedBy":
                    idInvokedBy = text(p, v, "userIdentity.invokedBy");
                    break;
                case "sessionContext":
                    sessionContext(p, v);
                    break;
                default:
                    p.skipChildren();
            }
        }
    }

    private void sessionContext(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        sessionOrder.start();
        for (String name = sessionOrder.next(p); name != null; name = sessionOrder.next(p)) {
            JsonToken v = p.nextToken();
            if ("sessionIssuer".equals(name) && v == JsonToken.START_OBJECT) {
                issuerOrder.start();
                for (String issuerField = issuerOrder.next(p);
                        issuerField != null;
                        issuerField = issuerOrder.next(p)) {
                    JsonToken iv = p.nextToken();
                    if ("arn".equals(issuerField)) {
                        issuerArn = text(p, iv, "userIdentity.sessionContext.sessionIssuer.arn");
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private void resources(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_ARRAY) {
            problem("resources: expected an array, got " + kind(t));
            p.skipChildren();
            return;
        }
        int index = 0;
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken(), index++) {
            if (e != JsonToken.START_OBJECT) {
                problem("resources[" + index + "]: expected an object, got " + kind(e));
                p.skipChildren();
                continue;
            }
            String arn = null;
            resourceOrder.start();
            for (String name = resourceOrder.next(p); name != null; name = resourceOrder.next(p)) {
                JsonToken v = p.nextToken();
                if ("ARN".equals(name) && v == JsonToken.VALUE_STRING) {
                    arn =
                            strings.intern(
                                    p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                } else if ("ARN".equals(name)) {
                    arn = text(p, v, "resources[" + index + "].ARN");
                } else {
                    // accountId is in the ARN; the ARN says whether it is a key or an alias
                    // (type is absent in older records).
                    p.skipChildren();
                }
            }
            if (arn == null || !arn.startsWith("arn:") || arn.indexOf(":kms:") < 0) {
                continue;
            }
            if (arn.indexOf(":key/") > 0) {
                if (resKeyArn == null) {
                    resKeyArn = arn;
                } else if (resKeyArn2 == null) {
                    resKeyArn2 = arn;
                }
            } else if (arn.indexOf(":alias/") > 0 && resAliasArn == null) {
                resAliasArn = arn;
            }
        }
    }

    // ---------------------------------------------------------------- KMS parts

    private void kmsRequest(JsonParser p, JsonToken t) throws IOException {
        if (!objectOrNull(p, t, "requestParameters")) {
            return;
        }
        kmsRequestOrder.start();
        for (String name = kmsRequestOrder.next(p); name != null; name = kmsRequestOrder.next(p)) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "keyId":
                    rqKeyId = text(p, v, "requestParameters.keyId");
                    break;
                case "encryptionContext":
                    encryptionContext(p, v);
                    break;
                case "destinationKeyId":
                    rqDestinationKeyId = text(p, v, "requestParameters.destinationKeyId");
                    break;
                case "targetKeyId":
                    rqTargetKeyId = text(p, v, "requestParameters.targetKeyId");
                    break;
                case "aliasName":
                    rqAliasName = text(p, v, "requestParameters.aliasName");
                    break;
                case "grantId":
                    rqGrantId = uniqueText(p, v, "requestParameters.grantId");
                    break;
                case "granteePrincipal":
                    granteePrincipal = text(p, v, "requestParameters.granteePrincipal");
                    break;
                case "retiringPrincipal":
                    retiringPrincipal = text(p, v, "requestParameters.retiringPrincipal");
                    break;
                case "operations":
                    grantOperations = operations(p, v);
                    break;
                case "pendingWindowInDays":
                    pendingWindowInDays = integer(p, v, "requestParameters.pendingWindowInDays");
                    break;
                case "rotationPeriodInDays":
                    rotationPeriodInDays = integer(p, v, "requestParameters.rotationPeriodInDays");
                    break;
                case "policy":
                    String policy = uniqueText(p, v, "requestParameters.policy");
                    if (policy != null) {
                        policyPrincipals = policyPrincipals(policy);
                    }
                    break;
                default:
                    p.skipChildren();
            }
        }
    }

    private void kmsResponse(JsonParser p, JsonToken t) throws IOException {
        if (!objectOrNull(p, t, "responseElements")) {
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "keyId":
                    rsKeyId = text(p, v, "responseElements.keyId");
                    break;
                case "keyState":
                    rsKeyState = text(p, v, "responseElements.keyState");
                    break;
                case "grantId":
                    rsGrantId = uniqueText(p, v, "responseElements.grantId");
                    break;
                case "keyMetadata":
                    if (v != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        break;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String m = p.currentName();
                        JsonToken mv = p.nextToken();
                        if ("arn".equals(m)) {
                            rsKeyArn = text(p, mv, "responseElements.keyMetadata.arn");
                        } else if ("keyState".equals(m)) {
                            rsKeyState = text(p, mv, "responseElements.keyMetadata.keyState");
                        } else {
                            p.skipChildren();
                        }
                    }
                    break;
                default:
                    p.skipChildren();
            }
        }
    }

    private void kmsAdditional(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("grantId".equals(name)) {
                adGrantId = uniqueText(p, v, "additionalEventData.grantId");
            } else {
                p.skipChildren();
            }
        }
    }

    private void kmsServiceDetails(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("keyId".equals(name)) {
                sedKeyId = text(p, v, "serviceEventDetails.keyId");
            } else {
                p.skipChildren();
            }
        }
    }

    /** The context as compact JSON in the order given, and its keys sorted. */
    private void encryptionContext(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            problem("requestParameters.encryptionContext: expected an object, got " + kind(t));
            p.skipChildren();
            return;
        }
        sb.setLength(0);
        sb.append('{');
        int n = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (n > 0) {
                sb.append(',');
            }
            sb.append('"');
            appendQuoted(key, sb);
            sb.append("\":");
            if (v == JsonToken.VALUE_STRING) {
                sb.append('"');
                appendQuoted(p, sb);
                sb.append('"');
            } else if (v.isScalarValue()) {
                sb.append(p.getText());
            } else {
                problem(
                        "requestParameters.encryptionContext."
                                + key
                                + ": expected a string, got "
                                + kind(v));
                p.skipChildren();
            }
            if (n == contextKeys.length) {
                contextKeys = Arrays.copyOf(contextKeys, n * 2);
            }
            contextKeys[n++] = key;
        }
        sb.append('}');
        encryptionContext = sb.toString();
        if (n == 1) {
            encryptionContextKeys = contextKeys[0];
        } else if (n > 1) {
            Arrays.sort(contextKeys, 0, n);
            sb.setLength(0);
            for (int i = 0; i < n; i++) {
                sb.append(i > 0 ? "," : "").append(contextKeys[i]);
            }
            encryptionContextKeys = derived(sb.toString());
        }
        Arrays.fill(contextKeys, 0, n, null);
    }

    private static void appendQuoted(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                QUOTE.quoteAsString(text, out);
                return;
            }
        }
        out.append(text);
    }

    /** The current string value, JSON-escaped, without making a {@code String} of it. */
    private static void appendQuoted(JsonParser p, StringBuilder out) throws IOException {
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        for (int i = off; i < off + len; i++) {
            if (c[i] < 0x20 || c[i] == '"' || c[i] == '\\') {
                QUOTE.quoteAsString(new String(c, off, len), out);
                return;
            }
        }
        out.append(c, off, len);
    }

    private String operations(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            problem("requestParameters.operations: expected an array of strings, got " + kind(t));
            p.skipChildren();
            return null;
        }
        sb.setLength(0);
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            if (e != JsonToken.VALUE_STRING) {
                problem(
                        "requestParameters.operations: expected an array of strings, got "
                                + kind(e)
                                + " in it");
                p.skipChildren();
                continue;
            }
            sb.append(sb.length() > 0 ? "," : "").append(p.getText());
        }
        return derived(sb.toString());
    }

    /**
     * The principals a key policy's {@code Allow} statements name, sorted and joined; the policy is
     * JSON inside a string. A policy that is not JSON is noted, not a dead letter: the call
     * happened.
     */
    private String policyPrincipals(String policy) {
        JsonNode root;
        try {
            root = TREES.readTree(policy);
        } catch (JsonProcessingException e) {
            note = "requestParameters.policy is not JSON; its principals are unknown";
            return null;
        }
        TreeSet<String> principals = new TreeSet<>();
        JsonNode statements = root.path("Statement");
        Iterator<JsonNode> it =
                statements.isArray()
                        ? statements.elements()
                        : java.util.List.of(statements).iterator();
        while (it.hasNext()) {
            JsonNode s = it.next();
            if (!"Allow".equals(s.path("Effect").asText())) {
                continue;
            }
            JsonNode principal = s.path("Principal");
            if (principal.isTextual()) {
                principals.add(principal.asText());
            } else if (principal.isObject()) {
                for (Iterator<JsonNode> values = principal.elements(); values.hasNext(); ) {
                    JsonNode v = values.next();
                    if (v.isTextual()) {
                        principals.add(v.asText());
                    } else if (v.isArray()) {
                        v.forEach(x -> principals.add(x.asText()));
                    }
                }
            }
        }
        return principals.isEmpty() ? null : String.join(",", principals);
    }

    // ---------------------------------------------------------------- typed values

    /** True for an {@code eventVersion} of 1.x, the version this reader knows; nothing kept. */
    private static boolean majorVersionOne(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            return false;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        return p.getTextLength() >= 2 && c[off] == '1' && c[off + 1] == '.';
    }

    /** A string value, interned: ids, names and ARNs repeat from record to record. */
    private String text(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return strings.intern(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
        if (t != JsonToken.VALUE_NULL) {
            problem(field + ": expected a string, got " + kind(t));
            p.skipChildren();
        }
        return null;
    }

    /** A string value that is different on every record (ids, messages): not interned. */
    private String uniqueText(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t != JsonToken.VALUE_NULL) {
            problem(field + ": expected a string, got " + kind(t));
            p.skipChildren();
        }
        return null;
    }

    private Boolean bool(JsonParser p, JsonToken t, String field) throws IOException {
        switch (t) {
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
                String s = p.getText();
                if ("true".equalsIgnoreCase(s)) {
                    return Boolean.TRUE;
                }
                if ("false".equalsIgnoreCase(s)) {
                    return Boolean.FALSE;
                }
                problem(field + ": expected true or false, got '" + s + "'");
                return null;
            default:
                problem(field + ": expected true or false, got " + kind(t));
                p.skipChildren();
                return null;
        }
    }

    private int integer(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getIntValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Integer.parseInt(p.getText().trim());
            } catch (NumberFormatException e) {
                // fall through to the problem
            }
        }
        if (t == JsonToken.VALUE_NULL) {
            return KmsEvent.ABSENT;
        }
        problem(field + ": expected an integer, got " + kind(t));
        p.skipChildren();
        return KmsEvent.ABSENT;
    }

    /** True when the value is an object to read; false (skipped) when null or of a wrong type. */
    private boolean objectOrNull(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.START_OBJECT) {
            return true;
        }
        if (t != JsonToken.VALUE_NULL) {
            problem(field + ": expected an object or null, got " + kind(t));
            p.skipChildren();
        }
        return false;
    }

    private JsonNode tree(JsonParser p, JsonToken t, String field) throws IOException {
        if (!objectOrNull(p, t, field)) {
            return null;
        }
        return TREES.readTree(p);
    }

    /** A problem with a field that is not required (see {@link #fieldProblem}). */
    private void problem(String what) {
        if (fieldProblem == null) {
            fieldProblem = what;
        }
    }

    /** A problem with eventTime, eventName or eventSource: a dead letter whatever the service. */
    private void required(String what) {
        if (problem == null) {
            problem = what;
        }
    }

    private String requiredText(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NULL) {
            return text(p, t, field);
        }
        required(field + ": expected a string, got " + kind(t));
        p.skipChildren();
        return null;
    }

    static String kind(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.toString();
        }
    }

    // ---------------------------------------------------------------- building the models

    KmsEvent kmsEvent(String origin, long position) {
        KmsEvent k = new KmsEvent();
        k.eventTimeMillis = eventTimeMillis;
        k.eventId = eventId;
        k.eventName = eventName;
        k.eventType = eventType;
        k.region = awsRegion;
        k.recipientAccountId = recipientAccountId;
        k.sharedEventId = sharedEventId;
        k.principalType = idType;
        k.principalArn = principalArn();
        k.sessionName = sessionName();
        k.callerAccountId = idAccountId;
        k.sourceIp = sourceIp;
        k.userAgent = userAgent;
        k.vpcEndpointId = endpoint(vpcEndpointId);
        k.invokedBy = idInvokedBy;
        k.errorCode = errorCode;
        k.errorMessage = errorMessage;
        k.readOnly = readOnly;
        k.managementEvent = managementEvent;

        String keyOwner = idAccountId != null ? idAccountId : recipientAccountId;
        String alias = null;
        String keyArn = resKeyArn;
        // What the caller named the key by, then what the response or the service event says.
        for (int i = 0; i < 5; i++) {
            String candidate =
                    i == 0
                            ? rqKeyId
                            : i == 1
                                    ? rqTargetKeyId
                                    : i == 2 ? rsKeyId : i == 3 ? rsKeyArn : sedKeyId;
            if (candidate == null) {
                continue;
            }
            if (isAlias(candidate)) {
                alias = alias != null ? alias : candidate;
            } else if (keyArn == null) {
                keyArn = keyArn(candidate, awsRegion, keyOwner);
            }
        }
        k.keyArn = keyArn;
        k.keyAlias = resAliasArn != null ? resAliasArn : alias != null ? alias : rqAliasName;
        k.destinationKeyArn =
                resKeyArn2 != null
                        ? resKeyArn2
                        : rqDestinationKeyId != null && !isAlias(rqDestinationKeyId)
                                ? keyArn(rqDestinationKeyId, awsRegion, keyOwner)
                                : null;
        k.keyAccountId = arnAccount(keyArn);

        k.encryptionContext = encryptionContext;
        k.encryptionContextKeys = encryptionContextKeys;
        k.granteePrincipal = granteePrincipal;
        k.retiringPrincipal = retiringPrincipal;
        k.grantOperations = grantOperations;
        k.grantId = rsGrantId != null ? rsGrantId : rqGrantId != null ? rqGrantId : adGrantId;
        k.pendingWindowInDays = pendingWindowInDays;
        k.rotationPeriodInDays = rotationPeriodInDays;
        k.policyPrincipals = policyPrincipals;
        k.keyState = rsKeyState;
        k.origin = origin;
        k.position = position;
        return k;
    }

    NetworkChangeEvent networkChangeEvent(String origin, long position) {
        NetworkChangeEvent n = new NetworkChangeEvent();
        n.eventTimeMillis = eventTimeMillis;
        n.eventId = eventId;
        n.eventName = eventName;
        n.region = awsRegion;
        n.accountId = recipientAccountId != null ? recipientAccountId : idAccountId;
        n.principalArn = principalArn();
        n.principalType = idType;
        n.sourceIp = sourceIp;
        n.userAgent = userAgent;
        n.errorCode = errorCode;
        n.errorMessage = errorMessage;
        JsonNode rq = request != null ? request : TREES.missingNode();
        JsonNode rs = response != null ? response : TREES.missingNode();
        JsonNode wrapped = wrapped(rq);
        n.groupId = first(rq.path("groupId"), wrapped.path("GroupId"), rs.path("groupId"));
        n.networkAclId = first(rq.path("networkAclId"), rs.path("networkAcl").path("networkAclId"));
        n.networkInterfaceId =
                first(
                        rq.path("networkInterfaceId"),
                        rs.path("networkInterface").path("networkInterfaceId"));
        n.routeTableId = first(rq.path("routeTableId"), rs.path("routeTable").path("routeTableId"));
        n.vpcId = first(rq.path("vpcId"), wrapped.path("VpcId"));
        JsonNode ruleNumber = rq.path("ruleNumber");
        if (ruleNumber.canConvertToInt() || ruleNumber.isTextual()) {
            n.ruleNumber = ruleNumber.asInt(NetworkChangeEvent.ABSENT);
        }
        JsonNode egress = rq.path("egress");
        if (egress.isBoolean() || egress.isTextual()) {
            n.egress = egress.asBoolean();
        }
        n.ruleAction = first(rq.path("ruleAction"));
        n.protocol = first(rq.path("aclProtocol"), rq.path("protocol"));
        n.cidrBlock = first(rq.path("cidrBlock"), rq.path("ipv6CidrBlock"));
        JsonNode ports = rq.path("portRange");
        if (ports.has("from")) {
            n.fromPort = ports.path("from").asInt(NetworkChangeEvent.ABSENT);
        }
        if (ports.has("to")) {
            n.toPort = ports.path("to").asInt(NetworkChangeEvent.ABSENT);
        }
        n.requestParameters = request != null ? request.toString() : null;
        n.origin = origin;
        n.position = position;
        return n;
    }

    /** Newer EC2 APIs wrap their request: {@code {"ModifySecurityGroupRulesRequest": {...}}}. */
    private static JsonNode wrapped(JsonNode rq) {
        if (rq.isObject() && rq.size() == 1) {
            Map.Entry<String, JsonNode> only = rq.fields().next();
            if (only.getKey().endsWith("Request") && only.getValue().isObject()) {
                return only.getValue();
            }
        }
        return TREES.missingNode();
    }

    private static String first(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n.isTextual() || n.isNumber()) {
                return n.asText();
            }
        }
        return null;
    }

    /**
     * Who the call is charged to (see {@link KmsEvent#principalArn}): the role for an assumed-role
     * session, the service for {@code AWSService} and for AWS-internal events, else the identity.
     */
    private String principalArn() {
        if (idType == null) {
            return idArn != null ? idArn : idInvokedBy;
        }
        switch (idType) {
            case "AssumedRole":
                return issuerArn != null ? issuerArn : roleOfSession(idArn);
            case "AWSService":
                return idInvokedBy != null ? idInvokedBy : idArn;
            case "Root":
            case "AWSAccount":
                if (idArn != null) {
                    return idArn;
                }
                return idAccountId == null
                        ? null
                        : derived("arn:" + partition(awsRegion) + ":iam::" + idAccountId + ":root");
            default:
                return idArn;
        }
    }

    /** {@code arn:aws:sts::1:assumed-role/R/s} → {@code arn:aws:iam::1:role/R} (path unknown). */
    private String roleOfSession(String sessionArn) {
        if (sessionArn == null) {
            return null;
        }
        int at = sessionArn.indexOf(":assumed-role/");
        if (at < 0) {
            return sessionArn;
        }
        int roleEnd = sessionArn.indexOf('/', at + 14);
        String role = sessionArn.substring(at + 14, roleEnd < 0 ? sessionArn.length() : roleEnd);
        String prefix = sessionArn.substring(0, at).replace(":sts:", ":iam:");
        return derived(prefix + ":role/" + role);
    }

    private String sessionName() {
        if (!"AssumedRole".equals(idType)) {
            return null;
        }
        if (idArn != null) {
            String known = sessionNames.get(idArn);
            if (known == null && idArn.contains(":assumed-role/")) {
                known = idArn.substring(idArn.lastIndexOf('/') + 1);
                remember(sessionNames, idArn, known);
            }
            return known;
        }
        return null;
    }

    private static String endpoint(String id) {
        return id != null && id.startsWith("vpce-") ? id : null;
    }

    private static boolean isAlias(String keyId) {
        return keyId.startsWith("alias/")
                || (keyId.startsWith("arn:") && keyId.contains(":alias/"));
    }

    /**
     * A key ARN from what a caller named the key by: an ARN as it is, a bare key id ({@code
     * 1234abcd-...}, {@code mrk-...}) completed with the region and account; null otherwise.
     */
    private String keyArn(String keyId, String region, String account) {
        if (keyId.startsWith("arn:")) {
            return keyId.contains(":key/") ? keyId : null;
        }
        if (keyId.indexOf(':') >= 0 || keyId.indexOf('/') >= 0 || keyId.isEmpty()) {
            return null;
        }
        if (region == null || account == null) {
            return null;
        }
        return derived(
                "arn:" + partition(region) + ":kms:" + region + ":" + account + ":key/" + keyId);
    }

    /** The account of an ARN ({@code arn:partition:service:region:account:...}), or null. */
    private String arnAccount(String arn) {
        if (arn == null) {
            return null;
        }
        String known = arnAccounts.get(arn);
        if (known == null) {
            known = parseArnAccount(arn);
            if (known != null) {
                remember(arnAccounts, arn, known);
            }
        }
        return known;
    }

    private String parseArnAccount(String arn) {
        int c1 = arn.indexOf(':');
        int c2 = arn.indexOf(':', c1 + 1);
        int c3 = arn.indexOf(':', c2 + 1);
        int c4 = arn.indexOf(':', c3 + 1);
        int c5 = arn.indexOf(':', c4 + 1);
        if (c1 < 0 || c2 < 0 || c3 < 0 || c4 < 0 || c5 < 0 || c5 == c4 + 1) {
            return null;
        }
        return derived(arn.substring(c4 + 1, c5));
    }

    private static String partition(String region) {
        if (region == null) {
            return "aws";
        }
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        if (region.startsWith("us-isob-")) {
            return "aws-iso-b";
        }
        return region.startsWith("us-iso-") ? "aws-iso" : "aws";
    }

    /** Caches of values derived from interned strings; cleared when large, to bound memory. */
    private static void remember(Map<String, String> cache, String key, String value) {
        if (cache.size() >= 1 << 12) {
            cache.clear();
        }
        cache.put(key, value);
    }

    /** One instance per distinct derived string, so that repeated values share memory. */
    private String derived(String s) {
        String known = derived.get(s);
        if (known != null) {
            return known;
        }
        if (derived.size() >= 1 << 14) {
            derived.clear();
        }
        derived.put(s, s);
        return s;
    }

    /**
     * Turns character ranges into {@link String}s, handing back the same instance for the same
     * characters, as {@link ByteStringInterner} does for bytes: cleared rather than grown when
     * full, so memory stays bounded however many distinct values a file has.
     */
    static final class Strings {
        private static final int MAX_LENGTH = 512;

        private final int capacity;
        private final String[] values;
        private final char[][] keys;
        private final int[] hashes;
        private int size;

        Strings(int capacityPowerOfTwo) {
            this.capacity = capacityPowerOfTwo;
            this.values = new String[capacityPowerOfTwo];
            this.keys = new char[capacityPowerOfTwo][];
            this.hashes = new int[capacityPowerOfTwo];
        }

        String intern(char[] buf, int from, int len) {
            if (len > MAX_LENGTH) {
                return new String(buf, from, len);
            }
            int to = from + len;
            // Four interleaved lanes: the same quality as String's hash, without one long chain
            // of dependent multiplications (ARNs are 60 to 90 characters).
            int h0 = len;
            int h1 = 0;
            int h2 = 0;
            int h3 = 0;
            int i = from;
            for (; i + 3 < to; i += 4) {
                h0 = 31 * h0 + buf[i];
                h1 = 31 * h1 + buf[i + 1];
                h2 = 31 * h2 + buf[i + 2];
                h3 = 31 * h3 + buf[i + 3];
            }
            for (; i < to; i++) {
                h0 = 31 * h0 + buf[i];
            }
            int h = ((h0 * 31 + h1) * 31 + h2) * 31 + h3;
            h ^= h >>> 16;
            int mask = capacity - 1;
            int slot = h & mask;
            while (true) {
                char[] key = keys[slot];
                if (key == null) {
                    break;
                }
                if (hashes[slot] == h && Arrays.equals(key, 0, key.length, buf, from, to)) {
                    return values[slot];
                }
                slot = (slot + 1) & mask;
            }
            if (size >= capacity / 2) {
                Arrays.fill(keys, null);
                Arrays.fill(values, null);
                size = 0;
                slot = h & mask;
            }
            char[] key = Arrays.copyOfRange(buf, from, to);
            String s = new String(key);
            keys[slot] = key;
            values[slot] = s;
            hashes[slot] = h;
            size++;
            return s;
        }
    }

    /**
     * Field names in the order CloudTrail writes them. Jackson checks an expected name against the
     * raw bytes, which is much cheaper than looking an unknown name up; a record in another order,
     * or with optional fields, is still read correctly, only without the shortcut.
     */
    static final class FieldOrder {
        private final SerializedString[] names;
        private final Map<String, Integer> positions = new HashMap<>();
        private int cursor;

        FieldOrder(String... names) {
            this.names = new SerializedString[names.length];
            for (int i = 0; i < names.length; i++) {
                this.names[i] = new SerializedString(names[i]);
                positions.put(names[i], i);
            }
        }

        void start() {
            cursor = 0;
        }

        /** The next field's name, the parser on it; null at the end of the object. */
        String next(JsonParser p) throws IOException {
            if (cursor < names.length) {
                if (p.nextFieldName(names[cursor])) {
                    return names[cursor++].getValue();
                }
            } else {
                p.nextToken();
            }
            if (p.currentToken() != JsonToken.FIELD_NAME) {
                return null;
            }
            String name = p.currentName();
            Integer at = positions.get(name);
            if (at != null) {
                cursor = at + 1;
            }
            return name;
        }
    }
}
