package io.orchestry.provisioner.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * An app: desired state (spec, written by the use cases) and observed state (status, written by the reconciler only).
 *
 * @param generation increases with every change of the spec (replicas, stopped and deletion included)
 * @param revision   the revision being rolled out; a new one for every change of what runs
 * @param deleting   DeleteApp was called: the reconciler removes the replicas, then the row
 * @param restartedAt RestartApp was called then: replicas created before it are replaced (same revision); null: never
 * @param version    optimistic concurrency, increases with every write of the row (spec or status)
 */
public record App(
        String name,
        String project,
        Map<String, String> labels,
        AppSpec spec,
        long generation,
        long revision,
        boolean stopped,
        boolean deleting,
        @Nullable Instant restartedAt,
        Instant createTime,
        Instant updateTime,
        long version,
        AppStatus status) {

    public App {
        labels = Map.copyOf(labels);
    }

    /** The replicas that should run now: 0 while stopped or deleting. */
    public int desiredReplicas() {
        return stopped || deleting ? 0 : spec.replicas();
    }

    public App withStatus(AppStatus newStatus) {
        return new App(name, project, labels, spec, generation, revision, stopped, deleting, restartedAt, createTime, updateTime, version, newStatus);
    }
}
