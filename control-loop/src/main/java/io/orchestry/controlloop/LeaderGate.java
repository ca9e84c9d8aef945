package io.orchestry.controlloop;

import java.util.List;
import java.util.Objects;

/**
 * Runs controllers on the leader only: starts them when this replica is elected, stops them
 * (waiting for the reconciles in flight) when it is deposed. A write already past its last check
 * when the replica is deposed is what {@link Fence} refuses.
 */
public final class LeaderGate implements LeadershipListener, AutoCloseable {
    private final Leadership leadership;
    private final List<Controller<?>> controllers;

    private LeaderGate(Leadership leadership, List<Controller<?>> controllers) {
        this.leadership = leadership;
        this.controllers = controllers;
    }

    /** Gates the controllers on the leadership; if this replica leads already, they start now. */
    public static LeaderGate of(Leadership leadership, Controller<?>... controllers) {
        LeaderGate gate = new LeaderGate(Objects.requireNonNull(leadership, "leadership"), List.of(controllers));
        leadership.addListener(gate);
        return gate;
    }

    @Override
    public void elected(long epoch) {
        controllers.forEach(Controller::start);
    }

    @Override
    public void deposed() {
        controllers.forEach(Controller::stop);
    }

    /** Stops the controllers and no longer follows the leadership (at shutdown). */
    @Override
    public void close() {
        leadership.removeListener(this);
        controllers.forEach(Controller::stop);
    }
}
