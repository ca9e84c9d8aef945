package io.orchestry.provisioner.reconcile;

import io.orchestry.provisioner.domain.AppState;
import io.orchestry.provisioner.domain.AppStatus;
import io.orchestry.provisioner.domain.Condition;
import io.orchestry.provisioner.domain.Condition.ConditionStatus;
import io.orchestry.provisioner.domain.Condition.ConditionType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The condition reasons the reconciler writes, and the rule that a condition keeps its transition time. Pure. */
final class Conditions {
    static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
    static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";
    static final String NEW_REPLICA_SET_AVAILABLE = "NewReplicaSetAvailable";
    static final String REPLICA_SET_UPDATED = "ReplicaSetUpdated";
    static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
    static final String INSUFFICIENT_CAPACITY = "InsufficientCapacity";
    static final String INVALID_SPEC = "InvalidSpec";
    static final String IMAGE_NOT_FOUND = "ImageNotFound";
    /** A start failed for a reason that may pass (retried with backoff; neither blocking nor sticky). */
    static final String START_FAILED = "StartFailed";
    static final String STOPPED = "Stopped";
    static final String AS_EXPECTED = "AsExpected";

    /** Degraded reasons that hold until the spec changes: nothing of this generation can start. */
    static final Set<String> BLOCKING = Set.of(INVALID_SPEC, IMAGE_NOT_FOUND);
    /** Degraded reasons that hold, for one generation, until every desired replica is available. */
    private static final Set<String> STICKY = Set.of(INVALID_SPEC, IMAGE_NOT_FOUND, INSUFFICIENT_CAPACITY,
            PROGRESS_DEADLINE_EXCEEDED);

    private Conditions() {
    }

    /** The condition, with the previous one's transition time when its status did not change. */
    static Condition condition(List<Condition> previous, ConditionType type, boolean status, String reason,
                               String message, Instant now, long generation) {
        ConditionStatus value = status ? ConditionStatus.TRUE : ConditionStatus.FALSE;
        Instant since = previous.stream()
                .filter(c -> c.type() == type && c.status() == value)
                .map(Condition::lastTransitionTime)
                .findFirst()
                .orElse(now);
        return new Condition(type, value, reason, message, since, generation);
    }

    /** A Degraded=True of this generation that still holds (see {@link #STICKY}). */
    static Optional<Condition> stickyDegraded(AppStatus status, long generation) {
        return status.conditions().stream()
                .filter(c -> c.type() == ConditionType.DEGRADED && c.status() == ConditionStatus.TRUE)
                .filter(c -> c.observedGeneration() == generation && STICKY.contains(c.reason()))
                .findFirst();
    }

    static boolean blocked(AppStatus status, long generation) {
        return stickyDegraded(status, generation).filter(c -> BLOCKING.contains(c.reason())).isPresent();
    }

    /**
     * The status with Degraded=True for the reason (the executor's findings: no capacity, image or executable
     * missing), its state DEGRADED unless the app is stopping or going away.
     */
    static AppStatus withDegraded(AppStatus status, List<Condition> previous, String reason, String message,
                                  Instant now) {
        List<Condition> conditions = new ArrayList<>();
        for (Condition c : status.conditions()) {
            if (c.type() != ConditionType.DEGRADED) {
                conditions.add(c);
            }
        }
        conditions.add(condition(previous, ConditionType.DEGRADED, true, reason, message, now,
                status.observedGeneration()));
        AppState state = status.state() == AppState.STOPPED || status.state() == AppState.DELETING
                ? status.state() : AppState.DEGRADED;
        return new AppStatus(status.observedGeneration(), state, status.desiredReplicas(), status.readyReplicas(),
                status.availableReplicas(), status.updatedReplicas(), status.currentRevision(), conditions);
    }
}
