package io.orchestry.registry.domain;

import io.micronaut.data.exceptions.DataAccessException;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.VersionConflictException;
import io.orchestry.database.failures.DatabaseFailures;
import io.orchestry.registry.persistence.NodeEntity;
import io.orchestry.registry.persistence.NodeEventStore;
import io.orchestry.registry.persistence.NodeRows;
import io.orchestry.registry.persistence.NodeStore;
import io.orchestry.registry.persistence.NodeTotals;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Registering, reading, changing and removing nodes. Every change goes to PostgreSQL first, then
 * to the in-memory fleet state and to watchers, under one lock so that watchers see changes in
 * resource-version order. Status and mode transitions are recorded as node events.
 */
@Singleton
public class NodeService {
    static final String KIND = "node";
    /** How long a drain may take when the caller names no deadline. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(5);

    private final NodeStore store;
    private final NodeEventStore events;
    private final FleetState fleet;
    private final NodeWatchHub hub;
    private final CredentialCipher cipher;
    private final Clock clock;
    private final ReentrantLock writes = new ReentrantLock();

    public NodeService(NodeStore store, NodeEventStore events, NodeWatchHub hub, CredentialCipher cipher, Clock clock) {
        this.store = store;
        this.events = events;
        this.hub = hub;
        this.cipher = cipher;
        this.clock = clock;
        this.fleet = new FleetState();
    }

    FleetState fleet() {
        return fleet;
    }

    /** Loads every node into memory; each is treated as heard from now, so a restart declares nobody DOWN early. */
    public void loadFleet() {
        Instant now = now();
        hub.startAt(DatabaseFailures.call(store::currentResourceVersion));
        for (NodeEntity row : DatabaseFailures.call(store::findAll)) {
            fleet.track(NodeRows.toNode(row), row.lastHeartbeatAt() != null && row.lastHeartbeatAt().isAfter(now)
                    ? row.lastHeartbeatAt() : now);
        }
    }

    /** Stores a new node; exactly one of two concurrent registrations of a name succeeds. */
    public Node register(NodeRegistration registration) {
        NodeValidator.validateRegistration(registration);
        Instant now = now();
        String endpoint = registration.endpoint() == null ? "" : registration.endpoint();
        if (endpoint.isEmpty() && registration.driverKind() == DriverKind.PROCESS) {
            endpoint = "local";
        }
        Resources capacity = registration.capacity();
        Resources reserved = registration.reserved() == null ? Resources.NONE : registration.reserved();
        NodeEntity row = new NodeEntity(registration.name(), registration.driverKind(), endpoint,
                nullToEmpty(registration.region()), nullToEmpty(registration.provider()),
                registration.labels() == null ? Map.of() : registration.labels(),
                capacity.cpuMillis(), capacity.memoryBytes(), capacity.diskBytes(),
                reserved.cpuMillis(), reserved.memoryBytes(), reserved.diskBytes(),
                0, 0, 0, 0, 0, 0, 0, 0,
                NodeStatus.PENDING, SchedulingMode.SCHEDULABLE, null, false,
                registration.credentials() == null ? null : cipher.encrypt(registration.name(), registration.credentials()),
                null, now, now, 1, 0);
        writes.lock();
        try {
            Node node;
            try {
                node = NodeRows.toNode(store.insert(row));
            } catch (DataAccessException e) {
                if (DatabaseFailures.isDuplicateKey(e)) {
                    throw new AlreadyExistsException(KIND, registration.name());
                }
                throw DatabaseFailures.translate(e);
            }
            fleet.track(node, now);
            record(node, null, "registered");
            hub.publish(new NodeChange(NodeChange.Type.ADDED, node, node.resourceVersion()));
            return node;
        } finally {
            writes.unlock();
        }
    }

    public Node get(String name) {
        return DatabaseFailures.call(() -> store.find(name)).map(NodeRows::toNode).orElseThrow(() -> new NotFoundException(KIND, name));
    }

    public NodePage list(NodeQuery query) {
        long resourceVersion = DatabaseFailures.call(store::currentResourceVersion);
        List<NodeEntity> rows = DatabaseFailures.call(() -> store.page(query, query.pageSize() + 1));
        boolean more = rows.size() > query.pageSize();
        List<Node> nodes = rows.stream().limit(query.pageSize()).map(NodeRows::toNode).toList();
        return new NodePage(nodes, more ? nodes.get(nodes.size() - 1).name() : "", resourceVersion);
    }

