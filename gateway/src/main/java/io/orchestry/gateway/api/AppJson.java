package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An app as {@code GET /api/v1/apps/{app}} shows it: the spec (desired state) and the status the
 * reconciler observed.
 *
 * @param generation increases with every change of the spec; {@code status.observedGeneration} says which one was acted on
 * @param revision   the revision being rolled out
 * @param stopped    set by stop, cleared by start: zero replicas run while {@code spec.replicas} is kept
 * @param version    pass it back on PUT/PATCH; a stale one is refused with 409
 */
@Serdeable
public record AppJson(
        String name,
        String project,
        Map<String, String> labels,
        AppSpecJson spec,
        Status status,
        long generation,
        long revision,
        boolean stopped,
        @Nullable Instant createTime,
        @Nullable Instant updateTime,
        long version) {

    /**
     * Observed state, written by the reconciler only.
     *
     * @param state pending, running, deploying, degraded, stopped or deleting
     */
    @Serdeable
    public record Status(long observedGeneration, String state, int desiredReplicas, int readyReplicas,
                         int availableReplicas, int updatedReplicas, long currentRevision, List<Condition> conditions) {
    }

    /**
     * A Kubernetes-style condition.
     *
     * @param type   available, progressing or degraded
     * @param status true, false or unknown
     */
    @Serdeable
    public record Condition(String type, String status, String reason, String message, @Nullable Instant lastTransitionTime,
                            long observedGeneration) {
    }

    /** A page of apps; pass {@code nextPageToken} as {@code pageToken} for the next one (absent on the last page). */
    @Serdeable
    public record Page(List<AppJson> items, @Nullable String nextPageToken) {
    }

    /** The app after a change, and the rollout it started (absent when no new revision was needed). */
    @Serdeable
    public record Rollout(AppJson app, @Nullable DeploymentJson deployment) {
    }
}
