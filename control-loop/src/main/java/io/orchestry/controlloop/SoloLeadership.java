package io.orchestry.controlloop;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The leadership of a service that runs as one replica, with election switched off
 * ({@code orchestry.election.enabled=false}) or no database to hold it: this replica leads,
 * always, with epoch 0, and says so ({@code electionEnabled=false}) so that no one mistakes it for
 * an elected leader. {@link Fence#check(java.sql.Connection, Leadership)} lets its writes pass.
 */
public final class SoloLeadership implements Leadership {
    private final String name;
    private final String replica;
    private final Instant since = Instant.now();
    private final LeadershipListeners listeners = new LeadershipListeners();

    public SoloLeadership(String name, String replica) {
        this.name = Objects.requireNonNull(name, "name");
        this.replica = Objects.requireNonNull(replica, "replica");
        listeners.elected(0);
    }

    @Override
    public boolean electionEnabled() {
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isLeader() {
        return true;
    }

    @Override
    public long epoch() {
        return 0;
    }

    @Override
    public long heldEpoch() {
        return 0;
    }

    @Override
    public Optional<String> leaderReplica() {
        return Optional.of(replica);
    }

    @Override
    public Optional<Instant> acquiredAt() {
        return Optional.of(since);
    }

    @Override
    public String replica() {
        return replica;
    }

    @Override
    public void addListener(LeadershipListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(LeadershipListener listener) {
        listeners.remove(listener);
    }

    /** Tells the listeners it stops leading, so that gated loops stop at shutdown. */
    @Override
    public void close() {
        listeners.deposed();
    }
}
