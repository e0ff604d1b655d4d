package io.flowtrail.config;

import io.flowtrail.model.IpAddress;
import io.flowtrail.model.NetworkInterface;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which instance an interface or a private address belongs to, and an interface's security groups,
 * over every snapshot of a timeline (a later snapshot wins): what the correlators need to put a KMS
 * principal, an egress alert and a configuration change on the same instance. Small and
 * serializable: it travels with the job.
 */
public final class InstanceDirectory implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> instanceByInterface = new HashMap<>();
    private final Map<String, String> instanceByAddress = new HashMap<>();
    private final Map<String, List<String>> groupsByInterface = new HashMap<>();

    public static InstanceDirectory of(ConfigTimeline timeline) {
        InstanceDirectory d = new InstanceDirectory();
        for (ConfigSnapshot s : timeline.snapshots()) {
            NetworkIndex index = NetworkIndex.build(s);
            for (NetworkInterface eni : index.networkInterfaces()) {
                d.groupsByInterface.put(eni.interfaceId(), List.copyOf(eni.groupIds()));
                if (eni.instanceId() == null) {
                    continue;
                }
                d.instanceByInterface.put(eni.interfaceId(), eni.instanceId());
                for (IpAddress a : eni.privateIpv4Addresses()) {
                    d.instanceByAddress.put(a.toString(), eni.instanceId());
                }
                for (IpAddress a : eni.ipv6Addresses()) {
                    d.instanceByAddress.put(a.toString(), eni.instanceId());
                }
            }
        }
        return d;
    }

    public String instanceOfInterface(String interfaceId) {
        return interfaceId == null ? null : instanceByInterface.get(interfaceId);
    }

    public String instanceOfAddress(String address) {
        return address == null ? null : instanceByAddress.get(address);
    }

    public List<String> groupsOf(String interfaceId) {
        return interfaceId == null
                ? List.of()
                : groupsByInterface.getOrDefault(interfaceId, List.of());
    }
}
