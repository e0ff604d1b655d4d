package io.flowtrail.detect.kms;

import io.flowtrail.model.Alert;
import java.io.Serializable;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The key-usage inputs of {@link KeyUsageEgressCorrelator} from the KMS detectors' alerts: each
 * {@code kms_decrypt_burst} or {@code kms_new_principal} alert whose principal maps to an instance,
 * through its session name ({@code instance_id} in the evidence) or, given a lookup, through its
 * source address. Other alerts give nothing. Put it on the KMS alerts before keying by {@link
 * KeyUsageEgressInput.Key}.
 */
public final class KeyUsageSignals implements FlatMapFunction<Alert, KeyUsageEgressInput> {
    private static final long serialVersionUID = 1L;

    /** The instance whose interface has a private address, at a time; null when none. */
    @FunctionalInterface
    public interface InstanceByAddress extends Serializable {
        String instanceId(String privateAddress, long atMillis);
    }

    private final InstanceByAddress byAddress;

    /** Session names only. */
    public KeyUsageSignals() {
        this(null);
    }

    /** Session names, else source addresses through {@code byAddress} (may be null). */
    public KeyUsageSignals(InstanceByAddress byAddress) {
        this.byAddress = byAddress;
    }

    @Override
    public void flatMap(Alert a, Collector<KeyUsageEgressInput> out) {
        if (!KeyUsageEgressInput.isKeyUsageAlert(a)) {
            return;
        }
        String instance = KeyUsageEgressInput.instanceIdOf(a);
        if (instance != null) {
            out.collect(
                    KeyUsageEgressInput.keyUsage(a, instance, KeyUsageEgressInput.BY_SESSION_NAME));
            return;
        }
        if (byAddress != null && a.srcAddr != null) {
            instance = byAddress.instanceId(a.srcAddr, a.windowStart);
            if (instance != null) {
                out.collect(
                        KeyUsageEgressInput.keyUsage(
                                a, instance, KeyUsageEgressInput.BY_SOURCE_ADDRESS));
            }
        }
    }
}
