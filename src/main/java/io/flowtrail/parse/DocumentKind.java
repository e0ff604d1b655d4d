package io.flowtrail.parse;

/**
 * The {@code describe-*} documents Flowtrail reads, each recognised by its top-level key (and, for
 * the two commands that both print {@code PrefixLists}, by the shape of its elements).
 */
public enum DocumentKind {
    SECURITY_GROUPS("SecurityGroups", "SecurityGroups", "describe-security-groups"),
    SECURITY_GROUP_RULES(
            "SecurityGroupRules", "SecurityGroupRules", "describe-security-group-rules"),
    NETWORK_ACLS("NetworkAcls", "NetworkAcls", "describe-network-acls"),
    NETWORK_INTERFACES("NetworkInterfaces", "NetworkInterfaces", "describe-network-interfaces"),
    SUBNETS("Subnets", "Subnets", "describe-subnets"),
    ROUTE_TABLES("RouteTables", "RouteTables", "describe-route-tables"),
    VPCS("Vpcs", "Vpcs", "describe-vpcs"),
    VPC_ENDPOINTS("VpcEndpoints", "VpcEndpoints", "describe-vpc-endpoints"),
    /** AWS service lists with their {@code Cidrs}. */
    PREFIX_LISTS("PrefixLists", "PrefixLists", "describe-prefix-lists"),
    MANAGED_PREFIX_LISTS("ManagedPrefixLists", "PrefixLists", "describe-managed-prefix-lists"),
    VPC_PEERING_CONNECTIONS(
            "VpcPeeringConnections", "VpcPeeringConnections", "describe-vpc-peering-connections"),
    /** One list's entries: the snapshot key is {@code PrefixListEntries:pl-...}. */
    PREFIX_LIST_ENTRIES("PrefixListEntries", "Entries", "get-managed-prefix-list-entries");

    private final String key;
    private final String topLevelKey;
    private final String command;

    DocumentKind(String key, String topLevelKey, String command) {
        this.key = key;
        this.topLevelKey = topLevelKey;
        this.command = command;
    }

    /**
     * The snapshot key of the kind ({@code SecurityGroups}); prefix-list entries add {@code
     * :pl-...}.
     */
    public String key() {
        return key;
    }

    /** The key the document's array is under. */
    public String topLevelKey() {
        return topLevelKey;
    }

    /** The AWS CLI command that prints it, without {@code aws ec2}. */
    public String command() {
        return command;
    }

    /** The kind of a snapshot key ({@code PrefixListEntries:pl-0abc} is prefix-list entries). */
    public static DocumentKind ofKey(String documentKey) {
        int colon = documentKey.indexOf(':');
        String kind = colon < 0 ? documentKey : documentKey.substring(0, colon);
        for (DocumentKind k : values()) {
            if (k.key.equals(kind)) {
                return k;
            }
        }
        throw new IllegalArgumentException("not a document key: " + documentKey);
    }

    /** {@code PrefixListEntries:pl-0abc}. */
    public static String entriesKey(String prefixListId) {
        return PREFIX_LIST_ENTRIES.key + ":" + prefixListId;
    }
}
