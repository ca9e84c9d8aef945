package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One rollout of an app from one revision to another.
 *
 * @param fromRevision 0 for the first rollout of a new app
 * @param state        pending, in_progress, succeeded, failed, rolled_back or superseded
 * @param strategy     rolling_update or recreate
 * @param trigger      create, update, rollback or restart
 * @param message      progress, or why it failed or was rolled back
 * @param endTime      set once the state is final
 */
@Serdeable
public record DeploymentJson(
        String id,
        String app,
        String project,
        long fromRevision,
        long toRevision,
        String state,
        @Nullable String strategy,
        @Nullable String trigger,
        String message,
        int updatedReplicas,
        int desiredReplicas,
        @Nullable Instant createTime,
        @Nullable Instant startTime,
        @Nullable Instant endTime) {

    /** A page of deployments, newest first; pass {@code nextPageToken} as {@code pageToken} for the next one. */
    @Serdeable
    public record Page(List<DeploymentJson> items, @Nullable String nextPageToken) {
    }

    /**
     * Counts of rollouts by state.
     *
     * @param meanDuration mean start-to-end time of the finished ones, as an ISO-8601 duration; absent when none finished
     */
    @Serdeable
    public record Stats(int total, Map<String, Integer> byState, @Nullable String meanDuration) {
    }
}
