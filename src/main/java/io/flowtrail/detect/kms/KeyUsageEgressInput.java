package io.flowtrail.detect.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowtrail.model.Alert;
import java.io.IOException;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * What {@link KeyUsageEgressCorrelator} reads, one stream keyed by instance id: a key-usage alert
 * ({@code kms_decrypt_burst} or {@code kms_new_principal}) whose principal maps to an instance, or
 * an {@code unexpected_egress} alert of an interface attached to an instance. Build them with
 * {@link #keyUsage} and {@link #egress}; the instance id is the pipeline's to find:
 *
 * <ul>
 *   <li>key usage: {@link #instanceIdOf(Alert)} (the role session named after the instance, which
 *       the detectors put in the evidence as {@code instance_id}), else the instance whose
 *       interface has the alert's {@code src_addr} as its private address in the configuration in
 *       force (calls through an interface VPC endpoint carry the caller's private address);
 *   <li>egress: the instance of the alert's {@code interface_id} in the configuration ({@code
 *       NetworkIndex.networkInterface(id).instanceId()}); interfaces without an instance (NAT
 *       gateways, load balancers) give no input.
 * </ul>
 *
 * <p>Event time is the alert's: {@link #timestamp()}, the last millisecond of its window, the
 * timestamp Flink gives the records a detector emits from its window timer. A Flink POJO.
 */
public class KeyUsageEgressInput {
    public static final byte KEY_USAGE = 0;
    public static final byte EGRESS = 1;

    /** Ties a key-usage alert to its instance through the session name. */
    public static final String BY_SESSION_NAME = "session_name";

    /** Ties a key-usage alert to its instance through the source address. */
    public static final String BY_SOURCE_ADDRESS = "source_address";

    private static final ObjectMapper JSON = new ObjectMapper();

    public byte kind;
    public String instanceId;

    /** How the instance was found: {@link #BY_SESSION_NAME}, {@link #BY_SOURCE_ADDRESS}, ... */
    public String link;

    public Alert alert;

    public KeyUsageEgressInput() {}

    /** Keys the inputs by instance id. */
    public static final class Key implements KeySelector<KeyUsageEgressInput, String> {
        @Override
        public String getKey(KeyUsageEgressInput in) {
            return in.instanceId;
        }
    }

    /** An alert the correlator takes as key usage. */
    public static boolean isKeyUsageAlert(Alert a) {
        return KmsCalls.CATEGORY.equals(a.category)
                && (DecryptBurstDetector.DETECTOR.equals(a.detector)
                        || NewPrincipalDetector.DETECTOR.equals(a.detector));
    }

    /** An alert the correlator takes as egress: {@code unexpected_egress} with an interface. */
    public static boolean isEgressAlert(Alert a) {
        return "unexpected_egress".equals(a.category) && a.interfaceId != null;
    }

    public static KeyUsageEgressInput keyUsage(Alert kmsAlert, String instanceId, String link) {
        if (!isKeyUsageAlert(kmsAlert)) {
            throw new IllegalArgumentException("not a key-usage alert: " + kmsAlert);
        }
        return of(KEY_USAGE, kmsAlert, instanceId, link);
    }

    public static KeyUsageEgressInput egress(Alert egressAlert, String instanceId) {
        if (!isEgressAlert(egressAlert)) {
            throw new IllegalArgumentException(
                    "not an egress alert with an interface: " + egressAlert);
        }
        return of(EGRESS, egressAlert, instanceId, "interface");
    }

    private static KeyUsageEgressInput of(byte kind, Alert a, String instanceId, String link) {
        if (instanceId == null) {
            throw new IllegalArgumentException("no instance id for " + a);
        }
        KeyUsageEgressInput in = new KeyUsageEgressInput();
        in.kind = kind;
        in.alert = a;
        in.instanceId = instanceId;
        in.link = link;
        return in;
    }

    /**
     * The instance a key-usage alert names through its session ({@code instance_id} in the
     * evidence), or null.
     */
    public static String instanceIdOf(Alert kmsAlert) {
        if (kmsAlert.evidence == null) {
            return null;
        }
        try {
            JsonNode id = JSON.readTree(kmsAlert.evidence).get("instance_id");
            return id == null || !id.isTextual() ? null : id.asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** The event time of this input: the last millisecond of its alert's window. */
    public long timestamp() {
        return alert.windowEnd - 1;
    }

    @Override
    public String toString() {
        return (kind == KEY_USAGE ? "key usage " : "egress ") + instanceId + " " + alert;
    }
}
