package io.flowtrail.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Why a flow was allowed or denied, line by line, for a person: the flow, the configuration in
 * force, how the flow was read (request or response), the network-ACL entries checked in order and
 * the one that decided, the security-group rules checked and the ones that matched, and the
 * verdict. Filled by {@link FlowEvaluator#evaluate(io.flowtrail.model.FlowRecord, Explanation)} and
 * printed by the {@code explain} command.
 */
public final class Explanation {
    private final List<String> lines = new ArrayList<>();

    public void add(String line) {
        lines.add(line);
    }

    public List<String> lines() {
        return Collections.unmodifiableList(lines);
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** Whether any line contains {@code text}. */
    public boolean mentions(String text) {
        for (String line : lines) {
            if (line.contains(text)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }
}
