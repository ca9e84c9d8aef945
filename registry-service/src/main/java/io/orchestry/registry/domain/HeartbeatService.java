package io.orchestry.registry.domain;

import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import io.orchestry.registry.persistence.HeartbeatRow;
import io.orchestry.registry.persistence.NodeStore;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes heartbeats. A heartbeat touches only memory: the node's latest beat and usage are kept
 * there and written to PostgreSQL in one batch per flush interval, so a restart loses at most one
 * interval. The first heartbeat of a PENDING, SUSPECT or DOWN node makes it READY before it is
 * answered, written together with whatever other nodes came back at the same moment.
 */
@Singleton
public class HeartbeatService {
    private final NodeService nodes;
    private final NodeStore store;
    private final TransitionBatcher transitions;
    private final Clock clock;

    public HeartbeatService(NodeService nodes, NodeStore store, TransitionBatcher transitions, Clock clock) {
        this.nodes = nodes;
        this.store = store;
        this.transitions = transitions;
        this.clock = clock;
    }

    /** What the registry answers a heartbeat: the node's status and mode. */
    public record Acknowledgement(NodeStatus status, SchedulingMode mode) {
    }

    public Acknowledgement beat(String name, NodeUsage usage) {
        if (usage.cpuMillis() < 0 || usage.memoryBytes() < 0 || usage.diskBytes() < 0 || usage.workloads() < 0) {
            throw new InvalidArgumentException("usage", "must not be negative");
        }
        FleetState.Tracked node = nodes.fleet().get(name);
        if (node == null) {
            throw new NotFoundException(NodeService.KIND, name);
        }
        Instant now = clock.instant();
        node.lastHeard = now;
        node.lastBeat = now;
        node.usage = usage;
        node.dirty = true;
        NodeStatus status = node.status;
        if (!node.independent && (status == NodeStatus.PENDING || status == NodeStatus.SUSPECT || status == NodeStatus.DOWN)) {
            try {
                status = transitions.submit(new NodeService.StatusChange(name, status, NodeStatus.READY, "heartbeat received", null))
                        .get(10, java.util.concurrent.TimeUnit.SECONDS).map(Node::status).orElse(node.status);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new io.orchestry.error.UnavailableException("database", java.time.Duration.ofSeconds(1), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return new Acknowledgement(status, node.mode);
    }

    /** Writes every heartbeat taken since the last flush; returns how many nodes it wrote. */
    public int flush() {
        List<HeartbeatRow> batch = new ArrayList<>();
        for (FleetState.Tracked node : nodes.fleet().all()) {
            if (node.dirty) {
                node.dirty = false;
                batch.add(new HeartbeatRow(node.name, node.lastBeat, node.usage));
            }
        }
        try {
            store.writeHeartbeats(batch);
        } catch (RuntimeException e) {
            // keep them for the next flush
            batch.forEach(row -> {
                FleetState.Tracked node = nodes.fleet().get(row.name());
                if (node != null) {
                    node.dirty = true;
                }
            });
            throw e;
        }
        return batch.size();
    }
}
