package io.orchestry.provisioner.reconcile;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstanceState;

import java.time.Duration;
import java.time.Instant;

/**
 * One instance row as the planner sees it.
 *
 * @param current     of the app's revision and created at or after its restartedAt
 * @param ready       running and healthy
 * @param availableAt when it is (or will be) available: healthy since then minus min ready; null while not ready
 * @param draining    on a node in mode DRAINING: it has to move
 */
record Replica(Instance instance, boolean current, boolean ready, @Nullable Instant availableAt, boolean draining) {

    static Replica of(Instance instance, App app, FleetNode node, Instant now) {
        boolean current = instance.revision() == app.revision()
                && (app.restartedAt() == null || !instance.createTime().isBefore(app.restartedAt()));
        boolean ready = instance.state() == InstanceState.RUNNING && instance.health() == InstanceHealth.HEALTHY
                && !instance.retiring();
        Duration minReady = app.spec().rollingUpdate().minReady();
        Instant availableAt = ready
                ? (instance.healthySince() == null ? now : instance.healthySince()).plus(minReady)
                : null;
        return new Replica(instance, current, ready, availableAt, node.mode() == FleetNode.Mode.DRAINING);
    }

    String id() {
        return instance.id();
    }

    /** Healthy for min ready at {@code now}. */
    boolean available(Instant now) {
        return availableAt != null && !availableAt.isAfter(now);
    }

    /** Of the app's revision and on a node it may stay on: counts towards the desired replicas. */
    boolean wanted() {
        return current && !draining;
    }

    boolean exited() {
        return instance.state() == InstanceState.FAILED || instance.state() == InstanceState.STOPPED;
    }

    /** Recorded, never started (no handle): a crash between the insert and the driver call, or a start that failed. */
    boolean neverStarted() {
        return instance.state() == InstanceState.PENDING && instance.runtimeId().isEmpty();
    }
}
