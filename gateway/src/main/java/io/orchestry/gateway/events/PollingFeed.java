package io.orchestry.gateway.events;

import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A feed of what has no watch RPC: each poll reads a snapshot, compares it with the last one and publishes what changed;
 * the first poll only says where to start. A dependency that does not answer is logged once and tried again at the next
 * poll. The one poll loop of {@link DeploymentFeed} and {@link DatabaseFeed}.
 *
 * @param <S> one poll's snapshot
 */
abstract class PollingFeed<S> {
    private static final Logger LOG = LoggerFactory.getLogger(PollingFeed.class);
    private final String what;
    private boolean listed;
    private boolean failing;
    private long polls;

    /** @param what named in the log line when the poll fails, e.g. "the provisioner's deployments" */
    PollingFeed(String what) {
        this.what = what;
    }

    /** Reads the snapshot now. */
    abstract S fetch();

    /** Publishes what changed since the last snapshot (only after the first poll). */
    abstract void compare(S now);

    /** Keeps {@code now} as the snapshot the next poll compares with. */
    abstract void keep(S now);

    /** Whether a poll has said where to start: changes from now on are published. */
    final synchronized boolean listed() {
        return listed;
    }

    /** The events' sequence: one per successful poll. */
    final synchronized long polls() {
        return polls;
    }

    /** One poll. */
    final synchronized void poll() {
        S now;
        try {
            now = fetch();
        } catch (StatusRuntimeException e) {
            if (!failing) {
                LOG.warn("cannot poll {}: {}; trying again at each tick", what, e.getStatus());
            }
            failing = true;
            return;
        }
        failing = false;
        polls++;
        if (listed) {
            compare(now);
        }
        keep(now);
        listed = true;
    }
}
