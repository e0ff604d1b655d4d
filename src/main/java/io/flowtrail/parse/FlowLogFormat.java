package io.flowtrail.parse;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The ordered list of fields of a flow log: read from the header line of an S3 text file, from a
 * format string ({@code ${version} ${srcaddr} ...} or its plain form {@code version srcaddr ...}),
 * or the default version-2 format. Records are always parsed by their declared format, never by
 * counting fields.
 */
public final class FlowLogFormat implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_FORMAT_STRING =
            "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport}"
                    + " ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

    public static final FlowLogFormat DEFAULT = parse(DEFAULT_FORMAT_STRING);

    private final FlowLogField[] fields;
    private final List<String> unknownNames;

    private FlowLogFormat(FlowLogField[] fields, List<String> unknownNames) {
        this.fields = fields;
        this.unknownNames = unknownNames;
    }

    /**
     * Reads a format string in either form. Unknown field names are kept as {@link
     * FlowLogField#UNKNOWN} (their values are skipped) and listed by {@link #unknownNames()}.
     *
     * @throws IllegalArgumentException when the string is empty or a {@code ${...}} is not closed
     */
    public static FlowLogFormat parse(String format) {
        if (format == null || format.isBlank()) {
            throw new IllegalArgumentException("a flow-log format needs at least one field");
        }
        List<FlowLogField> fields = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        int i = 0;
        int n = format.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(format.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int j = i;
            while (j < n && !Character.isWhitespace(format.charAt(j))) {
                j++;
            }
            String token = format.substring(i, j);
            if (token.startsWith("${")) {
                if (!token.endsWith("}") || token.length() < 4) {
                    throw new IllegalArgumentException(
                            "field '" + token + "' in the flow-log format is not closed by '}'");
                }
                token = token.substring(2, token.length() - 1);
            }
            FlowLogField field = FlowLogField.byName(token);
            if (field == null) {
                unknown.add(token);
                field = FlowLogField.UNKNOWN;
            }
            fields.add(field);
            i = j;
        }
        return new FlowLogFormat(
                fields.toArray(new FlowLogField[0]), Collections.unmodifiableList(unknown));
    }

    /**
     * Whether a first line of a text file is a header: every token is a field-name-like word
     * (lower-case letters, digits, '-' or '_', starting with a letter) and at least one is a field
     * Flowtrail knows. A record never qualifies: it has numbers, addresses or {@code -}.
     */
    public static boolean looksLikeHeader(byte[] buf, int from, int to) {
        boolean knownSeen = false;
        int i = from;
        while (i < to) {
            while (i < to && buf[i] == ' ') {
                i++;
            }
            if (i >= to) {
                break;
            }
            int start = i;
            byte first = buf[i];
            if (first < 'a' || first > 'z') {
                return false;
            }
            while (i < to && buf[i] != ' ') {
                byte b = buf[i];
                boolean ok =
                        (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_';
                if (!ok) {
                    return false;
                }
                i++;
            }
            if (!knownSeen
                    && FlowLogField.byName(
                                    new String(
                                            buf,
                                            start,
                                            i - start,
                                            java.nio.charset.StandardCharsets.US_ASCII))
                            != null) {
                knownSeen = true;
            }
        }
        return knownSeen;
    }

    public int size() {
        return fields.length;
    }

    public FlowLogField field(int index) {
        return fields[index];
    }

    public boolean contains(FlowLogField field) {
        for (FlowLogField f : fields) {
            if (f == field) {
                return true;
            }
        }
        return false;
    }

    /** Names in the format that this build does not know; their values are skipped. */
    public List<String> unknownNames() {
        return unknownNames;
    }

    /** The format in {@code ${field}} form. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int unknown = 0;
        for (FlowLogField field : fields) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            String name =
                    field == FlowLogField.UNKNOWN ? unknownNames.get(unknown++) : field.wireName();
            sb.append("${").append(name).append('}');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowLogFormat && toString().equals(o.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
