package io.orchestry.provisioner.reconcile;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppState;
import io.orchestry.provisioner.domain.AppStatus;
import io.orchestry.provisioner.domain.Condition;
import io.orchestry.provisioner.domain.Condition.ConditionType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The status an app has as observed now: counts, state, and the Available / Progressing / Degraded conditions. Pure. */
final class StatusPlanner {

    /**
     * What the planner counted over the replicas that stay (not retiring, not lost).
     *
     * @param staleRevisions some replicas still run another revision (or predate a restart)
     */
    record Tally(int ready, int available, int updated, boolean staleRevisions, long currentRevision) {
    }

    enum Progress { NONE, ROLLING, COMPLETE, DEADLINE_EXCEEDED }

    /** Why the app is degraded, when it is. */
    record Finding(String reason, String message) {
    }

    private StatusPlanner() {
    }

    static AppStatus status(App app, Tally tally, Progress progress, String progressMessage,
                            @Nullable Finding finding, Instant now) {
        long generation = app.generation();
        List<Condition> previous = app.status().conditions();
        int desired = app.desiredReplicas();
        int minAvailable = Math.max(0, desired - app.spec().rollingUpdate().maxUnavailable());
        boolean enough = tally.available() >= minAvailable;
        Condition available = Conditions.condition(previous, ConditionType.AVAILABLE, enough,
                enough ? Conditions.MINIMUM_REPLICAS_AVAILABLE : Conditions.MINIMUM_REPLICAS_UNAVAILABLE,
                tally.available() + " of " + desired + " replicas available", now, generation);

        Condition progressing = switch (progress) {
            case DEADLINE_EXCEEDED -> Conditions.condition(previous, ConditionType.PROGRESSING, false,
                    Conditions.PROGRESS_DEADLINE_EXCEEDED, progressMessage, now, generation);
            case ROLLING -> Conditions.condition(previous, ConditionType.PROGRESSING, true,
                    Conditions.REPLICA_SET_UPDATED, progressMessage, now, generation);
            case COMPLETE, NONE -> Conditions.condition(previous, ConditionType.PROGRESSING, true,
                    Conditions.NEW_REPLICA_SET_AVAILABLE, "revision " + app.revision() + " is rolled out", now,
                    generation);
        };

        boolean allAvailable = tally.available() >= desired && !tally.staleRevisions();
        Finding degradedBy = finding;
        if (degradedBy == null && !allAvailable) {
            Optional<Condition> sticky = Conditions.stickyDegraded(app.status(), generation);
            if (sticky.isPresent()) {
                degradedBy = new Finding(sticky.get().reason(), sticky.get().message());
            }
        }
        Condition degraded = degradedBy == null
                ? Conditions.condition(previous, ConditionType.DEGRADED, false, Conditions.AS_EXPECTED, "", now, generation)
                : Conditions.condition(previous, ConditionType.DEGRADED, true, degradedBy.reason(), degradedBy.message(),
                now, generation);

        AppState state;
        if (app.deleting()) {
            state = AppState.DELETING;
        } else if (app.stopped()) {
            state = AppState.STOPPED;
        } else if (degradedBy != null) {
            state = AppState.DEGRADED;
        } else if (progress == Progress.ROLLING || tally.staleRevisions()) {
            state = AppState.DEPLOYING;
        } else if (tally.available() >= desired) {
            state = AppState.RUNNING;
        } else {
            state = tally.available() == 0 ? AppState.PENDING : AppState.RUNNING;
        }
        return new AppStatus(generation, state, desired, tally.ready(), tally.available(), tally.updated(),
                tally.currentRevision(), List.of(available, progressing, degraded));
    }
}
