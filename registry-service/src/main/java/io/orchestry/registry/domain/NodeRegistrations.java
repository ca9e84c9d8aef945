package io.orchestry.registry.domain;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.VersionConflictException;
import io.orchestry.secrets.SecretCipher;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Registering, updating and removing nodes, and what the provisioner reports it placed on them. Each
 * change is one transaction with its event; the call returns once this replica's fleet state and
 * watchers have it.
 */
@Singleton
public class NodeRegistrations {
    private final NodeRepository nodes;
    private final NodeQueries queries;
    private final NodeChangeFeed feed;
    private final SecretCipher cipher;
    private final Clock clock;

    public NodeRegistrations(NodeRepository nodes, NodeQueries queries, NodeChangeFeed feed, SecretCipher cipher, Clock clock) {
        this.nodes = nodes;
        this.queries = queries;
        this.feed = feed;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** Stores a new node; exactly one of two concurrent registrations of a name succeeds. */
    public Node register(NodeRegistration registration) {
        NodeValidator.validateRegistration(registration);
        String endpoint = registration.endpoint() == null ? "" : registration.endpoint();
        if (endpoint.isEmpty() && registration.driverKind() == DriverKind.PROCESS) {
            endpoint = "local";
        }
        NodeRegistration completed = new NodeRegistration(registration.name(), registration.driverKind(), endpoint,
                nullToEmpty(registration.region()), nullToEmpty(registration.provider()),
                registration.labels() == null ? Map.of() : registration.labels(), registration.capacity(),
                registration.reserved() == null ? Resources.NONE : registration.reserved(), null);
        CredentialBytes sealed = registration.credentials() == null ? null
                : CredentialBytes.of(cipher.encrypt(registration.name(), registration.credentials().toByteArray()));
        return applied(nodes.insert(new NewNode(completed, sealed, NodeState.REGISTERED, now()), "registered"));
    }

    /** Changes the fields the update names, if the node is still at the version the caller read. */
    public Node update(NodeUpdate update) {
        if (update.fields().isEmpty()) {
            throw new InvalidArgumentException("update_mask", "name at least one field to change: labels, capacity,"
                    + " reserved, region, provider, endpoint, credentials");
        }
        Node current = queries.get(update.name());
        if (update.version() != current.version()) {
            throw new VersionConflictException(NodeQueries.KIND, update.name(), update.version(), current.version());
        }
        Map<String, String> labels = update.fields().contains(NodeUpdate.Field.LABELS) ? update.labels() : current.labels();
        Resources capacity = update.fields().contains(NodeUpdate.Field.CAPACITY) ? update.capacity() : current.capacity();
        Resources reserved = update.fields().contains(NodeUpdate.Field.RESERVED) ? update.reserved() : current.reserved();
        String region = update.fields().contains(NodeUpdate.Field.REGION) ? nullToEmpty(update.region()) : current.region();
        String provider = update.fields().contains(NodeUpdate.Field.PROVIDER) ? nullToEmpty(update.provider()) : current.provider();
        String endpoint = update.fields().contains(NodeUpdate.Field.ENDPOINT) ? nullToEmpty(update.endpoint()) : current.endpoint();
        CredentialBytes credentials = update.fields().contains(NodeUpdate.Field.CREDENTIALS) ? update.credentials() : null;
        NodeValidator.validateRegistration(new NodeRegistration(update.name(), current.driverKind(),
                endpoint.equals("local") ? "" : endpoint, region, provider, labels, capacity, reserved, credentials));
        if (current.driverKind() == DriverKind.PROCESS && endpoint.isEmpty()) {
            endpoint = "local";
        }
        CredentialBytes sealed = credentials == null ? null
                : CredentialBytes.of(cipher.encrypt(update.name(), credentials.toByteArray()));
        NodeSpec spec = new NodeSpec(labels, capacity, reserved, region, provider, endpoint, sealed);
        return applied(nodes.updateSpec(update.name(), update.version(), spec, now()).orElseThrow(() ->
                new VersionConflictException(NodeQueries.KIND, update.name(), update.version(), queries.get(update.name()).version())));
    }

    /** Removes a node; refused while the provisioner reports workloads on it, unless forced. */
    public void deregister(String name, boolean force) {
        Node node = queries.get(name);
        if (!force && node.allocation().workloads() > 0) {
            throw new FailedPreconditionException("node '" + name + "' still runs " + node.allocation().workloads()
                    + " workload(s): drain it first, or force");
        }
        feed.catchUp(nodes.delete(name, force ? "deregistered (forced)" : "deregistered", now())
                .orElseThrow(() -> new NotFoundException(NodeQueries.KIND, name)));
    }

    /** What the provisioner has placed on the node. */
    public void reportAllocation(String name, Allocation allocation) {
        if (allocation.workloads() < 0 || allocation.resources().cpuMillis() < 0 || allocation.resources().memoryBytes() < 0
                || allocation.resources().diskBytes() < 0) {
            throw new InvalidArgumentException("allocated", "must not be negative");
        }
        applied(nodes.updateAllocation(name, allocation, now()).orElseThrow(() -> new NotFoundException(NodeQueries.KIND, name)));
    }

    private Node applied(Node node) {
        feed.catchUp(node.resourceVersion());
        return node;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
