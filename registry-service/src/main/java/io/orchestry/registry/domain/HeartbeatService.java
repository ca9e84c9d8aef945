package io.orchestry.registry.domain;

import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.UnavailableException;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes heartbeats, on any replica. A heartbeat touches only memory: the node's latest beat and
 * usage are kept there and written to PostgreSQL in one batch per flush interval (where the leader's
 * monitor reads them), so a restart loses at most one interval. The first heartbeat of a PENDING,
 * SUSPECT or DOWN node makes it READY before it is answered, written together with whatever other
 * nodes came back at the same moment; that write is a compare-and-set on the status, so when two
 * replicas take such a heartbeat at once, one makes the transition and the other reads it.
 */
@Singleton
public class HeartbeatService {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FleetState fleet;
    private final NodeChangeFeed feed;
    private final HeartbeatRepository heartbeats;
    private final TransitionBatcher transitions;
    private final NodeQueries queries;
    private final Clock clock;

    public HeartbeatService(FleetState fleet, NodeChangeFeed feed, HeartbeatRepository heartbeats, TransitionBatcher transitions,
                            NodeQueries queries, Clock clock) {
        this.fleet = fleet;
        this.feed = feed;
        this.heartbeats = heartbeats;
        this.transitions = transitions;
        this.queries = queries;
        this.clock = clock;
    }

    /** What the registry answers a heartbeat: the node's status and mode. */
    public record Acknowledgement(NodeStatus status, SchedulingMode mode) {
    }

    public Acknowledgement beat(String name, NodeUsage usage) {
        if (usage.cpuMillis() < 0 || usage.memoryBytes() < 0 || usage.diskBytes() < 0 || usage.workloads() < 0) {
            throw new InvalidArgumentException("usage", "must not be negative");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        FleetState.Tracked node = fleet.heard(name, now, usage);
        if (node == null) {
            // perhaps registered through another replica a moment ago: follow the feed up to now, once
            feed.poll();
            node = fleet.heard(name, now, usage);
            if (node == null) {
                throw new NotFoundException(NodeQueries.KIND, name);
            }
        }
        NodeStatus status = node.status();
        if (!node.independent() && (status == NodeStatus.PENDING || status == NodeStatus.SUSPECT || status == NodeStatus.DOWN)) {
            Optional<Node> changed = await(transitions.submit(new StatusChange(name, status, NodeStatus.READY, "heartbeat received", null)));
            // not changed: another replica (or heartbeat) made the transition first; answer what is stored
            status = changed.map(Node::status).orElseGet(() -> queries.get(name).status());
        }
        return new Acknowledgement(status, node.mode());
    }

    /** Writes every heartbeat taken here since the last flush; returns how many nodes it wrote. */
    public int flush() {
        List<Heartbeat> batch = fleet.takeUnwritten();
        try {
            heartbeats.write(batch);
        } catch (RuntimeException e) {
            fleet.unwritten(batch);
            throw e;
        }
        return batch.size();
    }

    private static Optional<Node> await(java.util.concurrent.CompletableFuture<Optional<Node>> change) {
        try {
            return change.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new UnavailableException("database", Duration.ofSeconds(1), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
