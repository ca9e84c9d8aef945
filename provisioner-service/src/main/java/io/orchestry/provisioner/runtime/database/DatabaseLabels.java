package io.orchestry.provisioner.runtime.database;

import io.orchestry.provisioner.runtime.OwnerLabels;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every database server Orchestry makes carries ({@code orchestry.managed=true}, {@code orchestry.type=postgres},
 * {@code orchestry.project}, {@code orchestry.version}, {@code orchestry.created_at}): as container and volume labels
 * (docker) or in the server's state file (process).
 */
public record DatabaseLabels(String project, String version, Instant createdAt) {
    public static final String TYPE = "orchestry.type";
    public static final String POSTGRES = "postgres";
    public static final String VERSION = "orchestry.version";

    public Map<String, String> asLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(OwnerLabels.MANAGED, "true");
        labels.put(TYPE, POSTGRES);
        labels.put(OwnerLabels.PROJECT, project);
        labels.put(VERSION, version);
        labels.put(OwnerLabels.CREATED_AT, createdAt.toString());
        return labels;
    }

    /** The labels of one of our database servers; empty for anything else (an app's container, a stranger's). */
    public static Optional<DatabaseLabels> from(Map<String, String> labels) {
        if (labels == null || !"true".equals(labels.get(OwnerLabels.MANAGED)) || !POSTGRES.equals(labels.get(TYPE))) {
            return Optional.empty();
        }
        try {
            String project = labels.get(OwnerLabels.PROJECT);
            String version = labels.get(VERSION);
            if (project == null || version == null) {
                return Optional.empty();
            }
            return Optional.of(new DatabaseLabels(project, version, Instant.parse(labels.get(OwnerLabels.CREATED_AT))));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }
}
