package io.orchestry.registry.domain;

import io.orchestry.paging.PageRequest;

import java.util.List;

/** The node event log: the transitions people read, and the outbox of every change watchers are fed from. */
public interface NodeEventRepository {

    /**
     * Transitions newest first, of one node when {@code nodeName} is not empty: up to
     * {@link PageRequest#fetchSize()} of them, with ids below the page's position (numeric; "" from the newest).
     */
    List<NodeEvent> transitions(String nodeName, PageRequest page);

    /** The changes after {@code resourceVersion}, in resource-version order, at most {@code limit}. */
    List<NodeChange> changesAfter(long resourceVersion, int limit);
}
