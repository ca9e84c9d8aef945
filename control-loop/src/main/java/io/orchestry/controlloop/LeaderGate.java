package io.orchestry.controlloop;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Runs controllers on the leader only: starts them when this replica is elected, stops them
 * (waiting up to {@link #DEPOSED_GRACE} for the reconciles in flight, then interrupting them) when
 * it is deposed. A write already past its last check
 * when the replica is deposed is what {@link Fence} refuses.
 */
public final class LeaderGate implements LeadershipListener, AutoCloseable {
    /**
     * How long a deposed replica waits, in all, for its gated reconciles before it interrupts them:
     * deposed runs on the election's thread, which must not hang on a stuck loop. A late write
     * of an interrupted reconcile is refused by {@link Fence}.
     */
    public static final Duration DEPOSED_GRACE = Duration.ofSeconds(2);

    private final Leadership leadership;
    private final List<Controller<?>> controllers;
    private final Duration deposedGrace;

    private LeaderGate(Leadership leadership, List<Controller<?>> controllers, Duration deposedGrace) {
        this.leadership = leadership;
        this.controllers = controllers;
        this.deposedGrace = deposedGrace;
    }

    /** Gates the controllers on the leadership; if this replica leads already, they start now. */
    public static LeaderGate of(Leadership leadership, Controller<?>... controllers) {
        return of(leadership, DEPOSED_GRACE, controllers);
    }

    /** Like {@link #of(Leadership, Controller[])}, waiting at most {@code deposedGrace} in all when deposed. */
    public static LeaderGate of(Leadership leadership, Duration deposedGrace, Controller<?>... controllers) {
        LeaderGate gate = new LeaderGate(Objects.requireNonNull(leadership, "leadership"), List.of(controllers),
                Objects.requireNonNull(deposedGrace, "deposedGrace"));
        leadership.addListener(gate);
        return gate;
    }

    @Override
    public void elected(long epoch) {
        controllers.forEach(Controller::start);
    }

    @Override
    public void deposed() {
        long deadline = System.nanoTime() + deposedGrace.toNanos();
        for (Controller<?> controller : controllers) {
            controller.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    /** Stops the controllers and no longer follows the leadership (at shutdown). */
    @Override
    public void close() {
        leadership.removeListener(this);
        controllers.forEach(Controller::stop);
    }
}
