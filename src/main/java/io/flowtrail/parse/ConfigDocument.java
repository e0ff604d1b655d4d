package io.flowtrail.parse;

import io.flowtrail.model.NetworkConfig;

/**
 * One parsed {@code describe-*} document.
 *
 * @param key its snapshot key: the kind's key, or {@code PrefixListEntries:pl-...}
 * @param json its text as a snapshot keeps it: the input unchanged, except that prefix-list entries
 *     get a top-level {@code PrefixListId} when the file name was what named the list
 * @param content what it says, as objects
 */
public record ConfigDocument(DocumentKind kind, String key, String json, NetworkConfig content) {}
