package io.flowtrail.detect.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowtrail.model.Alert;
import io.flowtrail.model.NetworkChangeEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * What {@link ConfigChangeRejectsCorrelator} reads, one stream keyed by the changed resource (a
 * network ACL, security group or network interface id): an EC2 network change of that resource, or
 * a {@code rejected_traffic_spike} alert that names it. Build them with {@link #ofChange} (one per
 * resource the change names) and {@link #ofSpike} (one per resource the spike names: the network
 * ACLs of its {@code attribution} evidence, {@code nacl:acl-...#90}; its interface; and, when part
 * of the spike is {@code sg:no-matching-rule}, the security groups of its interface, which only the
 * pipeline's configuration index knows). A Flink POJO.
 */
public class ConfigChangeRejectsInput {
    public static final byte CHANGE = 0;
    public static final byte SPIKE = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    public byte kind;
    public String resourceId;
    public NetworkChangeEvent change;
    public Alert alert;

    public ConfigChangeRejectsInput() {}

    /** Keys the inputs by resource id. */
    public static final class Key implements KeySelector<ConfigChangeRejectsInput, String> {
        @Override
        public String getKey(ConfigChangeRejectsInput in) {
            return in.resourceId;
        }
    }

    /** One input per resource a successful change names; none for a failed call. */
    public static List<ConfigChangeRejectsInput> ofChange(NetworkChangeEvent e) {
        List<ConfigChangeRejectsInput> out = new ArrayList<>();
        if (e.failed()) {
            return out;
        }
        TreeSet<String> ids = new TreeSet<>();
        for (String id : new String[] {e.networkAclId, e.groupId, e.networkInterfaceId}) {
            if (id != null) {
                ids.add(id);
            }
        }
        for (String id : ids) {
            ConfigChangeRejectsInput in = new ConfigChangeRejectsInput();
            in.kind = CHANGE;
            in.resourceId = id;
            in.change = e;
            out.add(in);
        }
        return out;
    }

    /**
     * One input per resource a spike alert names.
     *
     * @param interfaceGroups the security groups of the spike's interface (from the configuration
     *     in force), or empty
     */
    public static List<ConfigChangeRejectsInput> ofSpike(
            Alert spike, Collection<String> interfaceGroups) {
        List<ConfigChangeRejectsInput> out = new ArrayList<>();
        if (!"rejected_traffic_spike".equals(spike.category)) {
            return out;
        }
        TreeSet<String> ids = new TreeSet<>();
        boolean bySecurityGroup = false;
        for (String attribution : attributions(spike)) {
            if (attribution.startsWith("nacl:")) {
                int hash = attribution.indexOf('#');
                ids.add(attribution.substring(5, hash < 0 ? attribution.length() : hash));
            } else if (attribution.startsWith("sg:")) {
                bySecurityGroup = true;
            }
        }
        if (bySecurityGroup && interfaceGroups != null) {
            ids.addAll(interfaceGroups);
        }
        if (spike.interfaceId != null) {
            ids.add(spike.interfaceId);
        }
        for (String id : ids) {
            ConfigChangeRejectsInput in = new ConfigChangeRejectsInput();
            in.kind = SPIKE;
            in.resourceId = id;
            in.alert = spike;
            out.add(in);
        }
        return out;
    }

    /** The {@code attribution} values of a spike's evidence. */
    static List<String> attributions(Alert spike) {
        List<String> out = new ArrayList<>();
        if (spike.evidence == null) {
            return out;
        }
        try {
            JsonNode list = JSON.readTree(spike.evidence).get("attribution");
            if (list != null && list.isArray()) {
                for (JsonNode n : list) {
                    JsonNode v = n.get("value");
                    if (v != null && v.isTextual()) {
                        out.add(v.asText());
                    }
                }
            }
        } catch (IOException e) {
            // Evidence that is not JSON names nothing.
        }
        return out;
    }

    /** Event time: the change's, or the last millisecond of the spike's window. */
    public long timestamp() {
        return kind == CHANGE ? change.eventTimeMillis : alert.windowEnd - 1;
    }

    @Override
    public String toString() {
        return (kind == CHANGE ? "change " + change : "spike " + alert) + " on " + resourceId;
    }
}
