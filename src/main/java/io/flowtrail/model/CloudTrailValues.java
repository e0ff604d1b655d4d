package io.flowtrail.model;

import java.time.Instant;
import java.util.Set;

/** Small facts about CloudTrail values that the CloudTrail models share. */
public final class CloudTrailValues {
    /**
     * Error codes that mean the caller lacked permission. KMS writes {@code AccessDenied} in its
     * examples and {@code AccessDeniedException} in its API; EC2 writes {@code
     * Client.UnauthorizedOperation}.
     */
    public static final Set<String> ACCESS_DENIED_CODES =
            Set.of(
                    "AccessDenied",
                    "AccessDeniedException",
                    "UnauthorizedOperation",
                    "Client.UnauthorizedOperation");

    private CloudTrailValues() {}

    public static boolean isAccessDenied(String errorCode) {
        return errorCode != null && ACCESS_DENIED_CODES.contains(errorCode);
    }

    /**
     * An origin that ends in {@code [} is a JSON path ({@code file:Records[}): the position is an
     * index and the bracket is closed. Any other origin is a prefix ({@code file:line }).
     */
    public static String location(String origin, long position) {
        if (origin == null) {
            return null;
        }
        return origin.endsWith("[") ? origin + position + "]" : origin + position;
    }

    /**
     * {@code sourceIPAddress} holds an address, or a service name for calls made by AWS ({@code
     * s3.amazonaws.com}, {@code AWS Internal}): an address starts with a digit or holds a colon.
     */
    public static boolean looksLikeAddress(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        char c = text.charAt(0);
        if (c >= '0' && c <= '9') {
            return text.indexOf('.') > 0 || text.indexOf(':') > 0;
        }
        return text.indexOf(':') >= 0 && text.indexOf(' ') < 0;
    }

    static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
