package io.orchestry.registry.domain;

import io.orchestry.paging.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The stored nodes. Every change is one transaction that also records the change in the node event
 * log (the outbox watchers are fed from), under the next resource version. Failures of the database
 * come out as the error model's exceptions (UNAVAILABLE, ALREADY_EXISTS, ...).
 */
public interface NodeRepository {

    Optional<Node> find(String name);

    List<Node> findAll();

    /** Up to {@link PageRequest#fetchSize()} nodes in name order after {@link PageRequest#after()}, filtered. */
    List<Node> page(NodeQuery query, PageRequest page);

    /** The resource version of the latest committed change (0 before the first). */
    long currentResourceVersion();

    NodeTotals totals();

    /** Stores a new node and its "registered" event; {@code AlreadyExistsException} when the name is taken. */
    Node insert(NewNode node, String reason);

    /** Sets the node's spec if it is at {@code version}; empty when it is missing or at another version. */
    Optional<Node> updateSpec(String name, long version, NodeSpec spec, Instant now);

    /**
     * Sets status, mode, deadline and independence; a non-null {@code reason} records the change as a
     * transition (listed among the node's events). Empty when the node is missing.
     */
    Optional<Node> updateState(String name, NodeState state, String reason, Instant now);

    /** What the provisioner placed on the node; empty when it is missing. */
    Optional<Node> updateAllocation(String name, Allocation allocation, Instant now);

    /** Removes the node and records its deletion; the resource version of the deletion, or empty when it was missing. */
    OptionalLong delete(String name, String reason, Instant now);
}
