package io.orchestry.provisioner.domain;

import io.micronaut.core.annotation.Nullable;

/**
 * One use case's change of an app, written in one transaction.
 *
 * @param app             the app as it should be (its version is ignored: the store increments the stored one)
 * @param expectedVersion the version the change was computed from
 * @param revision        a new revision to record, or null
 * @param deployment      a new deployment to start (superseding the unfinished ones), or null
 * @param scale           a change of replicas to record with its reason, or null
 */
public record AppChange(App app, long expectedVersion, @Nullable Revision revision, @Nullable Deployment deployment,
                        @Nullable ScaleRecord scale) {

    /** Why the replicas changed ({@code ScaleApp}'s reason), kept in {@code app_scale} for the history. */
    public record ScaleRecord(int fromReplicas, int toReplicas, String reason) {
    }
}
