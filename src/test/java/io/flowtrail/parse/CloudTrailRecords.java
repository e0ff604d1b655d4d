package io.flowtrail.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Small builders of CloudTrail records for tests that need a variation of the usual shape. */
final class CloudTrailRecords {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = "111122223333";
    static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID;
    static final String KEY_2 =
            "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321";

    private CloudTrailRecords() {}

    /** A successful KMS call by the IAM user bob, without key or request parameters. */
    static ObjectNode kms(String eventName, String eventTime) {
        ObjectNode r = JSON.createObjectNode();
        r.put("eventVersion", "1.11");
        r.set("userIdentity", iamUser("bob"));
        r.put("eventTime", eventTime);
        r.put("eventSource", "kms.amazonaws.com");
        r.put("eventName", eventName);
        r.put("awsRegion", "us-east-1");
        r.put("sourceIPAddress", "203.0.113.50");
        r.put("userAgent", "aws-cli/2.15.0");
        r.putNull("requestParameters");
        r.putNull("responseElements");
        r.put("eventID", "e-" + eventName + "-" + eventTime);
        r.put("readOnly", true);
        r.put("eventType", "AwsApiCall");
        r.put("managementEvent", true);
        r.put("recipientAccountId", ACCOUNT);
        r.put("eventCategory", "Management");
        return r;
    }

    /** An EC2 call by the IAM user bob with the given request parameters. */
    static ObjectNode ec2(String eventName, String eventTime, String requestParameters) {
        ObjectNode r = kms(eventName, eventTime);
        r.put("eventSource", "ec2.amazonaws.com");
        r.set("requestParameters", parse(requestParameters));
        r.put("readOnly", false);
        return r;
    }

    static ObjectNode iamUser(String name) {
        return (ObjectNode)
                parse(
                        "{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLE"
                                + name.toUpperCase()
                                + "\",\"arn\":\"arn:aws:iam::111122223333:user/"
                                + name
                                + "\",\"accountId\":\"111122223333\",\"userName\":\""
                                + name
                                + "\"}");
    }

    static ObjectNode assumedRole(String account, String role, String session) {
        String json =
                "{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLE:{session}\","
                        + "\"arn\":\"arn:aws:sts::{account}:assumed-role/{role}/{session}\","
                        + "\"accountId\":\"{account}\",\"sessionContext\":{\"sessionIssuer\":"
                        + "{\"type\":\"Role\",\"arn\":\"arn:aws:iam::{account}:role/{role}\","
                        + "\"accountId\":\"{account}\",\"userName\":\"{role}\"},"
                        + "\"attributes\":{\"mfaAuthenticated\":\"false\"}}}";
        return (ObjectNode)
                parse(
                        json.replace("{account}", account)
                                .replace("{role}", role)
                                .replace("{session}", session));
    }

    static ObjectNode keyResource(String arn) {
        ObjectNode res = JSON.createObjectNode();
        res.put("accountId", arn.split(":")[4]);
        res.put("type", "AWS::KMS::Key");
        res.put("ARN", arn);
        return res;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An S3 log file: {@code {"Records":[...]}} on one line, as CloudTrail writes it. */
    static byte[] logFile(JsonNode... records) {
        ObjectNode file = JSON.createObjectNode();
        ArrayNode array = file.putArray("Records");
        for (JsonNode r : records) {
            array.add(r);
        }
        return file.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One record per line. */
    static byte[] lines(JsonNode... records) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode r : records) {
            sb.append(r).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
