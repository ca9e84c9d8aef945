package io.orchestry.registry.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A project of an organization. Its name is unique across Orchestry: a project's database is named after it.
 * {@code holds} names what other services keep in it (e.g. "database"), in name order: while any remains,
 * the project is deleted only when forced.
 */
public record Project(String name, String organization, String displayName, Map<String, String> labels,
                      Instant createdAt, long version, List<String> holds) {
    public Project {
        labels = Map.copyOf(labels);
        holds = List.copyOf(holds);
    }
}
