package io.orchestry.provisioner.reconcile;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.Deployment;
import io.orchestry.provisioner.domain.Deployment.DeploymentState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a rollout stands: started, progressing, complete, or past its progress deadline (no replica of the new revision
 * became available for that long: rolled back to the revision it came from, or failed when there is none). Pure.
 *
 * @param advanced   the deployment's new row when it changed, else null
 * @param rollBackTo the revision to restore, 0 for none
 * @param due        when the progress deadline passes, while it is running
 */
record DeploymentCheck(@Nullable Deployment advanced, long rollBackTo, StatusPlanner.Progress progress, String message,
                       Optional<Instant> due) {

    static DeploymentCheck of(Deployment d, App app, List<Replica> fresh, List<Replica> stale, Instant now) {
        if (d.toRevision() != app.revision()) {
            String message = "superseded: the app is at revision " + app.revision();
            return new DeploymentCheck(with(d, DeploymentState.SUPERSEDED, message, d.updatedReplicas(), d.desiredReplicas(), now, now),
                    0, StatusPlanner.Progress.NONE, message, Optional.empty());
        }
        int desired = app.spec().replicas();
        int updated = fresh.size();
        long available = fresh.stream().filter(r -> r.available(now)).count();
        Instant started = d.startTime() == null ? now : d.startTime();
        if (updated == desired && available >= desired && stale.isEmpty()) {
            String message = desired + " replicas of revision " + app.revision() + " available";
            return new DeploymentCheck(with(d, DeploymentState.SUCCEEDED, message, updated, desired, started, now), 0,
                    StatusPlanner.Progress.COMPLETE, message, Optional.empty());
        }
        Duration deadline = app.spec().rollingUpdate().progressDeadline();
        Instant lastProgress = fresh.stream()
                .filter(r -> r.available(now))
                .map(Replica::availableAt)
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .filter(started::isBefore)
                .orElse(started);
        Instant due = lastProgress.plus(deadline);
        if (!now.isBefore(due)) {
            String message = "no replica of revision " + app.revision() + " became available for " + deadline
                    + " (" + available + " of " + desired + " available)";
            boolean canRollBack = d.fromRevision() > 0 && d.fromRevision() != d.toRevision();
            if (canRollBack) {
                return new DeploymentCheck(null, d.fromRevision(), StatusPlanner.Progress.DEADLINE_EXCEEDED,
                        message + "; rolled back to revision " + d.fromRevision(), Optional.empty());
            }
            return new DeploymentCheck(with(d, DeploymentState.FAILED, message, updated, desired, started, now), 0,
                    StatusPlanner.Progress.DEADLINE_EXCEEDED, message, Optional.empty());
        }
        String message = updated + " of " + desired + " replicas updated, " + available + " available";
        Deployment running = with(d, DeploymentState.IN_PROGRESS, message, updated, desired, started, null);
        boolean changed = d.state() != DeploymentState.IN_PROGRESS || d.updatedReplicas() != updated
                || d.desiredReplicas() != desired || d.startTime() == null;
        return new DeploymentCheck(changed ? running : null, 0, StatusPlanner.Progress.ROLLING, message,
                Optional.of(due));
    }

    private static Deployment with(Deployment d, DeploymentState state, String message, int updated, int desired,
                                   @Nullable Instant start, @Nullable Instant end) {
        return new Deployment(d.id(), d.app(), d.project(), d.fromRevision(), d.toRevision(), state, d.strategy(),
                d.trigger(), message, updated, desired, d.createTime(),
                start, end);
    }
}
