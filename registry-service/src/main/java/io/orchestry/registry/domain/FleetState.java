package io.orchestry.registry.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the heartbeat path and the monitor need of every node, in memory: a heartbeat costs a map
 * look-up and a few writes, never a database round trip. The database stays the source of truth;
 * this is loaded from it at start-up and kept in step by {@link NodeService}.
 */
public final class FleetState {
    /** One node as the heartbeat path and the monitor see it. */
    public static final class Tracked {
        final String name;
        volatile NodeStatus status;
        volatile boolean independent;
        volatile SchedulingMode mode;
        /** When the node was last heard from; at start-up, the start-up time (no mass DOWN on restart). */
        volatile Instant lastHeard;
        volatile NodeUsage usage = NodeUsage.NONE;
        volatile Instant lastBeat;
        volatile boolean dirty;

        Tracked(String name) {
            this.name = name;
        }
    }

    private final Map<String, Tracked> nodes = new ConcurrentHashMap<>();

    Tracked get(String name) {
        return nodes.get(name);
    }

    Collection<Tracked> all() {
        return nodes.values();
    }

    void remove(String name) {
        nodes.remove(name);
    }

    /** Takes in a node's stored state; {@code heardAt} is used only for a node not tracked yet. */
    void track(Node node, Instant heardAt) {
        Tracked tracked = nodes.computeIfAbsent(node.name(), Tracked::new);
        tracked.status = node.status();
        tracked.mode = node.schedulingMode();
        tracked.independent = node.independent();
        if (tracked.lastHeard == null) {
            tracked.lastHeard = heardAt;
        }
    }
}
