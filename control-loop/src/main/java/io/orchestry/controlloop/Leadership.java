package io.orchestry.controlloop;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Optional;

/**
 * Which replica of a service runs its loops. Several replicas of a service serve requests, but a
 * loop (health monitor, reconcile, evaluate, sync) must run on one only, or two replicas would act
 * on the same state twice; the leader runs them. One bean per service, made by
 * {@code LeadershipFactory}: a {@link PostgresLeaderElection}, or a {@link SoloLeadership} when
 * election is switched off. Loops are gated on it with {@link LeaderGate}, and every write a
 * leader-only loop makes is checked with {@link Fence} against {@link #heldEpoch()}.
 */
public interface Leadership extends AutoCloseable {

    /** False when this replica runs its loops without asking anyone (one replica, no election). */
    boolean electionEnabled();

    /** The election's name, e.g. {@code registry-service}: the row in {@code leader_epoch} that fences. */
    String name();

    /** Whether this replica runs the loops now. */
    boolean isLeader();

    /**
     * The epoch of the leadership as this replica last saw it: its own while it leads, the
     * leader's (from {@code leader_epoch}) while it follows, 0 when unknown or without election.
     * For reporting; fence with {@link #heldEpoch()}.
     */
    long epoch();

    /**
     * The epoch this replica holds while it leads, 0 when it does not. This is what a write is
     * fenced with: a deposed replica's 0 (or its old epoch, captured earlier) no longer matches.
     */
    long heldEpoch();

    /** The replica that leads, when known: {@code <host>/<pid>}. */
    Optional<String> leaderReplica();

    /** When the current leader acquired the leadership, when known. */
    Optional<Instant> acquiredAt();

    /** The database schema that holds {@code leader_epoch} for this election, when there is one and it is known. */
    default Optional<String> schema() {
        return Optional.empty();
    }

    /** This replica: {@code <host>/<pid>}. */
    String replica();

    /**
     * Tells the listener of every change from now on; if this replica leads already, the listener
     * is told {@link LeadershipListener#elected} at once, so that no election is missed.
     */
    void addListener(LeadershipListener listener);

    void removeListener(LeadershipListener listener);

    /**
     * The leadership as one consistent state, for reporting: the getters read one at a time may
     * mix two states (a change between two reads).
     */
    default Snapshot snapshot() {
        return new Snapshot(electionEnabled(), isLeader(), epoch(), leaderReplica().orElse(null), acquiredAt().orElse(null));
    }

    /** One immutable view of {@link Leadership}: whether it elects, leads, under which epoch, who leads since when. */
    record Snapshot(boolean electionEnabled, boolean leader, long epoch, @Nullable String leaderReplicaOrNull,
                    @Nullable Instant acquiredAtOrNull) {
        public Optional<String> leaderReplica() {
            return Optional.ofNullable(leaderReplicaOrNull);
        }

        public Optional<Instant> acquiredAt() {
            return Optional.ofNullable(acquiredAtOrNull);
        }
    }

    /** Begins contending (a no-op where there is nothing to contend for). */
    default void start() {
    }

    /** Stops contending and gives up the leadership, so that another replica takes over at once. */
    @Override
    default void close() {
    }
}
