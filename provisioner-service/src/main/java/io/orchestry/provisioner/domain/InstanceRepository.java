package io.orchestry.provisioner.domain;

import java.util.List;
import java.util.Optional;

/**
 * Instances as the reconciler recorded and observed them. Every insert, change and delete also appends an instance
 * event in the same transaction (the outbox {@code WatchInstances} replays), so watchers hear of it after the commit.
 * Writes are the reconciler's and fenced.
 */
public interface InstanceRepository {

    Optional<Instance> find(String id);

    List<Instance> byApp(String app);

    List<Instance> byNode(String nodeName);

    List<Instance> all();

    /** Records a new instance (usually PENDING, before the driver starts it). ALREADY_EXISTS on a taken id. */
    void insert(Instance instance);

    /** Replaces the row; no event when nothing but usage changed (usage is not watched). */
    void update(Instance instance);

    void delete(String id);

    /** The next number of {@code orchestry-<app>-<revision>-<n>} for the app: never repeats, survives restarts. */
    long nextOrdinal(String app);
}
