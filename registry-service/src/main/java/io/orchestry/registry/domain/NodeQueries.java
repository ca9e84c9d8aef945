package io.orchestry.registry.domain;

import io.orchestry.error.NotFoundException;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Map;

/** Reading nodes: one, a page, the fleet's totals, a node's transitions. */
@Singleton
public class NodeQueries {
    static final String KIND = "node";
    /** The list names in page tokens. */
    public static final String NODES = "nodes";
    public static final String EVENTS = "node-events";

    private final NodeRepository nodes;
    private final NodeEventRepository events;

    public NodeQueries(NodeRepository nodes, NodeEventRepository events) {
        this.nodes = nodes;
        this.events = events;
    }

    public Node get(String name) {
        return nodes.find(name).orElseThrow(() -> new NotFoundException(KIND, name));
    }

    /** One page of nodes, with the resource version to watch from (read before the page: nothing after it is missed). */
    public NodePage list(NodeQuery query, PageRequest page) {
        long resourceVersion = nodes.currentResourceVersion();
        return new NodePage(Page.of(nodes.page(query, page), page, Node::name), resourceVersion);
    }

    public NodeStats stats() {
        NodeTotals totals = nodes.totals();
        Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        int total = 0;
        for (NodeStatus status : NodeStatus.values()) {
            int count = totals.counts().getOrDefault(status, 0);
            counts.put(status, count);
            total += count;
        }
        return new NodeStats(counts, total, totals.capacity(), totals.allocatable(), totals.allocated());
    }

    /** Transitions newest first; of one node when {@code nodeName} is not empty. */
    public Page<NodeEvent> events(String nodeName, PageRequest page) {
        return Page.of(events.transitions(nodeName, page), page, event -> Long.toString(event.id()));
    }
}