    /** Changes the fields the update names, if the node is still at the version the caller read. */
    public Node update(NodeUpdate update) {
        if (update.fields().isEmpty()) {
            throw new InvalidArgumentException("update_mask", "name at least one field to change: labels, capacity,"
                    + " reserved, region, provider, endpoint, credentials");
        }
        Node current = get(update.name());
        if (update.version() != current.version()) {
            throw new VersionConflictException(KIND, update.name(), update.version(), current.version());
        }
        Map<String, String> labels = update.fields().contains(NodeUpdate.Field.LABELS) ? update.labels() : current.labels();
        Resources capacity = update.fields().contains(NodeUpdate.Field.CAPACITY) ? update.capacity() : current.capacity();
        Resources reserved = update.fields().contains(NodeUpdate.Field.RESERVED) ? update.reserved() : current.reserved();
        String region = update.fields().contains(NodeUpdate.Field.REGION) ? nullToEmpty(update.region()) : current.region();
        String provider = update.fields().contains(NodeUpdate.Field.PROVIDER) ? nullToEmpty(update.provider()) : current.provider();
        String endpoint = update.fields().contains(NodeUpdate.Field.ENDPOINT) ? nullToEmpty(update.endpoint()) : current.endpoint();
        byte[] credentials = update.fields().contains(NodeUpdate.Field.CREDENTIALS) ? update.credentials() : null;
        NodeValidator.validateRegistration(new NodeRegistration(update.name(), current.driverKind(),
                endpoint.equals("local") ? "" : endpoint, region, provider, labels, capacity, reserved, credentials));
        if (current.driverKind() == DriverKind.PROCESS && endpoint.isEmpty()) {
            endpoint = "local";
        }
        String finalEndpoint = endpoint;
        byte[] sealed = credentials == null ? null : cipher.encrypt(update.name(), credentials);
        return change(() -> store.updateSpec(update.name(), update.version(), labels, capacity, reserved, region, provider,
                        finalEndpoint, sealed, now()),
                () -> {
                    Node latest = get(update.name());
                    return new VersionConflictException(KIND, update.name(), update.version(), latest.version());
                }, null);
    }

    /** Removes a node; refused while the provisioner reports workloads on it, unless forced. */
    public void deregister(String name, boolean force) {
        Node node = get(name);
        if (!force && node.allocation().workloads() > 0) {
            throw new FailedPreconditionException("node '" + name + "' still runs " + node.allocation().workloads()
                    + " workload(s): drain it first, or force");
        }
        writes.lock();
        try {
            long resourceVersion = DatabaseFailures.call(() -> store.delete(name)).orElseThrow(() -> new NotFoundException(KIND, name));
            fleet.remove(name);
            record(node, node.status(), force ? "deregistered (forced)" : "deregistered");
            hub.publish(new NodeChange(NodeChange.Type.DELETED, node, resourceVersion));
        } finally {
            writes.unlock();
        }
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
        Node current = get(name);
        if (current.independent() == independent) {
            return current;
        }
        NodeStatus status = independent ? NodeStatus.INDEPENDENT : NodeStatus.PENDING;
        return changeState(current, status, current.schedulingMode(), current.drainDeadline(), independent,
                independent ? "independent" : "no longer independent");
    }

    /** What the provisioner has placed on the node. */
    public void reportAllocation(String name, Allocation allocation) {
        if (allocation.workloads() < 0 || allocation.resources().cpuMillis() < 0 || allocation.resources().memoryBytes() < 0
                || allocation.resources().diskBytes() < 0) {
            throw new InvalidArgumentException("allocated", "must not be negative");
        }
        change(() -> store.updateAllocation(name, allocation, now()), () -> new NotFoundException(KIND, name), null);
    }

    public NodeStats stats() {
        NodeTotals totals = DatabaseFailures.call(store::totals);
        Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        int total = 0;
        for (NodeStatus status : NodeStatus.values()) {
            int count = totals.counts().getOrDefault(status, 0);
            counts.put(status, count);
            total += count;
        }
        return new NodeStats(counts, total, totals.capacity(), totals.allocatable(), totals.allocated());
    }

