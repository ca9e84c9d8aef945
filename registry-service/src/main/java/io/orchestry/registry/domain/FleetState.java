package io.orchestry.registry.domain;

import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the heartbeat path and the monitor need of every node, in memory: a heartbeat costs a map
 * look-up and a few writes, never a database round trip. The database stays the source of truth:
 * status, mode and independence come only from the change feed ({@link #apply}, {@link #remove}),
 * which every replica follows, so they are the same on every replica; when a node was last heard
 * from comes from the heartbeats this replica takes and from those the monitor reads back from the
 * database. Every field is written here and nowhere else.
 */
@Singleton
public final class FleetState {

    /** One node as the heartbeat path and the monitor see it. */
    public static final class Tracked {
        private final String name;
        private long resourceVersion;
        private NodeStatus status;
        private boolean independent;
        private SchedulingMode mode;
        /** When the node was last heard from; at start-up (or when this replica learns of it), that time. */
        private Instant lastHeard;
        private NodeUsage usage = NodeUsage.NONE;
        private Instant lastBeat;
        private boolean dirty;

        private Tracked(String name, Instant heardAt) {
            this.name = name;
            this.lastHeard = heardAt;
        }

        public String name() {
            return name;
        }

        public synchronized NodeStatus status() {
            return status;
        }

        public synchronized SchedulingMode mode() {
            return mode;
        }

        public synchronized boolean independent() {
            return independent;
        }

        public synchronized Instant lastHeard() {
            return lastHeard;
        }
    }

    private final Map<String, Tracked> nodes = new ConcurrentHashMap<>();

    Tracked get(String name) {
        return nodes.get(name);
    }

    Collection<Tracked> all() {
        return nodes.values();
    }

    /**
     * Takes in a node's stored state, unless what is tracked is already newer; {@code heardAt} is
     * used only for a node not tracked yet (so a restart declares nobody DOWN early).
     */
    void apply(Node node, Instant heardAt) {
        Tracked tracked = nodes.computeIfAbsent(node.name(), name -> new Tracked(name, heardAt));
        synchronized (tracked) {
            if (node.resourceVersion() < tracked.resourceVersion) {
                return;
            }
            tracked.resourceVersion = node.resourceVersion();
            tracked.status = node.status();
            tracked.mode = node.schedulingMode();
            tracked.independent = node.independent();
        }
    }

    void remove(String name) {
        nodes.remove(name);
    }

    /** A heartbeat this replica took; null when the node is not known here. */
    Tracked heard(String name, Instant at, NodeUsage usage) {
        Tracked tracked = nodes.get(name);
        if (tracked == null) {
            return null;
        }
        synchronized (tracked) {
            tracked.lastHeard = at;
            tracked.lastBeat = at;
            tracked.usage = usage;
            tracked.dirty = true;
        }
        return tracked;
    }

    /** A heartbeat another replica took (read back from the database): moves the node's last-heard time forward only. */
    Instant heardElsewhere(String name, Instant at) {
        Tracked tracked = nodes.get(name);
        if (tracked == null) {
            return null;
        }
        synchronized (tracked) {
            if (at != null && at.isAfter(tracked.lastHeard)) {
                tracked.lastHeard = at;
            }
            return tracked.lastHeard;
        }
    }

    /** Every heartbeat taken since the last call, marked as written; {@link #unwritten} puts them back after a failure. */
    List<Heartbeat> takeUnwritten() {
        List<Heartbeat> batch = new ArrayList<>();
        for (Tracked tracked : nodes.values()) {
            synchronized (tracked) {
                if (tracked.dirty) {
                    tracked.dirty = false;
                    batch.add(new Heartbeat(tracked.name, tracked.lastBeat, tracked.usage));
                }
            }
        }
        return batch;
    }

    void unwritten(List<Heartbeat> beats) {
        for (Heartbeat beat : beats) {
            Tracked tracked = nodes.get(beat.name());
            if (tracked != null) {
                synchronized (tracked) {
                    tracked.dirty = true;
                }
            }
        }
    }
}
