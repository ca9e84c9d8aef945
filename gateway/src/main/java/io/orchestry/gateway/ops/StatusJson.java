package io.orchestry.gateway.ops;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/status} and {@code /api/v1/cluster/*} in REST JSON. */
public final class StatusJson {
    private StatusJson() {
    }

    /**
     * The cluster at a glance: the gateway, every service and nginx.
     *
     * @param healthy true when every service is serving and the gateway's database answers
     * @param nginx   nginx as proxy-service reports it
     */
    @Serdeable
    public record Status(boolean healthy, Gateway gateway, List<Service> services, Component nginx) {
    }

    @Serdeable
    public record Gateway(String version, String replica, Instant startTime, Component database) {
    }

    /**
     * One service as the gateway reached it.
     *
     * @param health     serving, not_serving, unknown, or unreachable
     * @param leadership who runs the service's loops; null when it could not be asked
     */
    @Serdeable
    public record Service(String name, String target, boolean reachable, String health, @Nullable String version,
                          @Nullable String replica, @Nullable Instant startTime, @Nullable Leadership leadership,
                          long latencyMillis, @Nullable String detail) {
    }

    /**
     * Who runs a service's loops, as the replica the gateway reached reports it.
     *
     * @param electionEnabled false while the service runs as one replica, which runs its loops itself
     * @param leader          the leading replica ({@code <host>/<pid>}); null while none holds the lock
     * @param epoch           grows by one at every acquisition: a changed epoch means a failover or
     *                        handover happened; 0 without election
     * @param acquiredAt      when the leader acquired the leadership, when known
     */
    @Serdeable
    public record Leadership(boolean electionEnabled, @Nullable String leader, long epoch, @Nullable Instant acquiredAt) {
    }

    /** A dependency: whether it answered, how fast, and why not. */
    @Serdeable
    public record Component(boolean reachable, @Nullable Long latencyMillis, @Nullable String detail) {
    }

    /** {@code GET /api/v1/cluster/leader}: who runs each service's loops. */
    @Serdeable
    public record Leaders(List<Leader> services) {
    }

    @Serdeable
    public record Leader(String name, boolean reachable, @Nullable Leadership leadership) {
    }

    /** {@code GET /api/v1/cluster/status}: the replicas seen of each service. */
    @Serdeable
    public record Cluster(List<Replicas> services) {
    }

    /**
     * One service and the replicas of it that were reached.
     *
     * @param leadership the service's election (enabled, leader, epoch), as the replica reached reports it
     */
    @Serdeable
    public record Replicas(String name, List<Replica> replicas, @Nullable Leadership leadership) {
    }

    @Serdeable
    public record Replica(String replica, boolean leader, @Nullable String version, @Nullable Instant startTime) {
    }
}
