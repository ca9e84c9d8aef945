package io.orchestry.provisioner.fakes;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.fleet.NodeReporter;
import io.orchestry.provisioner.runtime.Fingerprint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A registry that records what the node agent tells it and answers with the interval the test sets. */
public class RecordingNodeReporter implements NodeReporter {
    public record Heartbeat(String node, long cpuMillis, long memoryBytes, int runningWorkloads) {
    }

    public record Allocation(String node, ComputeResources allocated, int workloads) {
    }

    private final List<Heartbeat> heartbeats = new ArrayList<>();
    private final List<Allocation> allocations = new ArrayList<>();
    private Duration interval;
    private RuntimeException failure;

    public synchronized void answerInterval(Duration value) {
        interval = value;
    }

    /** Every call fails with it (null: none do). */
    public synchronized void fail(RuntimeException value) {
        failure = value;
    }

    public synchronized List<Heartbeat> heartbeats() {
        return List.copyOf(heartbeats);
    }

    public synchronized List<Allocation> allocations() {
        return List.copyOf(allocations);
    }

    public synchronized void clear() {
        heartbeats.clear();
        allocations.clear();
    }

    @Override
    public synchronized Optional<Duration> heartbeat(String node, Fingerprint fingerprint) {
        if (failure != null) {
            throw failure;
        }
        heartbeats.add(new Heartbeat(node, fingerprint.usage().cpuMillis(), fingerprint.usage().memoryBytes(),
                fingerprint.runningWorkloads()));
        return Optional.ofNullable(interval);
    }

    @Override
    public synchronized void allocation(String node, ComputeResources allocated, int workloads) {
        if (failure != null) {
            throw failure;
        }
        allocations.add(new Allocation(node, allocated, workloads));
    }
}
