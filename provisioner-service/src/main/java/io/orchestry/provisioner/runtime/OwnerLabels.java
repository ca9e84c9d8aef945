package io.orchestry.provisioner.runtime;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The labels every workload Orchestry creates carries ({@code orchestry.managed=true}, {@code orchestry.app},
 * {@code orchestry.project}, {@code orchestry.revision}, {@code orchestry.instance}, {@code orchestry.created_at}), so a
 * restarted provisioner knows what is its own and never touches anything else.
 */
public record OwnerLabels(String app, String project, long revision, String instance, Instant createdAt) {
    public static final String MANAGED = "orchestry.managed";
    public static final String APP = "orchestry.app";
    public static final String PROJECT = "orchestry.project";
    public static final String REVISION = "orchestry.revision";
    public static final String INSTANCE = "orchestry.instance";
    public static final String CREATED_AT = "orchestry.created_at";

    public Map<String, String> asLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED, "true");
        labels.put(APP, app);
        labels.put(PROJECT, project);
        labels.put(REVISION, Long.toString(revision));
        labels.put(INSTANCE, instance);
        labels.put(CREATED_AT, createdAt.toString());
        return labels;
    }

    /**
     * Whether both name the same instance run: same app, project, revision and instance, created at the same moment (to
     * the millisecond, as a database keeps it). A workload left by another stack under the same deterministic name (an
     * earlier dev mode with a fresh database counts from 1 again) is not this run: it is replaced, never adopted.
     */
    public boolean sameRun(OwnerLabels other) {
        return other != null && app.equals(other.app) && project.equals(other.project) && revision == other.revision
                && instance.equals(other.instance)
                && createdAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                        .equals(other.createdAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    /** The owner the labels name, when they are complete and say managed; empty for anything that is not ours. */
    public static Optional<OwnerLabels> from(Map<String, String> labels) {
        if (labels == null || !"true".equals(labels.get(MANAGED))) {
            return Optional.empty();
        }
        try {
            String app = labels.get(APP);
            String project = labels.get(PROJECT);
            String instance = labels.get(INSTANCE);
            if (app == null || project == null || instance == null) {
                return Optional.empty();
            }
            return Optional.of(new OwnerLabels(app, project, Long.parseLong(labels.get(REVISION)), instance,
                    Instant.parse(labels.get(CREATED_AT))));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }
}
