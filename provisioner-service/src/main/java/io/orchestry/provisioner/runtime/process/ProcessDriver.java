package io.orchestry.provisioner.runtime.process;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.NotFoundException;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.runtime.DriverCapabilities;
import io.orchestry.provisioner.runtime.ExecResult;
import io.orchestry.provisioner.runtime.Fingerprint;
import io.orchestry.provisioner.runtime.LogEntry;
import io.orchestry.provisioner.runtime.LogQuery;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.OwnerSelector;
import io.orchestry.provisioner.runtime.RuntimeDriver;
import io.orchestry.provisioner.runtime.WorkloadHandle;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import io.orchestry.provisioner.runtime.WorkloadStatus;
import io.orchestry.provisioner.runtime.WorkloadUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs workloads as local OS processes (after Nomad's raw_exec): each in its own session and process group
 * ({@code setsid}), its output appended to {@code <workDir>/<id>/logs/}, its pid and start time in
 * {@code <workDir>/<id>/state.json}. A new driver re-attaches to every recorded workload whose pid still runs with the
 * recorded start time; the others report EXITED. CPU and memory limits go to cgroups where {@link Cgroups} can.
 */
public final class ProcessDriver implements RuntimeDriver {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessDriver.class);
    private static final Duration TICK = Duration.ofMillis(250);

    private final ProcessConfig config;
    private final NodeTarget node;
    private final Cgroups cgroups;
    private final PortPicks ports;
    private final Clock clock;
    private final Launcher launcher;
    private final boolean setsid;
    private final ProcessFingerprint fingerprint = new ProcessFingerprint();
    private final Map<String, ProcessWorkload> workloads = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Set<LogFollower> followers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;

    ProcessDriver(ProcessConfig config, NodeTarget node, Cgroups cgroups, PortPicks ports, Map<String, String> inherited,
                  Clock clock) {
        this.config = config;
        this.node = node;
        this.cgroups = cgroups;
        this.ports = ports;
        this.clock = clock;
        Optional<Path> setsidPath = ProcessLaunch.onPath("setsid", inherited.getOrDefault("PATH", "/usr/bin:/bin"));
        this.setsid = setsidPath.isPresent();
        this.launcher = new Launcher(inherited, setsidPath.orElse(Path.of("setsid")));
        try {
            Files.createDirectories(config.workDir());
        } catch (IOException e) {
            LOG.warn("process driver: cannot create {}: {}", config.workDir(), e.toString());
        }
        recover();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "process-driver-logs");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Nomad's recover: every state of ours in the work directory, adopted when its process still runs. */
    private void recover() {
        if (!Files.isDirectory(config.workDir())) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(config.workDir(), Files::isDirectory)) {
            for (Path dir : dirs) {
                StateFile.read(dir)
                        .filter(state -> state.id().equals(dir.getFileName().toString()))
                        .filter(state -> OwnerLabels.from(state.labels()).isPresent())
                        .ifPresent(state -> {
                            ProcessWorkload w = ProcessWorkload.recovered(dir, state, logFiles(dir), clock);
                            workloads.put(state.id(), w);
                            LOG.info("process driver: {} {} (pid {})", w.running() ? "adopted" : "found exited", state.id(), state.pid());
                        });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + config.workDir(), e);
        }
    }

    private LogFiles logFiles(Path dir) {
        return new LogFiles(dir.resolve("logs"), config.logMaxBytes(), config.logFiles());
    }

    private void tick() {
        for (ProcessWorkload w : workloads.values()) {
            try {
                w.logs().tick(clock.instant());
            } catch (IOException | RuntimeException e) {
                LOG.debug("log tick of {}: {}", w.id(), e.toString());
            }
        }
    }

    private Object lock(WorkloadId id) {
        return locks.computeIfAbsent(id.value(), k -> new Object());
    }

    @Override
    public DriverCapabilities capabilities() {
        return new DriverCapabilities(DriverKind.PROCESS, true, true, true, cgroups.enforces());
    }

    @Override
    public Fingerprint fingerprint() {
        if (!ProcessDriverFactory.LOCAL.equals(node.endpoint())) {
            return Fingerprint.unreachable(notLocal(), clock.instant());
        }
        int running = (int) workloads.values().stream().filter(ProcessWorkload::running).count();
        return fingerprint.take(config.workDir(), setsid, cgroups, running, clock.instant());
    }

    private String notLocal() {
        return "the process driver runs workloads on the provisioner's own machine (endpoint \"local\"), not at " + node.endpoint();
    }

    @Override
    public WorkloadHandle start(WorkloadSpec spec) {
        if (!ProcessDriverFactory.LOCAL.equals(node.endpoint())) {
            throw new FailedPreconditionException(notLocal());
        }
        if (!setsid) {
            throw new FailedPreconditionException("setsid (util-linux) is not on this node's PATH");
        }
        synchronized (lock(spec.id())) {
            ProcessWorkload existing = workloads.get(spec.id().value());
            if (existing != null && existing.running()) {
                if (!existing.state().specHash().equals(Launcher.specHash(spec))) {
                    LOG.info("process driver: {} runs with another spec; adopted as it is", spec.id());
                }
                return existing.handle();
            }
            Path dir = config.workDir().resolve(spec.id().value());
            Launcher.Plan plan = launcher.plan(spec, dir);
            if (existing != null) {
                remove(existing, false);
            }
            try {
                return launch(spec, plan, dir).handle();
            } catch (IOException e) {
                removeQuietly(dir);
                throw new FailedPreconditionException("cannot start " + spec.id() + ": " + e.getMessage());
            }
        }
    }

    private ProcessWorkload launch(WorkloadSpec spec, Launcher.Plan plan, Path dir) throws IOException {
        List<InstancePort> ports = this.ports.pick(spec.ports());
        Map<String, String> env = launcher.environment(spec, ports);
        List<String> args = ProcessLaunch.expand(plan.runtime().args(), env);
        LogFiles logs = logFiles(dir);
        Files.createDirectories(logs.dir());
        Files.createDirectories(plan.workingDir());
        List<Path> procs = cgroups.create(spec.id().value(), spec.limits());
        Process process = Launcher.spawn(launcher.commandLine(plan.executable(), args, procs), plan.workingDir(), env, logs);
        long startTicks = io.orchestry.process.ProcStat.read(process.pid()).map(s -> s.startTime()).orElse(0L);
        List<String> command = new ArrayList<>();
        command.add(plan.executable().toString());
        command.addAll(args);
        ProcessState state = new ProcessState(spec.id().value(), process.pid(), startTicks, command,
                plan.workingDir().toString(), env, ports, node.address(), spec.owner().asLabels(), Launcher.specHash(spec),
                spec.limits(), procs.stream().map(Path::toString).toList(), clock.instant(), null, null, "");
        StateFile.write(dir, state);
        ProcessWorkload workload = ProcessWorkload.launched(dir, state, process, logs, clock);
        workloads.put(spec.id().value(), workload);
        LOG.info("process driver: started {} pid {} ports {}", spec.id(), process.pid(), ports);
        return workload;
    }

    @Override
    public Optional<WorkloadStatus> inspect(WorkloadId id) {
        return Optional.ofNullable(workloads.get(id.value())).map(ProcessWorkload::status);
    }

    @Override
    public List<WorkloadStatus> list(OwnerSelector owner) {
        return workloads.values().stream()
                .filter(w -> owner.matches(w.owner()))
                .map(ProcessWorkload::status)
                .sorted(Comparator.comparing(s -> s.id().value()))
                .toList();
    }

    @Override
    public void stop(WorkloadId id, Duration grace) {
        ProcessWorkload w = workloads.get(id.value());
        if (w != null) {
            w.stop(grace);
        }
    }

    @Override
    public void destroy(WorkloadId id, boolean force) {
        synchronized (lock(id)) {
            ProcessWorkload w = workloads.remove(id.value());
            if (w != null) {
                remove(w, force);
            }
        }
    }

    /** Stops it if needed, then removes its cgroups, state and own working directory; its logs too when forced. */
    private void remove(ProcessWorkload w, boolean force) {
        w.stop(force ? Duration.ZERO : config.stopGrace());
        Cgroups.remove(w.state().cgroups());
        try {
            Files.deleteIfExists(w.dir().resolve(StateFile.NAME));
            deleteTree(w.dir().resolve("work"));
            if (force) {
                deleteTree(w.dir());
            }
        } catch (IOException e) {
            LOG.warn("process driver: {} not fully removed: {}", w.id(), e.toString());
        }
    }

    private static void removeQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {} after a failed start: {}", dir, e.toString());
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public Optional<WorkloadUsage> stats(WorkloadId id) {
        return Optional.ofNullable(workloads.get(id.value())).flatMap(ProcessWorkload::sample);
    }

    @Override
    public ExecResult exec(WorkloadId id, List<String> command, Duration timeout) {
        ProcessWorkload w = workloads.get(id.value());
        if (w == null) {
            throw new NotFoundException("workload", id.value());
        }
        return Exec.run(command, Path.of(w.state().workingDir()), w.state().env(), timeout);
    }

    @Override
    public AutoCloseable logs(WorkloadId id, LogQuery query, Consumer<LogEntry> sink) {
        ProcessWorkload w = workloads.get(id.value());
        if (w == null) {
            throw new NotFoundException("workload", id.value());
        }
        Map<LogEntry.Stream, Long> ends;
        try {
            ends = w.logs().lineEnds();
            w.logs().tail(id, query.tailLines(), query.since(), clock.instant(), ends).forEach(sink);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the logs of " + id, e);
        }
        if (!query.follow()) {
            return () -> { };
        }
        LogFollower follower = new LogFollower(id, w.logs(), ends, sink, clock); // from where the tail stopped: no line twice
        followers.add(follower);
        return () -> {
            followers.remove(follower);
            follower.close();
        };
    }

    /** Stops every workload this driver runs, in parallel, each with the grace (the provisioner's normal exit). */
    void stopAll(Duration grace) {
        List<Thread> stopping = new ArrayList<>();
        for (ProcessWorkload w : workloads.values()) {
            if (w.running()) {
                Thread thread = new Thread(() -> w.stop(grace), "stop-" + w.id());
                thread.start();
                stopping.add(thread);
            }
        }
        for (Thread t : stopping) {
            try {
                t.join(grace.toMillis() + 15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The ports its running workloads hold. */
    Set<Integer> heldPorts() {
        Set<Integer> held = new HashSet<>();
        workloads.values().stream().filter(ProcessWorkload::running)
                .forEach(w -> w.state().ports().forEach(p -> held.add(p.port())));
        return held;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        followers.forEach(LogFollower::close);
        followers.clear();
    }
}
