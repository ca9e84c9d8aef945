package io.orchestry.provisioner.fakes;

import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.FleetNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A fleet the test sets; every put and remove calls the listeners with the node's name (on the caller's thread). */
public class FakeFleet implements Fleet {
    private final Map<String, FleetNode> nodes = new TreeMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean listed = true;

    public FakeFleet(FleetNode... initial) {
        for (FleetNode node : initial) {
            nodes.put(node.name(), node);
        }
    }

    public void put(FleetNode node) {
        synchronized (this) {
            nodes.put(node.name(), node);
        }
        listeners.forEach(l -> l.accept(node.name()));
    }

    public void remove(String name) {
        synchronized (this) {
            nodes.remove(name);
        }
        listeners.forEach(l -> l.accept(name));
    }

    @Override
    public boolean listed() {
        return listed;
    }

    /** Before the first list: the reconciler and the reaper must wait. */
    public void unlisted() {
        listed = false;
    }

    @Override
    public synchronized List<FleetNode> nodes() {
        return List.copyOf(nodes.values());
    }

    @Override
    public synchronized Optional<FleetNode> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    @Override
    public void addListener(Consumer<String> nodeChanged) {
        listeners.add(nodeChanged);
    }
}
