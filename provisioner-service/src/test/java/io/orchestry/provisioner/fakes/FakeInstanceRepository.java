package io.orchestry.provisioner.fakes;

import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.NotFoundException;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceRepository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Instances in memory; thread-safe (one lock). Counts the writes that would make a watch event ({@link #events()}):
 * every insert and delete, and every update that changes more than usage.
 */
public class FakeInstanceRepository implements InstanceRepository {
    private final Map<String, Instance> rows = new TreeMap<>();
    private final Map<String, Long> ordinals = new HashMap<>();
    private final List<Instance> events = new ArrayList<>();
    private int updates;

    @Override
    public synchronized Optional<Instance> find(String id) {
        return Optional.ofNullable(rows.get(id));
    }

    @Override
    public synchronized List<Instance> byApp(String app) {
        return select(i -> i.app().equals(app));
    }

    @Override
    public synchronized List<Instance> byNode(String nodeName) {
        return select(i -> i.nodeName().equals(nodeName));
    }

    @Override
    public synchronized List<Instance> all() {
        return List.copyOf(rows.values());
    }

    @Override
    public synchronized void insert(Instance instance) {
        if (rows.containsKey(instance.id())) {
            throw new AlreadyExistsException("instance", instance.id());
        }
        rows.put(instance.id(), instance);
        events.add(instance);
    }

    @Override
    public synchronized void update(Instance instance) {
        Instance previous = rows.get(instance.id());
        if (previous == null) {
            throw new NotFoundException("instance", instance.id());
        }
        rows.put(instance.id(), instance);
        updates++;
        if (!sameButUsage(previous, instance)) {
            events.add(instance);
        }
    }

    @Override
    public synchronized void delete(String id) {
        Instance previous = rows.remove(id);
        if (previous != null) {
            events.add(previous);
        }
    }

    @Override
    public synchronized long nextOrdinal(String app) {
        return ordinals.merge(app, 1L, Long::sum);
    }

    /** The rows as they were after every write that makes a watch event, oldest first. */
    public synchronized List<Instance> events() {
        return List.copyOf(events);
    }

    /** Every update call, usage-only ones included. */
    public synchronized int updates() {
        return updates;
    }

    public synchronized Instance get(String id) {
        Instance instance = rows.get(id);
        if (instance == null) {
            throw new NotFoundException("instance", id);
        }
        return instance;
    }

    private List<Instance> select(Predicate<Instance> filter) {
        return rows.values().stream().filter(filter).toList();
    }

    private static boolean sameButUsage(Instance a, Instance b) {
        return a.equals(new Instance(b.id(), b.app(), b.project(), b.revision(), b.nodeName(), b.driverKind(), b.host(),
                b.ports(), b.state(), b.health(), b.restartCount(), b.startTime(), b.healthySince(), a.usage(),
                b.lastError(), b.runtimeId(), b.retiring(), b.createTime(), a.updateTime()));
    }
}
