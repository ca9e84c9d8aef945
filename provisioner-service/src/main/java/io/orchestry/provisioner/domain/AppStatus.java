package io.orchestry.provisioner.domain;

import java.util.List;

/** What the reconciler observed, as of {@link #observedGeneration()}. */
public record AppStatus(
        long observedGeneration,
        AppState state,
        int desiredReplicas,
        int readyReplicas,
        int availableReplicas,
        int updatedReplicas,
        long currentRevision,
        List<Condition> conditions) {

    public static final AppStatus NEW = new AppStatus(0, AppState.PENDING, 0, 0, 0, 0, 0, List.of());

    public AppStatus {
        conditions = List.copyOf(conditions);
    }
}