    public List<NodeEvent> events(String name, long beforeId, int limit) {
        return DatabaseFailures.call(() -> events.list(name, beforeId, limit));
    }

    /**
     * A status change the heartbeat path or the monitor wants: applies only if the node is still in
     * {@code expected} and, when {@code lastHeard} is given (the monitor's reading), has not been
     * heard from since.
     */
    public record StatusChange(String name, NodeStatus expected, NodeStatus next, String reason, Instant lastHeard) {
    }

    /**
     * Applies many status changes in one statement and one batch of events (the monitor after a
     * network blip may move thousands of nodes at once). Changes whose node has meanwhile moved
     * elsewhere, or is gone, are skipped. Returns the nodes that changed.
     */
    List<Node> transitionAll(List<StatusChange> changes) {
        if (changes.isEmpty()) {
            return List.of();
        }
        writes.lock();
        try {
            Instant now = now();
            Map<String, StatusChange> byName = new java.util.HashMap<>();
            for (StatusChange change : changes) {
                FleetState.Tracked tracked = fleet.get(change.name());
                boolean stillDue = tracked != null && tracked.status == change.expected()
                        && (change.lastHeard() == null || change.lastHeard().equals(tracked.lastHeard));
                if (stillDue) {
                    byName.put(change.name(), change);
                }
            }
            if (byName.isEmpty()) {
                return List.of();
            }
            List<StatusChange> applying = List.copyOf(byName.values());
            List<NodeEntity> rows = DatabaseFailures.call(() -> store.transitionAll(
                    applying.stream().map(StatusChange::name).toList(),
                    applying.stream().map(StatusChange::expected).toList(),
                    applying.stream().map(StatusChange::next).toList(), now));
            List<Node> changed = new java.util.ArrayList<>();
            List<NodeEvent> recorded = new java.util.ArrayList<>();
            for (NodeEntity row : rows) {
                Node node = NodeRows.toNode(row);
                StatusChange change = byName.get(node.name());
                FleetState.Tracked tracked = fleet.get(node.name());
                if (tracked != null) {
                    tracked.status = node.status();
                }
                recorded.add(new NodeEvent(0, node.name(), change.expected(), node.status(), node.schedulingMode(),
                        change.reason(), now));
                hub.publish(new NodeChange(NodeChange.Type.MODIFIED, node, node.resourceVersion()));
                changed.add(node);
            }
            DatabaseFailures.call(() -> {
                events.insertAll(recorded);
                return null;
            });
            return changed;
        } finally {
            writes.unlock();
        }
    }

    private Node setMode(String name, SchedulingMode mode, Instant deadline, String reason) {
        Node current = get(name);
        if (current.schedulingMode() == mode && java.util.Objects.equals(current.drainDeadline(), deadline)) {
            return current;
        }
        return changeState(current, current.status(), mode, deadline, current.independent(), reason);
    }

    private Node changeState(Node current, NodeStatus status, SchedulingMode mode, Instant deadline, boolean independent,
                             String reason) {
        return change(() -> store.updateState(current.name(), status, mode, deadline, independent, now()),
                () -> new NotFoundException(KIND, current.name()), current.status().equals(status)
                        && current.schedulingMode() == mode ? null : new Transition(current.status(), reason));
    }

    private record Transition(NodeStatus previous, String reason) {
    }

    /** Applies one write, then tells the fleet state, the event log (for transitions) and the watchers. */
    private Node change(Supplier<Optional<NodeEntity>> write, Supplier<RuntimeException> missing, Transition transition) {
        writes.lock();
        try {
            Node node = NodeRows.toNode(DatabaseFailures.call(write).orElseThrow(missing));
            FleetState.Tracked tracked = fleet.get(node.name());
            if (tracked == null) {
                fleet.track(node, now());
            } else {
                tracked.status = node.status();
                tracked.mode = node.schedulingMode();
                tracked.independent = node.independent();
            }
            if (transition != null) {
                record(node, transition.previous(), transition.reason());
            }
            hub.publish(new NodeChange(NodeChange.Type.MODIFIED, node, node.resourceVersion()));
            return node;
        } finally {
            writes.unlock();
        }
    }

    private void record(Node node, NodeStatus previous, String reason) {
        DatabaseFailures.call(() -> {
            events.insert(new NodeEvent(0, node.name(), previous, node.status(), node.schedulingMode(), reason, now()));
            return null;
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }


    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
