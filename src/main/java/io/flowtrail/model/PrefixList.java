package io.flowtrail.model;

import java.util.List;

/**
 * A prefix list: an AWS service list from {@code describe-prefix-lists} (with its {@code Cidrs}),
 * or a managed list from {@code describe-managed-prefix-lists} (whose entries come separately, from
 * {@code get-managed-prefix-list-entries}; {@link #cidrs} is then empty).
 *
 * @param version the managed list's {@code Version}, {@code -1} when not given
 * @param serviceList read from {@code describe-prefix-lists}: an AWS service's address ranges
 */
public record PrefixList(
        String prefixListId,
        String name,
        String ownerId,
        String addressFamily,
        long version,
        List<Cidr> cidrs,
        boolean serviceList) {
    public PrefixList {
        cidrs = List.copyOf(cidrs);
    }

    /**
     * Owned by AWS (an AWS service's ranges): a service list, a managed list owned by {@code AWS},
     * or one named {@code com.amazonaws.*}.
     */
    public boolean awsManaged() {
        return serviceList
                || "AWS".equals(ownerId)
                || (name != null && name.startsWith("com.amazonaws."));
    }
}
