package io.orchestry.registry.domain;

import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Cordon, drain, uncordon and independence: whether new work may go to a node, and whether it is
 * expected to send heartbeats at all. Each change is one transaction with its event, and the call
 * returns once this replica's fleet state (so the node's next heartbeat answer, on any replica that
 * has followed the feed that far) and watchers have it.
 */
@Singleton
public class SchedulingModes {
    /** How long a drain may take when the caller names no deadline. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(5);

    private final NodeRepository nodes;
    private final NodeQueries queries;
    private final NodeChangeFeed feed;
    private final Clock clock;

    public SchedulingModes(NodeRepository nodes, NodeQueries queries, NodeChangeFeed feed, Clock clock) {
        this.nodes = nodes;
        this.queries = queries;
        this.feed = feed;
        this.clock = clock;
    }

    public Node cordon(String name) {
        return setMode(name, SchedulingMode.CORDONED, null, "cordoned");
    }

    /** Back to schedulable, ending a cordon or a drain. */
    public Node uncordon(String name) {
        return setMode(name, SchedulingMode.SCHEDULABLE, null, "uncordoned");
    }

    /** No new placements, and the provisioner moves what runs away before {@code deadline} (default: five minutes). */
    public Node drain(String name, Instant deadline) {
        Instant now = now();
        Instant due = deadline == null ? now.plus(DEFAULT_DRAIN_TIMEOUT) : deadline;
        if (!due.isAfter(now)) {
            throw new InvalidArgumentException("deadline", "must be in the future");
        }
        return setMode(name, SchedulingMode.DRAINING, due, "draining until " + due);
    }

    /**
     * An independent node runs on its own: no heartbeat is expected, it is never DOWN, and nothing
     * new is placed on it. Leaving independence makes it PENDING until its next heartbeat.
     */
    public Node setIndependent(String name, boolean independent) {
        Node current = queries.get(name);
        if (current.independent() == independent) {
            return current;
        }
        NodeStatus status = independent ? NodeStatus.INDEPENDENT : NodeStatus.PENDING;
        return change(current, new NodeState(status, current.schedulingMode(), current.drainDeadline(), independent),
                independent ? "independent" : "no longer independent");
    }

    private Node setMode(String name, SchedulingMode mode, Instant deadline, String reason) {
        Node current = queries.get(name);
        if (current.schedulingMode() == mode && Objects.equals(current.drainDeadline(), deadline)) {
            return current;
        }
        return change(current, new NodeState(current.status(), mode, deadline, current.independent()), reason);
    }

    /** A change of status or mode is a transition (listed among the node's events); a new deadline alone is not. */
    private Node change(Node current, NodeState next, String reason) {
        boolean transition = current.status() != next.status() || current.schedulingMode() != next.mode();
        Node node = nodes.updateState(current.name(), next, transition ? reason : null, now())
                .orElseThrow(() -> new NotFoundException(NodeQueries.KIND, current.name()));
        feed.catchUp(node.resourceVersion());
        return node;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
