package io.orchestry.registry.domain;

import java.time.Instant;
import java.util.Map;

/** A project of an organization. Its name is unique across Orchestry: a project's database is named after it. */
public record Project(String name, String organization, String displayName, Map<String, String> labels,
                      Instant createdAt, long version) {
    public Project {
        labels = Map.copyOf(labels);
    }
}
