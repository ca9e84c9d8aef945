package io.orchestry.provisioner.fakes;

import io.orchestry.error.NotFoundException;
import io.orchestry.error.UnavailableException;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.runtime.DriverCapabilities;
import io.orchestry.provisioner.runtime.ExecResult;
import io.orchestry.provisioner.runtime.Fingerprint;
import io.orchestry.provisioner.runtime.LogEntry;
import io.orchestry.provisioner.runtime.LogQuery;
import io.orchestry.provisioner.runtime.NotOnNodeException;
import io.orchestry.provisioner.runtime.OwnerSelector;
import io.orchestry.provisioner.runtime.RuntimeDriver;
import io.orchestry.provisioner.runtime.WorkloadHandle;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import io.orchestry.provisioner.runtime.WorkloadStatus;
import io.orchestry.provisioner.runtime.WorkloadStatus.WorkloadState;
import io.orchestry.provisioner.runtime.WorkloadUsage;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A node in memory. Workloads start RUNNING at once (ports numbered from 20000 on the node's address), {@link #exit}
 * ends one, {@link #failNextStart} makes the next start throw, {@link #unreachable} makes every call but close fail as an
 * unreachable node does (fingerprint unhealthy, the rest UnavailableException). Every call is recorded
 * ({@link #calls()}: "start orchestry-web-1-1", "stop ...", "list", "fingerprint", ...). Thread-safe (one lock).
 */
public class FakeDriver implements RuntimeDriver {
    private final String address;
    private final Clock clock;
    private final Map<String, WorkloadStatus> workloads = new TreeMap<>();
    private final Map<String, WorkloadSpec> specs = new TreeMap<>();
    private final List<String> calls = new ArrayList<>();
    private DriverCapabilities capabilities;
    private ComputeResources capacity = new ComputeResources(4000, 8L << 30);
    private ComputeResources nodeUsage = new ComputeResources(500, 1L << 30);
    private Map<String, WorkloadUsage> usage = new TreeMap<>();
    private ExecResult execResult = new ExecResult(0, false, "");
    private RuntimeException nextStartFailure;
    private boolean unreachable;
    private volatile CountDownLatch fingerprintGate;
    private boolean closed;
    private int nextPort = 20000;

    public FakeDriver(DriverKind kind, String address, Clock clock) {
        this.address = address;
        this.clock = clock;
        this.capabilities = new DriverCapabilities(kind, true, true, true, false);
    }

    public FakeDriver(Clock clock) {
        this(DriverKind.PROCESS, "127.0.0.1", clock);
    }

    // --- switches the test sets

    public synchronized void unreachable(boolean value) {
        unreachable = value;
    }

    public synchronized void failNextStart(RuntimeException failure) {
        nextStartFailure = failure;
    }

    /** A missing executable, as a driver reports it. */
    public void failNextStart(String message) {
        failNextStart(new NotOnNodeException(NotOnNodeException.Missing.EXECUTABLE, message));
    }

    /** The workload exits with the code (error text e.g. "OOM killed"; empty: none). */
    public synchronized void exit(String id, int code, String error) {
        WorkloadStatus status = require(id);
        workloads.put(id, new WorkloadStatus(status.handle(), status.owner(), WorkloadState.EXITED, code, error,
                clock.instant()));
    }

    public void exit(String id, int code) {
        exit(id, code, "");
    }

    /** The workload disappears as if someone removed it behind our back. */
    public synchronized void vanish(String id) {
        workloads.remove(id);
        specs.remove(id);
    }

    /** Fingerprints wait until the latch opens (a slow node); null: they answer at once. */
    public void holdFingerprints(CountDownLatch gate) {
        fingerprintGate = gate;
    }

    public synchronized void capabilities(DriverCapabilities value) {
        capabilities = value;
    }

    public synchronized void resources(ComputeResources nodeCapacity, ComputeResources inUse) {
        capacity = nodeCapacity;
        nodeUsage = inUse;
    }

    public synchronized void usage(String id, WorkloadUsage sample) {
        usage.put(id, sample);
    }

    public synchronized void execResult(ExecResult result) {
        execResult = result;
    }

    // --- what the test reads

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<String> calls(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).toList();
    }

    public synchronized Optional<WorkloadStatus> workload(String id) {
        return Optional.ofNullable(workloads.get(id));
    }

    public synchronized Optional<WorkloadSpec> spec(String id) {
        return Optional.ofNullable(specs.get(id));
    }

    public synchronized boolean closed() {
        return closed;
    }

    // --- RuntimeDriver

    @Override
    public synchronized DriverCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public Fingerprint fingerprint() {
        CountDownLatch gate = fingerprintGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Fingerprint.unreachable("interrupted", clock.instant());
            }
        }
        return fingerprintNow();
    }

    private synchronized Fingerprint fingerprintNow() {
        calls.add("fingerprint");
        if (unreachable) {
            return Fingerprint.unreachable("fake node unreachable", clock.instant());
        }
        int running = (int) workloads.values().stream().filter(w -> w.state() == WorkloadState.RUNNING).count();
        return new Fingerprint(true, "fake node, " + running + " workloads", capacity, nodeUsage, running,
                Map.of("os", "fake"), clock.instant());
    }

    @Override
    public synchronized WorkloadHandle start(WorkloadSpec spec) {
        String id = spec.id().value();
        calls.add("start " + id);
        reachable();
        if (nextStartFailure != null) {
            RuntimeException failure = nextStartFailure;
            nextStartFailure = null;
            throw failure;
        }
        WorkloadStatus existing = workloads.get(id);
        if (existing != null && existing.state() == WorkloadState.RUNNING) {
            return existing.handle();
        }
        List<InstancePort> ports = new ArrayList<>();
        for (PortSpec port : spec.ports()) {
            ports.add(new InstancePort(port.name(), nextPort++));
        }
        WorkloadHandle handle = new WorkloadHandle(spec.id(), "fake-" + id + "-" + calls.size(), address, ports,
                clock.instant());
        workloads.put(id, new WorkloadStatus(handle, spec.owner(), WorkloadState.RUNNING, null, "", null));
        specs.put(id, spec);
        return handle;
    }

    @Override
    public synchronized Optional<WorkloadStatus> inspect(WorkloadId id) {
        calls.add("inspect " + id);
        reachable();
        return Optional.ofNullable(workloads.get(id.value()));
    }

    @Override
    public synchronized List<WorkloadStatus> list(OwnerSelector owner) {
        calls.add("list");
        reachable();
        return workloads.values().stream().filter(w -> owner.matches(w.owner())).toList();
    }

    @Override
    public synchronized void stop(WorkloadId id, Duration grace) {
        calls.add("stop " + id);
        reachable();
        WorkloadStatus status = workloads.get(id.value());
        if (status != null && status.state() != WorkloadState.EXITED) {
            workloads.put(id.value(), new WorkloadStatus(status.handle(), status.owner(), WorkloadState.EXITED, 143,
                    "stopped", clock.instant()));
        }
    }

    @Override
    public synchronized void destroy(WorkloadId id, boolean force) {
        calls.add("destroy " + id);
        reachable();
        workloads.remove(id.value());
        specs.remove(id.value());
    }

    @Override
    public synchronized Optional<WorkloadUsage> stats(WorkloadId id) {
        calls.add("stats " + id);
        reachable();
        WorkloadStatus status = workloads.get(id.value());
        if (status == null || status.state() != WorkloadState.RUNNING) {
            return Optional.empty();
        }
        return Optional.ofNullable(usage.get(id.value()));
    }

    @Override
    public synchronized ExecResult exec(WorkloadId id, List<String> command, Duration timeout) {
        calls.add("exec " + id + " " + String.join(" ", command));
        reachable();
        if (!workloads.containsKey(id.value())) {
            throw new NotFoundException("workload", id.value());
        }
        return execResult;
    }

    @Override
    public synchronized AutoCloseable logs(WorkloadId id, LogQuery query, Consumer<LogEntry> sink) {
        calls.add("logs " + id);
        reachable();
        return () -> {
        };
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void reachable() {
        if (unreachable) {
            throw new UnavailableException("fake node", Duration.ofSeconds(1), null);
        }
    }

    private WorkloadStatus require(String id) {
        WorkloadStatus status = workloads.get(id);
        if (status == null) {
            throw new NotFoundException("workload", id);
        }
        return status;
    }
}
