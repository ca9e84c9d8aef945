package io.orchestry.registry.domain;

import java.time.Instant;
import java.util.Map;

/** A tenant: owns projects (and, through them, apps and databases). */
public record Organization(String name, String displayName, Map<String, String> labels, int projectCount,
                           Instant createdAt, Instant updatedAt, long version) {
    public Organization {
        labels = Map.copyOf(labels);
    }
}
