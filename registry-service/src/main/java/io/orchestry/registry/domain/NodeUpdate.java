package io.orchestry.registry.domain;

import java.util.Map;
import java.util.Set;

/**
 * A change to a registered node: only the fields named in {@code fields} change; the rest of the
 * values are ignored. {@code version} must be the node's current version.
 */
public record NodeUpdate(String name, long version, Set<Field> fields, Map<String, String> labels, Resources capacity,
                         Resources reserved, String region, String provider, String endpoint, CredentialBytes credentials) {
    public enum Field { LABELS, CAPACITY, RESERVED, REGION, PROVIDER, ENDPOINT, CREDENTIALS }
}
