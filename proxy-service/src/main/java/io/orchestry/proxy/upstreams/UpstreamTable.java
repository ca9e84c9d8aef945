package io.orchestry.proxy.upstreams;

import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.UpstreamKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every app port's serving endpoints, from the instances seen so far: pure, one caller at a time (the watch's thread).
 * Each change answers which upstreams it changed and why, in words for the revision's reason.
 */
public final class UpstreamTable {
    /** What one change did: the upstreams whose endpoints differ now, and why. */
    public record Change(Set<UpstreamKey> keys, String reason) {
        public Change {
            keys = Set.copyOf(keys);
        }

        public boolean isEmpty() {
            return keys.isEmpty();
        }
    }

    private final Map<String, ObservedInstance> instances = new HashMap<>();
    private Map<UpstreamKey, List<Endpoint>> current = Map.of();

    /** Replaces everything with a full list. */
    public Change replace(List<ObservedInstance> listed) {
        instances.clear();
        listed.forEach(instance -> instances.put(instance.id(), instance));
        return recompute("instances listed (" + listed.size() + ")");
    }

    /** An instance added or modified. */
    public Change put(ObservedInstance instance) {
        ObservedInstance before = instances.put(instance.id(), instance);
        String reason = before == null ? "instance " + instance.id() + " added (" + instance.state() + ")"
                : "instance " + instance.id() + " " + instance.state();
        return recompute(reason);
    }

    public Change remove(String instanceId) {
        if (instances.remove(instanceId) == null) {
            return new Change(Set.of(), "instance " + instanceId + " deleted");
        }
        return recompute("instance " + instanceId + " deleted");
    }

    /** Every app port with at least one endpoint, endpoints sorted. */
    public Map<UpstreamKey, List<Endpoint>> current() {
        return current;
    }

    private Change recompute(String reason) {
        Map<UpstreamKey, List<Endpoint>> next = new TreeMap<>((a, b) -> a.nginxName().compareTo(b.nginxName()));
        for (ObservedInstance instance : instances.values()) {
            if (!instance.serving()) {
                continue;
            }
            instance.ports().forEach((name, port) -> next.computeIfAbsent(new UpstreamKey(instance.app(), name),
                    key -> new ArrayList<>()).add(new Endpoint(instance.host(), port, instance.id())));
        }
        Map<UpstreamKey, List<Endpoint>> frozen = new HashMap<>();
        next.forEach((key, endpoints) -> frozen.put(key, endpoints.stream().sorted().toList()));
        Set<UpstreamKey> changed = new HashSet<>();
        Set<UpstreamKey> keys = new HashSet<>(current.keySet());
        keys.addAll(frozen.keySet());
        for (UpstreamKey key : keys) {
            if (!java.util.Objects.equals(current.get(key), frozen.get(key))) {
                changed.add(key);
            }
        }
        current = Map.copyOf(frozen);
        return new Change(changed, reason);
    }
}
