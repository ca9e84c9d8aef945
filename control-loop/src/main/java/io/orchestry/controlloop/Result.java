package io.orchestry.controlloop;

import java.time.Duration;
import java.util.Objects;

/**
 * What one {@link Reconciler#reconcile} decided about its key. A thrown exception is the fourth
 * outcome: the key is retried with backoff, since the failure is presumed to pass (a database
 * blip, a driver timeout).
 */
public sealed interface Result {

    /** The key is where it should be: forget its failures, wait for the next event or resync. */
    static Result done() {
        return Done.INSTANCE;
    }

    /**
     * Look again after {@code delay} (polling something that has no events, a TTL that runs out);
     * not a failure, so the key's backoff is reset.
     */
    static Result requeueAfter(Duration delay) {
        return new RequeueAfter(delay);
    }

    /**
     * The key cannot be reconciled until something about it changes (an invalid spec): logged and
     * counted, not retried, so a bad key never hot-loops. An event or a resync enqueues it again.
     */
    static Result terminal(String reason) {
        return new Terminal(reason);
    }

    /** See {@link #done()}. */
    enum Done implements Result {
        INSTANCE
    }

    /** See {@link #requeueAfter(Duration)}. */
    record RequeueAfter(Duration delay) implements Result {
        public RequeueAfter {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("a requeue delay cannot be negative: " + delay);
            }
        }
    }

    /** See {@link #terminal(String)}. */
    record Terminal(String reason) implements Result {
        public Terminal {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
